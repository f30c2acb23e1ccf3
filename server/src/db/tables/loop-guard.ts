/**
 * Tables of the loop guard (migration 0024_loop_guard), owned by modules/loop-guard: every
 * automatic send Pier allowed, counted durably for the rate limits, and one row per alert period.
 */
export type LoopGuardTables = {
  automatic_sends: AutomaticSendsTable;
  loop_guard_alerts: LoopGuardAlertsTable;
};

/** One automatic send the guard allowed (a forward, an auto-reply, a rule's mail). */
export interface AutomaticSendsTable {
  id: string;
  kind: 'forward' | 'auto_reply' | 'rule';
  rule_id: string;
  mailbox_id: string;
  /** Lower-cased address of the mail's sender whose mail caused the send. */
  correspondent: string;
  conversation_id: string | null;
  /** The incoming message that caused it: a repeated decision for it returns the first one. */
  trigger_id: string;
  at: number;
}

/** At most one alert per rule and period: the primary key makes a second insert a no-op. */
export interface LoopGuardAlertsTable {
  rule_id: string;
  period: number;
  reason: string;
  at: number;
}
