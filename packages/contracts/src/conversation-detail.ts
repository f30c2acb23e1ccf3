import { z } from 'zod';
import { ConversationStatusSchema } from './conversations.js';

/**
 * GET /api/conversations/:id — one conversation as the reading pane shows it.
 * The timeline mixes mail, internal notes and system events in time order;
 * each domain fills its own kind (mail engine: messages; triage: notes and
 * events), so the view renders one list.
 */
export const priorities = ['low', 'normal', 'high', 'urgent'] as const;
export const PrioritySchema = z.enum(priorities);

export const PersonRefSchema = z.object({ id: z.string(), name: z.string() });
export const AddressSchema = z.object({ address: z.string(), name: z.string().nullable() });

export const AttachmentSummarySchema = z.object({
  id: z.string(),
  filename: z.string(),
  mime: z.string(),
  size: z.number().int(),
  isInline: z.boolean(),
  contentId: z.string().nullable(),
});

export const deliveryStates = [
  'draft',
  /** Waits for a second approver (payment details or a bill of lading, per mailbox rule); never sent without one. */
  'awaiting_approval',
  /** A second approver refused it: it is never sent. */
  'rejected',
  'scheduled',
  'queued',
  'sending',
  'sent',
  'failed',
  'uncertain',
  'bounced',
] as const;

export const TimelineMessageSchema = z.object({
  kind: z.literal('message'),
  id: z.string(),
  at: z.number().int(),
  direction: z.enum(['in', 'out']),
  from: AddressSchema.nullable(),
  to: z.array(z.string()),
  cc: z.array(z.string()),
  subject: z.string(),
  sentAt: z.number().int().nullable(),
  text: z.string(),
  /** The HTML part exists; fetch it sanitised from GET /api/messages/:id/html. */
  hasHtml: z.boolean(),
  attachments: z.array(AttachmentSummarySchema),
  parseStatus: z.string(),
  /**
   * What Pier learnt of an incoming mail (decision 0031): its language (BCP-47, eld), the sender's
   * country (ISO code) and how it was found, and whether a person wrote it; null until the mail's
   * facts are stored (a moment after it arrives) and for mail the team wrote.
   */
  language: z.string().nullable(),
  senderCountry: z.object({ code: z.string(), source: z.enum(['cctld', 'received-ip', 'signature-phone']) }).nullable(),
  category: z.enum(['person', 'bulk', 'auto-reply', 'bounce', 'notification']).nullable(),
  /** Outgoing mail written in Pier: where it is in the outbox. */
  delivery: z.object({ state: z.enum(deliveryStates), error: z.string().nullable() }).nullable(),
  /** An incoming reply to a campaign (decision 0058): which one, shown to readers of its marketing mailbox only. */
  campaign: z.object({ id: z.string(), subject: z.string() }).nullable(),
});

export const TimelineNoteSchema = z.object({
  kind: z.literal('note'),
  id: z.string(),
  at: z.number().int(),
  author: PersonRefSchema,
  body: z.string(),
  mentions: z.array(PersonRefSchema),
});

export const TimelineEventSchema = z.object({
  kind: z.literal('event'),
  id: z.string(),
  at: z.number().int(),
  actor: PersonRefSchema.nullable(),
  /** e.g. assigned, unassigned, status, snoozed, reopened, tagged, untagged, priority, merged, followed. */
  type: z.string(),
  data: z.record(z.string(), z.unknown()),
});

export const TimelineItemSchema = z.discriminatedUnion('kind', [TimelineMessageSchema, TimelineNoteSchema, TimelineEventSchema]);
export type TimelineItem = z.infer<typeof TimelineItemSchema>;

export const CustomerSchema = z.object({
  address: z.string(),
  name: z.string().nullable(),
  company: z.object({ id: z.string(), name: z.string(), domain: z.string(), country: z.string().nullable() }).nullable(),
  /** ISO 3166-1 alpha-2, from the contact or its company domain. */
  country: z.string().nullable(),
  /** IANA zone used for "local time now", when known. */
  timeZone: z.string().nullable(),
});

export const ConversationDetailSchema = z.object({
  conversation: z.object({
    id: z.string(),
    subject: z.string(),
    status: ConversationStatusSchema,
    priority: PrioritySchema,
    snoozedUntil: z.number().int().nullable(),
    assignee: PersonRefSchema.nullable(),
    team: PersonRefSchema.nullable(),
    tags: z.array(z.string()),
    following: z.boolean(),
    mailboxes: z.array(z.object({ id: z.string(), address: z.string(), displayName: z.string() })),
    lastMessageAt: z.number().int(),
  }),
  customer: CustomerSchema.nullable(),
  /**
   * Other conversations the reader may open, newest first: `via: 'mail'` ones hold the same mail or
   * a mail this one named, kept apart because they are in other mailboxes (decision 0027), with the
   * reader's mailboxes each is in; `via: 'customer'` ones are the same customer's other conversations.
   */
  related: z.array(
    z.object({
      id: z.string(),
      subject: z.string(),
      status: ConversationStatusSchema,
      lastMessageAt: z.number().int(),
      via: z.enum(['mail', 'customer']),
      mailboxes: z.array(z.string()),
    }),
  ),
  timeline: z.array(TimelineItemSchema),
});
export type ConversationDetail = z.infer<typeof ConversationDetailSchema>;
