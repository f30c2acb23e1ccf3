/**
 * Tables of rules (migration 0033_rules), owned by modules/rules (decision 0032).
 */
export type RulesTables = {
  rules: RulesTable;
  rule_runs: RuleRunsTable;
};

export interface RulesTable {
  id: string;
  /** null: a global rule (every mailbox). */
  mailbox_id: string | null;
  name: string;
  /** Order of evaluation, one sequence over global and mailbox rules (lower first). */
  position: number;
  enabled: 0 | 1;
  trigger: 'new-conversation' | 'message' | 'schedule';
  /** Schedule rules: open and unanswered after this many working hours. */
  after_working_hours: number | null;
  match: 'all' | 'any';
  /** JSON array of RuleCondition (contracts). */
  conditions: string;
  /** JSON array of RuleAction (contracts). */
  actions: string;
  repeat: 0 | 1;
  created_by: string | null;
  created_at: number;
  updated_by: string | null;
  updated_at: number;
}

/** One per time a rule acted on a conversation; the primary key makes a second claim a no-op. */
export interface RuleRunsTable {
  rule_id: string;
  conversation_id: string;
  /** 'once', or the message / unanswered stretch a repeating rule acted on. */
  run_key: string;
  message_id: string | null;
  at: number;
}
