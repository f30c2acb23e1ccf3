export { listConversations } from './conversations.js';
export { type IngestResult, ingestMail, type MailLocation, type PreparedMail, prepareMail, storePreparedMail } from './ingest.js';
export { type AuthResults, createDnsResolver, readProviderAuthResults, verifyInboundMail } from './mail-auth.js';
export { messageIdentity } from './message-identity.js';
export { conversationRoutes } from './routes.js';
