import { z } from 'zod';
import { LocaleSchema } from './common.js';

export const roles = ['super_admin', 'admin', 'agent', 'auditor'] as const;
export const RoleSchema = z.enum(roles);
export type Role = z.infer<typeof RoleSchema>;

/** Per-mailbox access, each level including the ones before it. */
export const mailboxAccessLevels = ['read', 'reply', 'manage'] as const;
export const MailboxAccessSchema = z.enum(mailboxAccessLevels);
export type MailboxAccess = z.infer<typeof MailboxAccessSchema>;

export const EmailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'must be an email address' }));

/** Length is what makes a password strong; 12 is the floor NIST SP 800-63B suggests for admins. */
export const PasswordSchema = z
  .string()
  .min(12, { message: 'must be at least 12 characters' })
  .max(256, { message: 'must be at most 256 characters' });

export const UserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: RoleSchema,
  locale: LocaleSchema.nullable(),
});
export type User = z.infer<typeof UserSchema>;

export const SessionMailboxSchema = z.object({
  id: z.string(),
  address: z.string(),
  displayName: z.string(),
  purpose: z.string(),
  access: MailboxAccessSchema,
});

/** 'done', or the step a signed-in session must finish first: 'verify' a code, or 'enrol' an authenticator. */
export const SecondFactorStateSchema = z.enum(['done', 'verify', 'enrol']);
export type SecondFactorState = z.infer<typeof SecondFactorStateSchema>;

export const SessionInfoSchema = z.object({
  user: UserSchema,
  /** Empty until the second factor is done. */
  mailboxes: z.array(SessionMailboxSchema),
  secondFactor: SecondFactorStateSchema,
});
export type SessionInfo = z.infer<typeof SessionInfoSchema>;

export const LoginRequestSchema = z.object({
  email: EmailSchema,
  password: z.string().min(1).max(256),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

/**
 * The address users open Pier at: links in invitation and reset mails point there. http(s) only,
 * no query or fragment (a link's token goes in its fragment).
 */
export const PublicUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// address' })
  .max(300)
  .refine((v) => !v.includes('?') && !v.includes('#'), 'must not contain ? or #');

/** Where it comes from: PIER_PUBLIC_URL (wins), the workspace setting, or nowhere (then links are never mailed). */
export const PublicUrlSettingSchema = z.object({
  publicUrl: z.string().nullable(),
  source: z.enum(['environment', 'workspace']).nullable(),
});
export type PublicUrlSetting = z.infer<typeof PublicUrlSettingSchema>;
export const UpdatePublicUrlSchema = z.object({ publicUrl: PublicUrlSchema });

/** `publicUrlConfigured`: false while neither PIER_PUBLIC_URL nor a stored address exists (the first-run page asks). */
export const SetupStatusSchema = z.object({ needsSetup: z.boolean(), publicUrlConfigured: z.boolean() });
export type SetupStatus = z.infer<typeof SetupStatusSchema>;

export const SetupRequestSchema = z.object({
  email: EmailSchema,
  name: z.string().trim().min(1).max(120),
  password: PasswordSchema,
  locale: LocaleSchema.optional(),
  publicUrl: PublicUrlSchema.optional(),
});
export type SetupRequest = z.infer<typeof SetupRequestSchema>;

export const UpdatePreferencesSchema = z.object({ locale: LocaleSchema });
