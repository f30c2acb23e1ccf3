export { conversationAccess, conversationMailboxIds, messageAccess } from './access.js';
export { type AnswerText, incomingQuestionTexts, latestIncomingTextOf, messageTextOf, sentAnswerTexts } from './answer-texts.js';
export { type ConversationFilter, conversationMatches, type MessageFilter } from './conversation-filters.js';
export { firstMessageOf, refreshConversationLatest } from './conversation-queries.js';
export { listConversations } from './conversations.js';
export { type CustomerConversation, conversationsWithContacts, latestLanguagesOf } from './customer-conversations.js';
export {
  type BatchItem,
  type IngestContext,
  type IngestResult,
  ingestMail,
  type MailLocation,
  type PreparedMail,
  prepareMail,
  type RecordReopened,
  type StorableMail,
  storePreparedBatch,
  storePreparedMail,
  type TeamActivityCheck,
} from './ingest.js';
export { type AuthResults, createDnsResolver, readProviderAuthResults, verifyInboundMail } from './mail-auth.js';
export { deleteMailOnlyIn, moveMessageToConversation, removeUnsentMessage } from './mail-removal.js';
export { fileConversation, type MessageFacts, type MessageForFacts, messageForFacts, recordMessageFacts } from './message-facts.js';
export { contentIdentity, messageIdentity, splitMessage } from './message-identity.js';
export { deleteLocationsByUid, forgetFolderLocations, listFolderUids, updateLocationFlags } from './message-locations.js';
export { type ParsedMail, parseMail } from './parse-mail.js';
export {
  conversationsWithMailFromContacts,
  firstMailSentToContacts,
  incomingMailSpansOfContacts,
  type MailCondition,
} from './party-mail.js';
export { createPierMessageIds, type PierMessageIds } from './pier-message-id.js';
export { createPreparePool, type PreparePool, preparePoolFor } from './prepare-pool.js';
export { type ReindexCounts, type ReindexOptions, reindexStoredMail } from './reindex.js';
export { relateConversations, relatedByMail } from './relations.js';
export { conversationRoutes } from './routes.js';
export { checkStoredMail, type StoredMailCheck, storedMailSummary } from './stored-mail-check.js';
export { isReplyOrForward, subjectKey } from './subject.js';
export {
  clearTeamOfConversations,
  conversationAssignee,
  mergeConversationRows,
  setSpamFlag,
  updateWorkState,
  type WorkState,
} from './work-state.js';
