export {
  deliverSlaNotification,
  SLA_BREACHED,
  SLA_NOTIFY_JOB,
  SLA_WARNING,
  type SlaNotification,
  sendDueSlaAlerts,
  type TeamLeadsOf,
} from './alerts.js';
export { evaluateConversationSla } from './evaluate.js';
export {
  queueMailboxSlaRecompute,
  recomputeMailboxSla,
  runSlaEvaluation,
  SLA_EVALUATE_JOB,
  SLA_RECOMPUTE_MAILBOX_JOB,
  slaJobHandlers,
  slaSubscribers,
} from './jobs.js';
export { type ClockState, dueTimes, walkMessages } from './sla-clock.js';
