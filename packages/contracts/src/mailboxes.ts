import { z } from 'zod';
import { EmailSchema } from './auth.js';

export const mailboxPurposes = ['inquiry', 'sales', 'service', 'purchase', 'logistics', 'accounting', 'marketing'] as const;
export const MailboxPurposeSchema = z.enum(mailboxPurposes);
export type MailboxPurpose = z.infer<typeof MailboxPurposeSchema>;

export const tlsModes = ['tls', 'starttls', 'none'] as const;
export const TlsModeSchema = z.enum(tlsModes);
export type TlsMode = z.infer<typeof TlsModeSchema>;

export const syncFolderRoles = ['inbox', 'sent', 'spam'] as const;
export const SyncFolderRoleSchema = z.enum(syncFolderRoles);

export const ServerSettingsSchema = z.object({
  host: z.string().trim().min(1).max(255),
  port: z.coerce.number().int().min(1).max(65535),
  tls: TlsModeSchema,
  user: z.string().trim().min(1).max(320),
});
export type ServerSettings = z.infer<typeof ServerSettingsSchema>;

/** IMAP/SMTP settings. Secrets are write-only: they are never sent back. */
export const ConnectionSettingsSchema = z.object({
  preset: z.string().default('other'),
  imap: ServerSettingsSchema,
  smtp: ServerSettingsSchema,
  authMethod: z.enum(['password', 'xoauth2']).default('password'),
  password: z.string().min(1).max(1024).optional(),
  accessToken: z.string().min(1).max(8192).optional(),
  /**
   * XOAUTH2 refresh (RFC 6749 §6): with a refresh token Pier renews the access token before it
   * expires and when the server refuses it. The token endpoint defaults to the preset's (Google,
   * Microsoft 365). Write-only, sealed with the password; `clientId` alone may be sent back.
   */
  oauth: z
    .object({
      refreshToken: z.string().min(1).max(8192).optional(),
      clientId: z.string().trim().min(1).max(512).optional(),
      clientSecret: z.string().min(1).max(1024).optional(),
      tokenEndpoint: z
        .url({ protocol: /^https?$/ })
        .max(1000)
        .optional(),
    })
    .optional(),
  syncFolders: z.array(SyncFolderRoleSchema).min(1).default(['inbox', 'sent']),
  /** How far back the first sync reaches, in days; null means all history. */
  syncSinceDays: z.number().int().min(1).max(36500).nullable().default(365),
});
export type ConnectionSettings = z.infer<typeof ConnectionSettingsSchema>;

export const MailboxSchema = z.object({
  id: z.string(),
  address: z.string(),
  displayName: z.string(),
  purpose: MailboxPurposeSchema,
  status: z.string(),
  /** Open conversations, counted up to `openCountCap` (a count equal to the cap means "cap − 1 or more"). */
  openCount: z.number().int(),
  openCountCap: z.number().int(),
});
export type Mailbox = z.infer<typeof MailboxSchema>;
export const MailboxListSchema = z.object({ items: z.array(MailboxSchema) });

export const MailboxDetailSchema = MailboxSchema.extend({
  statusDetail: z.string().nullable(),
  lastSyncedAt: z.number().nullable(),
  connection: ConnectionSettingsSchema.omit({ password: true, accessToken: true, oauth: true })
    .extend({ hasSecret: z.boolean() })
    .nullable(),
});
export type MailboxDetail = z.infer<typeof MailboxDetailSchema>;

/** `GET /api/mailboxes/:id/sync-progress`: the first sync (or a backfill of history) of the mailbox. */
export const SyncProgressSchema = z.object({
  /** True while the first sync (or a backfill of history) of one of the mailbox's folders runs. */
  inProgress: z.boolean(),
  done: z.number().int(),
  total: z.number().int(),
  startedAt: z.number().int().nullable(),
  /** Mails stored per minute since the run started; null before the first batch. */
  perMinute: z.number().int().nullable(),
  /** At that rate; null when unknown. */
  secondsLeft: z.number().int().nullable(),
});
export type SyncProgress = z.infer<typeof SyncProgressSchema>;

export const CreateMailboxSchema = z.object({
  address: EmailSchema,
  displayName: z.string().trim().min(1).max(120),
  purpose: MailboxPurposeSchema,
  /** Without a connection the mailbox receives mail only on Pier's own SMTP listener. */
  connection: ConnectionSettingsSchema.optional(),
});
export type CreateMailbox = z.input<typeof CreateMailboxSchema>;

export const UpdateMailboxSchema = z.object({
  displayName: z.string().trim().min(1).max(120).optional(),
  purpose: MailboxPurposeSchema.optional(),
  status: z.enum(['active', 'paused']).optional(),
  connection: ConnectionSettingsSchema.optional(),
});
export type UpdateMailbox = z.input<typeof UpdateMailboxSchema>;

export const connectionErrorCodes = [
  'connection.auth_failed',
  'connection.tls_failed',
  'connection.unreachable',
  'connection.timeout',
  'connection.imap_disabled',
  'connection.protocol_error',
  'connection.no_settings',
  /** The OAuth provider refused to renew the access token (invalid_grant): the mailbox must be connected again. */
  'connection.oauth_revoked',
  /** The host resolves to a private or reserved address and PIER_ALLOW_PRIVATE_HOSTS does not allow it. */
  'connection.private_host',
] as const;
export type ConnectionErrorCode = (typeof connectionErrorCodes)[number];

export const ConnectionCheckSchema = z.object({
  ok: z.boolean(),
  code: z.enum(connectionErrorCodes).optional(),
  message: z.string().optional(),
});
export const ConnectionTestResultSchema = z.object({
  ok: z.boolean(),
  imap: ConnectionCheckSchema.extend({ folders: z.array(z.string()).optional() }),
  smtp: ConnectionCheckSchema,
});
export type ConnectionTestResult = z.infer<typeof ConnectionTestResultSchema>;
