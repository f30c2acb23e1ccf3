import type { PushKind } from '@pier/contracts';

/**
 * Which notification kinds are pushed, and as which of the kinds a person chooses from. A kind not
 * named here (a follower's "note", "reopened", a security alert, kinds other modules add later) is
 * not pushed: it waits in the in-app centre. A new kind that must be acted on gets a line here.
 */
const PUSHED: Readonly<Record<string, PushKind>> = {
  assigned: 'assigned',
  mention: 'mention',
  approval_requested: 'approval',
  // The 80 % SLA warning (decision 0033): still time to answer. The breach itself is not pushed.
  sla_warning: 'sla',
  // A flagged company's phone on file changed: the admins must check it before money moves.
  flagged_phone_changed: 'fraud',
  // A mail in a conversation assigned to me was flagged warn or high (fraud/flag-notice.ts).
  fraud_flag: 'fraud',
};

export function pushKindOf(notificationKind: string): PushKind | undefined {
  return Object.hasOwn(PUSHED, notificationKind) ? PUSHED[notificationKind] : undefined;
}
