import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * The whole data model, as Kysely sees it. IDs are UUIDv7 strings made by the
 * application; timestamps are epoch milliseconds (see docs/decisions/0001).
 */
export interface Database {
  settings: SettingsTable;
  users: UsersTable;
  sessions: SessionsTable;
  mailboxes: MailboxesTable;
  mailbox_access: MailboxAccessTable;
  messages: MessagesTable;
  message_locations: MessageLocationsTable;
  conversations: ConversationsTable;
  conversation_messages: ConversationMessagesTable;
  conversation_mailboxes: ConversationMailboxesTable;
  jobs: JobsTable;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: number;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  role: 'super_admin' | 'admin' | 'agent' | 'auditor';
  locale: string | null;
  status: 'active' | 'disabled';
  created_at: number;
  updated_at: number;
  last_login_at: number | null;
}

export interface SessionsTable {
  /** SHA-256 of the cookie token: a stolen database cannot be replayed as cookies. */
  id: string;
  user_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  ip: string | null;
  user_agent: string | null;
}

export interface MailboxesTable {
  id: string;
  address: string;
  display_name: string;
  purpose: string;
  status: 'active' | 'paused';
  status_detail: string | null;
  imap_host: string | null;
  imap_port: number | null;
  imap_tls: string | null;
  imap_user: string | null;
  smtp_host: string | null;
  smtp_port: number | null;
  smtp_tls: string | null;
  smtp_user: string | null;
  /** Encrypted with the workspace key (AES-256-GCM), never plain text. */
  secret_enc: string | null;
  created_at: number;
  updated_at: number;
}

export interface MailboxAccessTable {
  user_id: string;
  mailbox_id: string;
  access: 'read' | 'reply' | 'manage';
}

export interface MessagesTable {
  id: string;
  /** Message-ID plus a hash of the normalised content: the same mail seen twice is one row. */
  identity: string;
  message_id_header: string | null;
  raw_sha256: string;
  raw_size: number;
  direction: 'in' | 'out';
  from_addr: string | null;
  from_name: string | null;
  to_addrs: string;
  cc_addrs: string;
  subject: string;
  sent_at: number | null;
  received_at: number;
  in_reply_to: string | null;
  references_json: string;
  snippet: string;
  parse_status: 'ok' | 'failed';
  parse_error: string | null;
  created_at: number;
}

export interface MessageLocationsTable {
  id: string;
  message_id: string;
  mailbox_id: string;
  /** IMAP folder path; '' for mail received on Pier's own SMTP listener or imported. */
  folder_path: string;
  uid: number | null;
  source: 'smtp' | 'imap' | 'import';
  seen_at: number;
}

export interface ConversationsTable {
  id: string;
  subject: string;
  status: 'open' | 'pending' | 'snoozed' | 'closed';
  assignee_id: string | null;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  last_message_at: number;
  created_at: number;
  updated_at: number;
}

export interface ConversationMessagesTable {
  conversation_id: string;
  message_id: string;
}

export interface ConversationMailboxesTable {
  conversation_id: string;
  mailbox_id: string;
}

export interface JobsTable {
  id: string;
  name: string;
  payload: string;
  state: 'queued' | 'dead';
  run_at: number;
  attempts: Generated<number>;
  max_attempts: number;
  locked_by: string | null;
  locked_until: number | null;
  dedupe_key: string | null;
  last_error: string | null;
  created_at: number;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type MailboxRow = Selectable<MailboxesTable>;
export type MessageRow = Selectable<MessagesTable>;
export type JobRow = Selectable<JobsTable>;
export type UserUpdate = Updateable<UsersTable>;
