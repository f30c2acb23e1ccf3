export { listConversations } from './conversations.js';
export {
  type IngestContext,
  type IngestResult,
  ingestMail,
  type MailLocation,
  type PreparedMail,
  prepareMail,
  storePreparedMail,
} from './ingest.js';
export { type AuthResults, createDnsResolver, readProviderAuthResults, verifyInboundMail } from './mail-auth.js';
export { messageIdentity } from './message-identity.js';
export { type ParsedMail, parseMail } from './parse-mail.js';
export { conversationIdFromMessageIds, newPierMessageId } from './pier-message-id.js';
export { createPreparePool, type PreparePool, preparePoolFor } from './prepare-pool.js';
export { conversationRoutes } from './routes.js';
export { isReplyOrForward, subjectKey } from './subject.js';
