import { z } from 'zod';

export const conversationStatuses = ['open', 'pending', 'snoozed', 'closed'] as const;
export const ConversationStatusSchema = z.enum(conversationStatuses);

export const ConversationSummarySchema = z.object({
  id: z.string(),
  subject: z.string(),
  status: ConversationStatusSchema,
  fromAddress: z.string().nullable(),
  fromName: z.string().nullable(),
  snippet: z.string(),
  lastMessageAt: z.number().int(),
  mailboxIds: z.array(z.string()),
});
export type ConversationSummary = z.infer<typeof ConversationSummarySchema>;

export const ConversationListQuerySchema = z.object({
  mailboxId: z.string().optional(),
  /** Full-text search (subject, body, people, attachment names; Chinese and English); newest first. */
  q: z.string().trim().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const ConversationListSchema = z.object({
  items: z.array(ConversationSummarySchema),
});
export type ConversationList = z.infer<typeof ConversationListSchema>;
