import { z } from 'zod';

export const conversationStatuses = ['open', 'pending', 'snoozed', 'closed'] as const;
export const ConversationStatusSchema = z.enum(conversationStatuses);

/** The reply a conversation owes under its mailbox's SLA (decision 0033); null when none is owed. */
export const ConversationSlaSchema = z.object({
  phase: z.enum(['first_reply', 'next_reply']),
  /** null while the clock is paused (waiting on the customer, closed) or the hours have no opening. */
  dueAt: z.number().int().nullable(),
  /** 80 % of the target used. */
  warnAt: z.number().int().nullable(),
  paused: z.boolean(),
});
export type ConversationSla = z.infer<typeof ConversationSlaSchema>;

export const ConversationSummarySchema = z.object({
  id: z.string(),
  subject: z.string(),
  status: ConversationStatusSchema,
  fromAddress: z.string().nullable(),
  fromName: z.string().nullable(),
  snippet: z.string(),
  lastMessageAt: z.number().int(),
  mailboxIds: z.array(z.string()),
  /** The customer (the conversation's counterparty) as the contacts know them. */
  customerName: z.string().nullable(),
  company: z.string().nullable(),
  /** ISO 3166-1 alpha-2 of the contact or its company. */
  country: z.string().nullable(),
  assignee: z.object({ id: z.string(), name: z.string() }).nullable(),
  tags: z.array(z.string()),
  priority: z.enum(['low', 'normal', 'high', 'urgent']),
  sla: ConversationSlaSchema.nullable(),
});
export type ConversationSummary = z.infer<typeof ConversationSummarySchema>;

export const ConversationListQuerySchema = z.object({
  mailboxId: z.string().optional(),
  /** Full-text search (subject, body, people, attachment names; Chinese and English); newest first. */
  q: z.string().trim().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Sidebar view (see triage.ts conversationViews); without one, every status except spam. */
  view: z.enum(['unassigned', 'mine', 'open', 'pending', 'snoozed', 'closed', 'spam', 'automated', 'escalated']).optional(),
  tag: z.string().trim().max(40).optional(),
  /** Team id. */
  team: z.string().max(64).optional(),
  status: ConversationStatusSchema.optional(),
  /** 'me', 'none', or a user id. */
  assignee: z.string().max(64).optional(),
  /** 'due': the reply due soonest first (then conversations without a running clock, newest first); default newest first. */
  sort: z.enum(['recent', 'due']).optional(),
  /** Keyset paging: the `nextCursor` of the previous page (older conversations follow). */
  cursor: z
    .string()
    .regex(/^\d{1,16}\.[\w-]{1,64}$/)
    .optional(),
});

export const ConversationListSchema = z.object({
  items: z.array(ConversationSummarySchema),
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable().optional(),
});
export type ConversationList = z.infer<typeof ConversationListSchema>;
