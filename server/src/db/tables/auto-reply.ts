/**
 * Tables of the auto-reply module (migration 0031_mail_categories_auto_reply, decision 0031):
 * each mailbox's auto-reply and every auto-reply Pier decided to send.
 */
export type AutoReplyTables = {
  auto_reply_settings: AutoReplySettingsTable;
  auto_reply_sends: AutoReplySendsTable;
};

export interface AutoReplySettingsTable {
  mailbox_id: string;
  enabled: 0 | 1;
  /** When it was last turned on: mail received before (history a sync brings in) is never answered. */
  enabled_since: number | null;
  /** JSON of the contracts' AutoReplyTemplates: language versions, inside/outside business hours. */
  templates: string;
  /** At most one auto-reply per sender and mailbox in this many hours (default 96 = 4 days). */
  period_hours: number;
  /** At most this many auto-replies per conversation and hour. */
  hourly_cap: number;
  updated_by: string | null;
  updated_at: number;
}

/** One row per incoming mail Pier answers automatically: the claim that makes it exactly once. */
export interface AutoReplySendsTable {
  id: string;
  mailbox_id: string;
  trigger_message_id: string;
  /** Lower-cased address the auto-reply went to. */
  correspondent: string;
  conversation_id: string;
  /** The outbox row of the auto-reply, once queued. */
  outbox_id: string | null;
  at: number;
}
