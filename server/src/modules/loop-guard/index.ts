/**
 * The loop guard: every automatic send of Pier (forwarding rules; auto-replies and rules next)
 * asks `decideAutomaticSend` first and sends only on `{ send: true }`, with the returned headers.
 * See docs/decisions/0025-loop-guard.md.
 */
export {
  AUTOMATIC_MAIL_ORDER,
  type AutomaticSendDecision,
  type AutomaticSendKind,
  type AutomaticSendRequest,
  automaticSendHeaders,
  DEFAULT_LOOP_GUARD_LIMITS,
  decideAutomaticSend,
  type LoopAlertMailer,
  type LoopGuardDeps,
  type LoopGuardLimits,
  type LoopGuardReason,
} from './decide.js';
export { isSystemSender, type LoopSignal, loopSignalOf } from './loop-signals.js';
