/**
 * Auto-replies per mailbox (issue 15, decision 0031): settings with language versions and
 * inside/outside business-hours texts, the decision Pier takes for a mail (`autoReplyDecisionFor`,
 * also used by `rules test`), and the `message.classified` subscriber that sends through the
 * loop guard and the outbox, exactly once.
 */
export { AUTO_REPLY_SEND, type AutoReplyDecision, type AutoReplyDecisionInput, autoReplyDecisionFor } from './decision.js';
export { chooseVersion, expectedReply, formatReplyTime, type ReplyTiming, renderAutoReply, shortReference } from './render.js';
export { autoReplyRoutes } from './routes.js';
export { type AutoReplyDeps, answerAutomatically, autoReplySubscriber, DEFAULT_REPLY_TIMING } from './send.js';
export {
  DEFAULT_AUTO_REPLY_TEMPLATES,
  loadAutoReplySettings,
  type StoredAutoReply,
  saveAutoReplySettings,
  turnOffAutoReply,
  turnOnAutoReplyWithText,
} from './settings.js';
