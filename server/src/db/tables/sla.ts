/** The SLA clock per conversation (migration 0036_conversation_sla), owned by modules/sla (decision 0033). */
export type SlaTables = {
  conversation_sla: ConversationSlaTable;
};

export interface ConversationSlaTable {
  conversation_id: string;
  /** The mailbox whose business hours and policy apply (the conversation's first mailbox). */
  mailbox_id: string;
  /** The reply owed now; null when none is (answered, or nothing from the customer yet). */
  phase: 'first_reply' | 'next_reply' | null;
  /** The customer message the clock counts from. */
  started_at: number | null;
  /** The policy's target in working milliseconds when the clock started (or the hours/policy changed). */
  target_ms: number | null;
  /** Working time used before `running_since` (stretches before a pause). */
  consumed_ms: number;
  /** null while paused: waiting on the customer (status pending) or closed. */
  running_since: number | null;
  due_at: number | null;
  /** 80 % of the target used. */
  warn_at: number | null;
  /** When the warning / breach of the current clock was notified (once per clock). */
  warned_at: number | null;
  breached_at: number | null;
  first_customer_at: number | null;
  first_reply_at: number | null;
  /** Working time to the first reply (pauses excluded), and the target it had, for the reports. */
  first_reply_working_ms: number | null;
  first_reply_target_ms: number | null;
  updated_at: number;
}
