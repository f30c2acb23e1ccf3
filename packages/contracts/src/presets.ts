import { z } from 'zod';
import { type TlsMode, TlsModeSchema } from './mailboxes.js';

/**
 * Provider presets: the settings a form fills in, and the quirks Pier handles.
 * `notes` keys are i18n keys in the web catalogue (`presets.<id>.note`).
 */
export type MailboxPreset = {
  id: string;
  imap: { host: string; port: number; tls: TlsMode } | null;
  smtp: { host: string; port: number; tls: TlsMode } | null;
  /** Sends the IMAP ID command (RFC 2971): Tencent Exmail and NetEase refuse or flag clients without it. */
  requiresImapId: boolean;
  /** The provider saves sent mail to the Sent folder itself (no IMAP APPEND after sending). */
  savesSentMail: boolean;
  supportsXoauth2: boolean;
  /** Where an XOAUTH2 access token is renewed with a refresh token (RFC 6749 §6). */
  oauthTokenEndpoint?: string;
  /** A client-specific (app) password is needed instead of the web-login password. */
  needsAppPassword: boolean;
  /**
   * No ManageSieve server (Tencent Exmail, Alibaba Mail): the forwarding audit cannot read the
   * mailbox's rules, and an admin checks the provider's console by hand (issue 18).
   */
  noManageSieve?: true;
};

export const mailboxPresets: readonly MailboxPreset[] = [
  {
    id: 'exmail',
    imap: { host: 'imap.exmail.qq.com', port: 993, tls: 'tls' },
    smtp: { host: 'smtp.exmail.qq.com', port: 465, tls: 'tls' },
    requiresImapId: true,
    savesSentMail: false,
    supportsXoauth2: false,
    needsAppPassword: true,
    noManageSieve: true,
  },
  {
    // Tencent Exmail's overseas access points, for mailboxes used from outside mainland China.
    id: 'exmail-overseas',
    imap: { host: 'hwimap.exmail.qq.com', port: 993, tls: 'tls' },
    smtp: { host: 'hwsmtp.exmail.qq.com', port: 465, tls: 'tls' },
    requiresImapId: true,
    savesSentMail: false,
    supportsXoauth2: false,
    needsAppPassword: true,
    noManageSieve: true,
  },
  {
    id: 'aliyun',
    imap: { host: 'imap.qiye.aliyun.com', port: 993, tls: 'tls' },
    smtp: { host: 'smtp.qiye.aliyun.com', port: 465, tls: 'tls' },
    requiresImapId: false,
    savesSentMail: false,
    supportsXoauth2: false,
    needsAppPassword: false,
    noManageSieve: true,
  },
  {
    id: 'qiye163',
    imap: { host: 'imap.qiye.163.com', port: 993, tls: 'tls' },
    smtp: { host: 'smtp.qiye.163.com', port: 994, tls: 'tls' },
    requiresImapId: true,
    savesSentMail: false,
    supportsXoauth2: false,
    needsAppPassword: true,
  },
  {
    id: 'gmail',
    imap: { host: 'imap.gmail.com', port: 993, tls: 'tls' },
    smtp: { host: 'smtp.gmail.com', port: 465, tls: 'tls' },
    requiresImapId: false,
    savesSentMail: true,
    supportsXoauth2: true,
    oauthTokenEndpoint: 'https://oauth2.googleapis.com/token',
    needsAppPassword: true,
  },
  {
    id: 'm365',
    imap: { host: 'outlook.office365.com', port: 993, tls: 'tls' },
    smtp: { host: 'smtp.office365.com', port: 587, tls: 'starttls' },
    requiresImapId: false,
    savesSentMail: true,
    supportsXoauth2: true,
    oauthTokenEndpoint: 'https://login.microsoftonline.com/organizations/oauth2/v2.0/token',
    needsAppPassword: false,
  },
  { id: 'other', imap: null, smtp: null, requiresImapId: true, savesSentMail: false, supportsXoauth2: true, needsAppPassword: false },
];

export function findPreset(id: string): MailboxPreset | undefined {
  return mailboxPresets.find((p) => p.id === id);
}

const PresetServerSchema = z.object({ host: z.string(), port: z.number().int(), tls: TlsModeSchema }).nullable();
/** GET /api/mailbox-presets (the list above); typed against MailboxPreset so the two cannot drift apart. */
export const MailboxPresetSchema: z.ZodType<MailboxPreset> = z.object({
  id: z.string(),
  imap: PresetServerSchema,
  smtp: PresetServerSchema,
  requiresImapId: z.boolean(),
  savesSentMail: z.boolean(),
  supportsXoauth2: z.boolean(),
  oauthTokenEndpoint: z.string().optional(),
  needsAppPassword: z.boolean(),
});
export const MailboxPresetListSchema = z.object({ items: z.array(MailboxPresetSchema) });
