import { z } from 'zod';

/** What kind of sender wrote a mail: a person, or one of the kinds of machine (issue 15). */
export const mailCategories = ['person', 'bulk', 'auto-reply', 'bounce', 'notification'] as const;
export const MailCategorySchema = z.enum(mailCategories);
export type MailCategory = z.infer<typeof MailCategorySchema>;
