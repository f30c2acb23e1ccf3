import { z } from 'zod';
import { deliveryStates } from './conversation-detail.js';

/** Sending: the composer, drafts, the outbox, signatures and saved replies. */
export const composeModes = ['reply', 'reply_all', 'forward', 'new'] as const;
export const ComposeModeSchema = z.enum(composeModes);
export type ComposeMode = z.infer<typeof ComposeModeSchema>;

const EmailSchema = z.string().trim().toLowerCase().email().max(320);
const RecipientListSchema = z.array(EmailSchema).max(100);

/** POST /api/outbox — queue a mail. */
export const SendRequestSchema = z.object({
  mailboxId: z.string().min(1).max(64),
  mode: ComposeModeSchema,
  /** Required unless mode is 'new'. */
  conversationId: z.string().min(1).max(64).optional(),
  /** The message answered or forwarded (threading headers, quote). */
  replyToMessageId: z.string().min(1).max(64).optional(),
  to: RecipientListSchema.min(1),
  cc: RecipientListSchema.default([]),
  bcc: RecipientListSchema.default([]),
  subject: z.string().max(998),
  /** The composer's HTML; the plain-text alternative is generated from it. */
  html: z.string().max(2_000_000),
  uploadIds: z.array(z.string().min(1).max(64)).max(50).default([]),
  /** `seenAt` from the compose context: the server refuses (409) if mail arrived since, unless `force`. */
  seenAt: z.number().int().optional(),
  force: z.boolean().default(false),
  draftId: z.string().min(1).max(64).optional(),
});
export type SendRequest = z.input<typeof SendRequestSchema>;

export const outboxStates = deliveryStates;
export const OutboxItemSchema = z.object({
  id: z.string(),
  messageId: z.string(),
  conversationId: z.string(),
  mailboxId: z.string(),
  state: z.enum(deliveryStates),
  sendAfter: z.number().int(),
  attempts: z.number().int(),
  errorCode: z.string().nullable(),
  errorDetail: z.string().nullable(),
  sentAt: z.number().int().nullable(),
  rejected: z.array(z.string()),
  sentCopy: z.string(),
});
export type OutboxItem = z.infer<typeof OutboxItemSchema>;
/** GET /api/conversations/:id/outbox: the conversation's outgoing mail, oldest first. */
export const OutboxItemListSchema = z.object({ items: z.array(OutboxItemSchema) });

/** 409 outbox.collision details: what arrived after the composer opened. */
export const CollisionChangeSchema = z.object({
  messageId: z.string(),
  direction: z.enum(['in', 'out']),
  from: z.string().nullable(),
  subject: z.string(),
  snippet: z.string(),
  at: z.number().int(),
});
export type CollisionChange = z.infer<typeof CollisionChangeSchema>;

export const ResolveOutboxSchema = z.object({ action: z.enum(['resend', 'mark_sent']) });

export const DraftSchema = z.object({
  id: z.string(),
  conversationId: z.string().nullable(),
  mailboxId: z.string().nullable(),
  mode: ComposeModeSchema,
  replyToMessageId: z.string().nullable(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  bcc: z.array(z.string()),
  subject: z.string(),
  html: z.string(),
  uploads: z.array(z.object({ id: z.string(), filename: z.string(), mime: z.string(), size: z.number().int() })),
  updatedAt: z.number().int(),
});
export type Draft = z.infer<typeof DraftSchema>;

export const SaveDraftSchema = z.object({
  conversationId: z.string().min(1).max(64).nullable().default(null),
  mailboxId: z.string().min(1).max(64).nullable().default(null),
  mode: ComposeModeSchema,
  replyToMessageId: z.string().min(1).max(64).nullable().default(null),
  to: z.array(z.string().max(320)).max(100).default([]),
  cc: z.array(z.string().max(320)).max(100).default([]),
  bcc: z.array(z.string().max(320)).max(100).default([]),
  subject: z.string().max(998).default(''),
  html: z.string().max(2_000_000).default(''),
  uploadIds: z.array(z.string().min(1).max(64)).max(50).default([]),
});
export type SaveDraft = z.input<typeof SaveDraftSchema>;

export const UploadSchema = z.object({ id: z.string(), filename: z.string(), mime: z.string(), size: z.number().int() });
export type Upload = z.infer<typeof UploadSchema>;

/** GET /api/outbox/compose-context — everything the composer needs when it opens. */
export const ComposeContextSchema = z.object({
  /** Server time when the composer opened: pass back as `seenAt`. */
  seenAt: z.number().int(),
  /** Public mailboxes this agent may send from. */
  mailboxes: z.array(z.object({ id: z.string(), address: z.string(), displayName: z.string() })),
  defaults: z
    .object({
      mailboxId: z.string().nullable(),
      replyToMessageId: z.string().nullable(),
      to: z.array(z.string()),
      cc: z.array(z.string()),
      subject: z.string(),
    })
    .nullable(),
  undoSeconds: z.number().int(),
  draft: DraftSchema.nullable(),
});
export type ComposeContext = z.infer<typeof ComposeContextSchema>;

/** A mailbox's uploaded logo (PUT/DELETE /api/mailboxes/:id/signature/logo); `url` serves it from Pier. */
export const SignatureLogoSchema = z.object({
  mime: z.string(),
  size: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  url: z.string(),
  updatedAt: z.number().int(),
});
export type SignatureLogo = z.infer<typeof SignatureLogoSchema>;

export const SignatureSettingsSchema = z.object({
  mailboxId: z.string(),
  /** HTML template; variables: {{company.name}}, {{company.logo}} (the uploaded logo, an image), {{company.website}}, {{company.phone}}, {{agent.name}}, {{agent.title}}, {{mailbox.name}}, {{mailbox.address}}. */
  signatureHtml: z.string().max(20_000),
  companyName: z.string().max(200),
  /** The uploaded logo, or null; set it with its own route, not here. */
  logo: SignatureLogoSchema.nullable(),
  website: z.string().max(500),
  phone: z.string().max(100),
  /** auto: skip where the provider saves sent mail itself (Gmail, Microsoft 365). */
  sentCopy: z.enum(['auto', 'always', 'never']),
});
export type SignatureSettings = z.infer<typeof SignatureSettingsSchema>;
export const UpdateSignatureSchema = SignatureSettingsSchema.omit({ mailboxId: true, logo: true }).extend({
  /** A remote logo link is no longer taken (refused when not empty): upload the logo instead. */
  logoUrl: z.string().max(2000).optional(),
});
export type UpdateSignature = z.infer<typeof UpdateSignatureSchema>;

export const SavedReplySchema = z.object({ id: z.string(), name: z.string(), bodyHtml: z.string(), updatedAt: z.number().int() });
export type SavedReply = z.infer<typeof SavedReplySchema>;
export const SavedReplyListSchema = z.object({ items: z.array(SavedReplySchema) });
/** A signature preview or a rendered saved reply. */
export const RenderedHtmlSchema = z.object({ html: z.string() });
export const SaveSavedReplySchema = z.object({ name: z.string().trim().min(1).max(200), bodyHtml: z.string().max(100_000) });

export const SendPreferencesSchema = z.object({
  /** Undo-send delay in seconds, 5–30. */
  undoSeconds: z.number().int().min(5).max(30),
  title: z.string().max(200),
});
export type SendPreferences = z.infer<typeof SendPreferencesSchema>;
