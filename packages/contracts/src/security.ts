import { z } from 'zod';
import { EmailSchema, PasswordSchema, RoleSchema } from './auth.js';
import { LocaleSchema } from './common.js';

/** A TOTP code (6 digits) or a recovery code (xxxxx-xxxxx). */
export const SecondFactorCodeSchema = z.string().trim().min(6).max(32);

export const SecondFactorRequestSchema = z.object({ code: SecondFactorCodeSchema });
export type SecondFactorRequest = z.infer<typeof SecondFactorRequestSchema>;

/**
 * What a browser's WebAuthn call answers (PublicKeyCredential as JSON, the shape
 * @simplewebauthn/browser returns). Checked in depth by the server's verification.
 */
export const PasskeyCredentialSchema = z.looseObject({
  id: z.string().min(1).max(1400),
  rawId: z.string().min(1).max(1400),
  type: z.literal('public-key'),
  response: z.looseObject({ clientDataJSON: z.string().max(20_000) }),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  authenticatorAttachment: z.string().max(40).optional(),
});
export type PasskeyCredential = z.infer<typeof PasskeyCredentialSchema>;

/** The second sign-in step: a code (TOTP or recovery) or a passkey's answer, exactly one. */
export const SecondFactorAnswerSchema = z
  .object({ code: SecondFactorCodeSchema.optional(), passkey: PasskeyCredentialSchema.optional() })
  .refine((a) => (a.code === undefined) !== (a.passkey === undefined), { message: 'send either code or passkey' });
export type SecondFactorAnswer = z.infer<typeof SecondFactorAnswerSchema>;

export const PasskeyNameSchema = z.string().trim().min(1).max(80);
export const PasskeySchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.number(),
  lastUsedAt: z.number().nullable(),
});
export type Passkey = z.infer<typeof PasskeySchema>;
export const PasskeyListSchema = z.object({ items: z.array(PasskeySchema) });
export type PasskeyList = z.infer<typeof PasskeyListSchema>;
export const PasskeyRegistrationSchema = z.object({ name: PasskeyNameSchema, response: PasskeyCredentialSchema });
export type PasskeyRegistration = z.infer<typeof PasskeyRegistrationSchema>;
/** A new passkey; recovery codes when it is the account's first second factor (shown once). */
export const PasskeyRegisteredSchema = z.object({ passkey: PasskeySchema, recoveryCodes: z.array(z.string()).nullable() });
export type PasskeyRegistered = z.infer<typeof PasskeyRegisteredSchema>;
export const PasskeyRenameSchema = z.object({ name: PasskeyNameSchema });
/** WebAuthn options as JSON, handed to the browser's startRegistration / startAuthentication as they are. */
export const WebAuthnOptionsSchema = z.looseObject({ challenge: z.string() });

export const TotpEnrolmentSchema = z.object({
  /** Base32, for typing into an app that cannot scan. */
  secret: z.string(),
  otpauthUri: z.string(),
  /** SVG QR code as a data: URL. */
  qrCodeDataUrl: z.string(),
});
export type TotpEnrolment = z.infer<typeof TotpEnrolmentSchema>;

/** Shown once, right after they are made; only hashes are kept. */
export const RecoveryCodesSchema = z.object({ codes: z.array(z.string()) });
export type RecoveryCodes = z.infer<typeof RecoveryCodesSchema>;

export const TwoFactorStatusSchema = z.object({
  enrolled: z.boolean(),
  totp: z.boolean(),
  passkeys: z.number().int(),
  recoveryCodesLeft: z.number().int(),
  requiredByPolicy: z.boolean(),
});
export type TwoFactorStatus = z.infer<typeof TwoFactorStatusSchema>;

export const StepUpRequestSchema = z.object({
  password: z.string().min(1).max(256),
  code: SecondFactorCodeSchema.optional(),
  passkey: PasskeyCredentialSchema.optional(),
});
export type StepUpRequest = z.infer<typeof StepUpRequestSchema>;

export const SecurityPolicySchema = z.object({ requireTwoFactor: z.boolean() });
/** The most super admins the workspace may have (active or invited); null: no limit, a warning above two. */
export const SuperAdminPolicySchema = z.object({ maxSuperAdmins: z.number().int().min(1).max(20).nullable() });
export type SuperAdminPolicy = z.infer<typeof SuperAdminPolicySchema>;
export type SecurityPolicy = z.infer<typeof SecurityPolicySchema>;

export const SessionSummarySchema = z.object({
  id: z.string(),
  createdAt: z.number(),
  lastSeenAt: z.number(),
  expiresAt: z.number(),
  ip: z.string().nullable(),
  device: z.string().nullable(),
  current: z.boolean(),
});
export type SessionSummary = z.infer<typeof SessionSummarySchema>;
export const SessionListSchema = z.object({ items: z.array(SessionSummarySchema) });
export type SessionList = z.infer<typeof SessionListSchema>;
/** DELETE /api/me/sessions, DELETE /api/users/:userId/sessions: how many sessions ended. */
export const SessionsRevokedSchema = z.object({ revoked: z.number().int() });

export const loginResults = [
  'success',
  'bad_password',
  'unknown_user',
  'bad_second_factor',
  'locked',
  'disabled',
  'second_factor_pending',
] as const;
export const LoginRecordSchema = z.object({
  id: z.string(),
  userId: z.string().nullable(),
  email: z.string(),
  at: z.number(),
  ip: z.string().nullable(),
  country: z.string().nullable(),
  device: z.string().nullable(),
  result: z.enum(loginResults),
  anomalies: z.array(z.string()),
});
export type LoginRecord = z.infer<typeof LoginRecordSchema>;
export const LoginRecordListSchema = z.object({ items: z.array(LoginRecordSchema) });
export type LoginRecordList = z.infer<typeof LoginRecordListSchema>;

export const alertKinds = ['new_country', 'new_device', 'impossible_travel', 'failure_burst', 'locked_out'] as const;
export const SecurityAlertSchema = z.object({
  id: z.string(),
  userId: z.string(),
  userEmail: z.string(),
  kind: z.enum(alertKinds),
  detail: z.record(z.string(), z.unknown()),
  createdAt: z.number(),
});
export type SecurityAlert = z.infer<typeof SecurityAlertSchema>;
export const SecurityAlertListSchema = z.object({ items: z.array(SecurityAlertSchema) });
export type SecurityAlertList = z.infer<typeof SecurityAlertListSchema>;

export const ListLimitQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

// Users and their lifecycle (admins).
export const userStatuses = ['active', 'disabled', 'invited'] as const;
export const UserAdminViewSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  status: z.enum(userStatuses),
  twoFactor: z.boolean(),
  totp: z.boolean(),
  passkeys: z.number().int(),
  lastLoginAt: z.number().nullable(),
  createdAt: z.number(),
});
export type UserAdminView = z.infer<typeof UserAdminViewSchema>;
export const UserAdminListSchema = z.object({
  items: z.array(UserAdminViewSchema),
  /** Set when more than two super admins exist: each one is a full key to the workspace. */
  warnings: z.array(z.enum(['too_many_super_admins'])),
});
export type UserAdminList = z.infer<typeof UserAdminListSchema>;

export const InviteRequestSchema = z.object({
  email: EmailSchema,
  name: z.string().trim().min(1).max(120),
  role: RoleSchema,
  locale: LocaleSchema.optional(),
  /** Mail the link through this connected mailbox (an id from GET /api/users/link-senders) instead of PIER_SYSTEM_MAILBOX. */
  viaMailboxId: z.string().min(1).max(64).optional(),
});
export type InviteRequest = z.infer<typeof InviteRequestSchema>;
/** Body of POST /api/users/:userId/password-reset (optional: without it, the system mailbox sends). */
export const ResetLinkRequestSchema = z.object({ viaMailboxId: z.string().min(1).max(64).optional() }).nullish();
export type ResetLinkRequest = z.infer<typeof ResetLinkRequestSchema>;
/** The connected mailboxes an admin may send invitations and reset links through, and the default (PIER_SYSTEM_MAILBOX). */
export const LinkSendersSchema = z.object({
  items: z.array(z.object({ id: z.string(), address: z.string(), displayName: z.string() })),
  systemMailbox: z.string().nullable(),
});
export type LinkSenders = z.infer<typeof LinkSendersSchema>;
/**
 * The link is returned to the admin too, to copy when it was not mailed: `notEmailedBecause` says why
 * (no system mailbox, or no public address configured: a link is never built from the request's Host).
 */
export const AccountLinkSchema = z.object({
  link: z.string(),
  expiresAt: z.number(),
  emailed: z.boolean(),
  notEmailedBecause: z.enum(['no_system_mailbox', 'no_public_url']).nullable(),
  /** The address of the mailbox the link was mailed through, when it was. */
  emailedVia: z.string().nullable(),
});
export type AccountLink = z.infer<typeof AccountLinkSchema>;

export const ChangeRoleRequestSchema = z.object({ role: RoleSchema });
/**
 * Deactivating a user: their open conversations go to a colleague or a team; without a choice each
 * keeps its team (or none) and is unassigned. A conversation the colleague may not reply in is unassigned.
 */
export const DeactivateRequestSchema = z
  .object({
    reassignTo: z.union([
      z.object({ userId: z.string().min(1).max(64) }).strict(),
      z.object({ teamId: z.string().min(1).max(64) }).strict(),
    ]),
  })
  .partial()
  .nullish();
export type DeactivateRequest = z.infer<typeof DeactivateRequestSchema>;
export const DeactivateResultSchema = z.object({
  unassigned: z.number().int(),
  reassigned: z.number().int(),
  /** Customers (contacts) the user owned that moved to the colleague, or back to the pool (issue 19). */
  customers: z.number().int().optional(),
});
/** What deactivating would hand over: the user's open conversations, by team. */
export const OpenConversationsSchema = z.object({
  open: z.number().int(),
  teams: z.array(z.object({ teamId: z.string(), name: z.string(), count: z.number().int() })),
  withoutTeam: z.number().int(),
  /** Customers (contacts) the user owns: they move with the handover (issue 19). */
  customers: z.number().int().optional(),
});
export type OpenConversations = z.infer<typeof OpenConversationsSchema>;
export const TokenPasswordRequestSchema = z.object({ token: z.string().min(20).max(200), password: PasswordSchema });
export type TokenPasswordRequest = z.infer<typeof TokenPasswordRequestSchema>;
export const PasswordResetRequestSchema = z.object({ email: EmailSchema });
/** 202 whether or not the address has an account (no account enumeration). */
export const PasswordResetAcceptedSchema = z.object({ accepted: z.boolean() });
