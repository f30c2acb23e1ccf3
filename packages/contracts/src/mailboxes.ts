import { z } from 'zod';
import { EmailSchema } from './auth.js';

export const mailboxPurposes = ['inquiry', 'sales', 'service', 'purchase', 'logistics', 'accounting', 'marketing'] as const;
export const MailboxPurposeSchema = z.enum(mailboxPurposes);
export type MailboxPurpose = z.infer<typeof MailboxPurposeSchema>;

export const MailboxSchema = z.object({
  id: z.string(),
  address: z.string(),
  displayName: z.string(),
  purpose: MailboxPurposeSchema,
  status: z.string(),
  openCount: z.number().int(),
});
export type Mailbox = z.infer<typeof MailboxSchema>;

export const CreateMailboxSchema = z.object({
  address: EmailSchema,
  displayName: z.string().trim().min(1).max(120),
  purpose: MailboxPurposeSchema,
});
export type CreateMailbox = z.infer<typeof CreateMailboxSchema>;
