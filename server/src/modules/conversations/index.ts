export { listConversations } from './conversations.js';
export { type IncomingMail, type IngestResult, ingestMail } from './ingest.js';
export { messageIdentity } from './message-identity.js';
export { conversationRoutes } from './routes.js';
