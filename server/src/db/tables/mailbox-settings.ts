/**
 * Tables of the mailbox settings (migration 0035_mailbox_settings), owned by
 * modules/mailbox-settings: a mailbox's business hours and its SLA policy per priority.
 */
export type MailboxSettingsTables = {
  mailbox_business_hours: MailboxBusinessHoursTable;
  sla_policies: SlaPoliciesTable;
};

export interface MailboxBusinessHoursTable {
  mailbox_id: string;
  /** JSON of BusinessHoursSchema (packages/contracts). */
  hours: string;
  updated_by: string | null;
  updated_at: number;
}

/** One policy per mailbox and conversation priority; targets in working minutes. */
export interface SlaPoliciesTable {
  mailbox_id: string;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  first_reply_minutes: number;
  /** null: no target for replies after the first. */
  next_reply_minutes: number | null;
  /** null: no resolution target (the default). */
  resolution_minutes: number | null;
  updated_by: string | null;
  updated_at: number;
}
