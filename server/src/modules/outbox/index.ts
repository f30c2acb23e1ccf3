export { settleAwaitingApproval } from './approval-outcome.js';
export { AUTOMATIC_AUTHOR, type AutomaticReply, isAutomaticMail, queueAutomaticReply } from './automatic-mail.js';
export { attachBounce } from './bounces.js';
export type { Actor } from './conversation-reads.js';
export { uploadBlobHashes } from './drafts.js';
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
export { type Envelope, SmtpSendError, type SmtpTimeouts, sendRawMail } from './smtp-send.js';
export { bounceSubscriber } from './subscribers.js';
export { conversationsWithOutgoingMail } from './team-activity.js';
export { escapeHtml } from './templates.js';
