/**
 * Tables of the outbox domain (migration 0008_outbox): mail the team writes in
 * Pier, from the first keystroke (drafts) to the provider's answer (sent,
 * failed, uncertain, bounced), and what the composer inserts (signatures,
 * saved replies). Kept in their own file so domains grow their part of the
 * schema without touching each other's.
 */
export type OutboxState =
  | 'awaiting_approval'
  | 'rejected'
  | 'scheduled'
  | 'queued'
  | 'sending'
  | 'sent'
  | 'failed'
  | 'uncertain'
  | 'bounced'
  | 'cancelled';

export interface OutboxMessagesTable {
  id: string;
  /** The stored message (messages.id, direction 'out'): written before anything is sent. */
  message_id: string;
  /** Its final Message-ID header, kept stable across retries and resends. */
  message_id_header: string;
  conversation_id: string;
  mailbox_id: string;
  created_by: string;
  /**
   * scheduled (undo window) → queued → sending → sent | failed | uncertain; bounced later.
   * "sending" is committed before the SMTP session: a worker that finds it still
   * there after a crash cannot know the outcome and turns it into "uncertain".
   */
  state: OutboxState;
  /** Earliest time the job may send (end of the undo window). */
  send_after: number;
  /** SMTP sessions started for this message. */
  attempts: number;
  /** A translated code (outbox.* / connection.*) and the server's own words. */
  error_code: string | null;
  error_detail: string | null;
  /** JSON: envelope sender and every recipient (To, Cc and Bcc). */
  envelope: string;
  smtp_response: string | null;
  /** JSON array of recipients the server refused while accepting the others. */
  rejected: string;
  sent_at: number | null;
  /** Copy in the mailbox's Sent folder: pending | done | skipped | failed. */
  sent_copy: string;
  sent_copy_detail: string | null;
  bounced_at: number | null;
  bounce_detail: string | null;
  /** What the composer held, so an undone send comes back as a draft (JSON). */
  draft_json: string;
  /**
   * JSON array of why a second approver must approve the mail before it may leave
   * (payment_details, bill_of_lading; migration 0013), or null. The send job refuses a mail
   * with reasons and no approval (fail closed).
   */
  approval_reasons: string | null;
  /** null: a person wrote it; 'auto-reply': Pier's auto-reply (migration 0031; not a first reply for the SLA). */
  automatic_kind: 'auto-reply' | null;
  created_at: number;
  updated_at: number;
}

export interface OutboxDraftsTable {
  id: string;
  user_id: string;
  /** null for new mail not yet in a conversation. */
  conversation_id: string | null;
  mailbox_id: string | null;
  /** reply | reply_all | forward | new */
  mode: string;
  reply_to_message_id: string | null;
  to_json: string;
  cc_json: string;
  bcc_json: string;
  subject: string;
  html: string;
  /** JSON array of upload ids. */
  attachments_json: string;
  created_at: number;
  updated_at: number;
}

export interface OutboxUploadsTable {
  id: string;
  user_id: string;
  sha256: string;
  filename: string;
  mime: string;
  size: number;
  created_at: number;
}

/** Per-mailbox sending settings: the signature template and whether Pier saves a copy in Sent. */
export interface OutboxMailboxSettingsTable {
  mailbox_id: string;
  signature_html: string;
  company_name: string;
  logo_url: string;
  website: string;
  phone: string;
  /** auto (skip for providers that save sent mail themselves) | always | never */
  sent_copy: string;
  updated_at: number;
}

/** A mailbox's uploaded signature logo (migration 0048): the bytes are the blob `sha256`. */
export interface OutboxSignatureLogosTable {
  mailbox_id: string;
  sha256: string;
  /** Sniffed from the bytes: image/png | image/jpeg | image/gif | image/webp. */
  mime: string;
  size: number;
  width: number;
  height: number;
  updated_by: string;
  updated_at: number;
}

/** Per-agent: the title printed in signatures and the undo-send delay (null: the workspace's). */
export interface OutboxAgentSettingsTable {
  user_id: string;
  title: string;
  undo_seconds: number | null;
  updated_at: number;
}

export interface OutboxSavedRepliesTable {
  id: string;
  name: string;
  body_html: string;
  created_by: string;
  created_at: number;
  updated_at: number;
}

export type OutboxTables = {
  outbox_messages: OutboxMessagesTable;
  outbox_drafts: OutboxDraftsTable;
  outbox_uploads: OutboxUploadsTable;
  outbox_mailbox_settings: OutboxMailboxSettingsTable;
  outbox_signature_logos: OutboxSignatureLogosTable;
  outbox_agent_settings: OutboxAgentSettingsTable;
  outbox_saved_replies: OutboxSavedRepliesTable;
};
