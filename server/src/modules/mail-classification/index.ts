export { classifyMail, type MailClassification } from './classify-mail.js';
export type { ClassificationReason, MachineCategory, MailEnvelope } from './mail-signals.js';
