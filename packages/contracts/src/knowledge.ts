import { z } from 'zod';
import { UploadSchema } from './outbox.js';

/** The FAQ library (issue 19, decision 0050): folders, answers with language versions, suggestions. */
export const LanguageTagSchema = z
  .string()
  .trim()
  .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/);

export const FaqFolderSchema = z.object({ id: z.string(), name: z.string(), position: z.number().int(), answerCount: z.number().int() });
export type FaqFolder = z.infer<typeof FaqFolderSchema>;
export const SaveFaqFolderSchema = z.object({
  name: z.string().trim().min(1).max(120),
  position: z.number().int().min(0).max(10_000).optional(),
});

export const FaqVersionSchema = z.object({ language: z.string(), bodyHtml: z.string(), updatedAt: z.number().int() });
export type FaqVersion = z.infer<typeof FaqVersionSchema>;
export const FaqAttachmentSchema = z.object({ id: z.string(), filename: z.string(), mime: z.string(), size: z.number().int() });
export type FaqAttachment = z.infer<typeof FaqAttachmentSchema>;

export const FaqAnswerSchema = z.object({
  id: z.string(),
  folderId: z.string().nullable(),
  title: z.string(),
  versions: z.array(FaqVersionSchema),
  attachments: z.array(FaqAttachmentSchema),
  useCount: z.number().int(),
  lastUsedAt: z.number().int().nullable(),
  sourceMessageId: z.string().nullable(),
  updatedAt: z.number().int(),
  updatedBy: z.object({ id: z.string(), name: z.string() }),
});
export type FaqAnswer = z.infer<typeof FaqAnswerSchema>;
export const FaqLibrarySchema = z.object({ folders: z.array(FaqFolderSchema), answers: z.array(FaqAnswerSchema) });
export type FaqLibrary = z.infer<typeof FaqLibrarySchema>;

export const SaveFaqAnswerSchema = z.object({
  folderId: z.string().max(64).nullable(),
  title: z.string().trim().min(1).max(300),
  versions: z
    .array(z.object({ language: LanguageTagSchema, bodyHtml: z.string().max(100_000) }))
    .min(1)
    .max(12),
  /** Upload ids (POST /api/outbox/uploads) to attach, and attachment ids already on the answer to keep. */
  attachments: z
    .array(z.object({ uploadId: z.string().max(64) }).or(z.object({ attachmentId: z.string().max(64) })))
    .max(20)
    .default([]),
  /** The sent mail it was made from. */
  sourceMessageId: z.string().max(64).nullable().optional(),
});
export type SaveFaqAnswer = z.input<typeof SaveFaqAnswerSchema>;

/** The variables an answer may use, as the editor lists them. */
export const faqVariables = [
  'contact.name',
  'contact.first_name',
  'contact.email',
  'company',
  'agent.name',
  'agent.email',
  'agent.title',
  'mailbox.name',
  'mailbox.address',
  'company.name',
  'company.website',
  'company.phone',
] as const;

/** Render an answer for a reply (or a preview): the version in `language`, variables filled. */
export const RenderFaqSchema = z.object({
  language: z.string().max(35).optional(),
  mailboxId: z.string().max(64).optional(),
  conversationId: z.string().max(64).optional(),
  /** Insert (counts a use and copies the attachments to the agent's uploads) or only preview. */
  insert: z.boolean().default(false),
});
export const RenderedFaqSchema = z.object({ language: z.string(), html: z.string(), uploads: z.array(UploadSchema) });
export type RenderedFaq = z.infer<typeof RenderedFaqSchema>;

export const FaqSuggestionSchema = z.object({
  kind: z.enum(['library', 'sent']),
  /** Answer id (library) or message id (a past sent answer). */
  id: z.string(),
  title: z.string(),
  language: z.string().nullable(),
  snippet: z.string(),
  score: z.number(),
});
export type FaqSuggestion = z.infer<typeof FaqSuggestionSchema>;
export const FaqSuggestionsSchema = z.object({ language: z.string().nullable(), items: z.array(FaqSuggestionSchema) });

/** A past sent answer as the "turn into FAQ" form starts from it. */
export const FaqDraftFromSentSchema = z.object({
  title: z.string(),
  language: z.string(),
  bodyHtml: z.string(),
  sourceMessageId: z.string(),
});

export const FaqQuestionClusterSchema = z.object({
  /** Mails (one per conversation) in the cluster. */
  count: z.number().int(),
  subject: z.string(),
  snippet: z.string(),
  language: z.string().nullable(),
  conversationIds: z.array(z.string()),
  terms: z.array(z.string()),
});
export type FaqQuestionCluster = z.infer<typeof FaqQuestionClusterSchema>;
export const FaqQuestionClustersSchema = z.object({
  days: z.number().int(),
  mailsRead: z.number().int(),
  items: z.array(FaqQuestionClusterSchema),
});
