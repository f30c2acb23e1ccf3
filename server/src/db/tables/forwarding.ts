/**
 * Tables of Pier's forwarding rules (migration 0015_forwarding_rules). Kept in their own file so
 * domains grow their part of the schema without touching each other's.
 */
export type ForwardingTables = {
  forwarding_rules: ForwardingRulesTable;
  forwarding_deliveries: ForwardingDeliveriesTable;
};

/** Forward incoming mail of a mailbox (all of it, or from one sender domain) to an address. */
export interface ForwardingRulesTable {
  id: string;
  mailbox_id: string;
  name: string;
  /** null: every incoming mail; else the From address's domain or a subdomain of it. */
  sender_domain: string | null;
  target: string;
  enabled: 0 | 1;
  created_by: string | null;
  created_at: number;
  updated_by: string | null;
  updated_at: number;
}

/**
 * One per (rule, message): written before the SMTP transaction, so a retried or repeated job
 * never sends twice. 'sending' found by a later run means a crash mid-send: 'uncertain', not resent.
 */
export interface ForwardingDeliveriesTable {
  rule_id: string;
  message_id: string;
  state: 'sending' | 'sent' | 'failed' | 'uncertain';
  target: string;
  error: string | null;
  created_at: number;
  updated_at: number;
}
