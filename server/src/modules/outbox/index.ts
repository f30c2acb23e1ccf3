export { settleAwaitingApproval } from './approval-outcome.js';
export {
  AUTOMATIC_AUTHOR,
  type AutomaticReply,
  automaticMessageIdsAmong,
  isAutomaticMail,
  queueAutomaticReply,
} from './automatic-mail.js';
export { attachBounce } from './bounces.js';
export { type Actor, findParentMessage } from './conversation-reads.js';
export { findUploads, uploadBlobHashes, uploadFromBlob } from './drafts.js';
export { parseDeliveryReport } from './dsn.js';
export { buildOutgoingMime, htmlToPlainText } from './mime.js';
export { sanitizeOutgoingHtml } from './outgoing-html.js';
export {
  cancelSend,
  composeContext,
  deliveryStates,
  type QueueDeps,
  queueSend,
  resolveSend,
  SEND_JOB,
  SENT_COPY_JOB,
} from './queue-send.js';
export { outboxRoutes } from './routes.js';
export { DEFAULT_RETRY_DELAYS_MS, type OutboxWorkerDeps, outboxJobHandlers, runSendJob, runSentCopyJob } from './send-job.js';
export { templateValues } from './settings.js';
export { type Envelope, SmtpSendError, type SmtpTimeouts, sendRawMail } from './smtp-send.js';
export { bounceSubscriber } from './subscribers.js';
export { conversationsWithOutgoingMail } from './team-activity.js';
export { escapeHtml, renderTemplate, textToHtml } from './templates.js';
