export {
  FORWARD_HEADER,
  type ForwardingDeps,
  forwardByRule,
  forwardingJobHandlers,
  forwardingSubscriber,
  forwardMessage,
  senderMatches,
} from './forward.js';
export { forwardingRoutes } from './routes.js';
export { type AlertMailer, createForwardingRule, removeForwardingRule, updateForwardingRule } from './rules.js';
