import type { MailCategory } from '@pier/contracts';
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { AccountsTables } from './tables/accounts.js';
import type { ApiTables } from './tables/api.js';
import type { AuditTables } from './tables/audit.js';
import type { AutoReplyTables } from './tables/auto-reply.js';
import type { CampaignTables } from './tables/campaigns.js';
import type { CustomerTables } from './tables/customers.js';
import type { ForwardingTables } from './tables/forwarding.js';
import type { FraudTables } from './tables/fraud.js';
import type { ConversationTriageColumns, InboxTables } from './tables/inbox.js';
import type { KnowledgeTables } from './tables/knowledge.js';
import type { LoopGuardTables } from './tables/loop-guard.js';
import type { MailboxSettingsTables } from './tables/mailbox-settings.js';
import type { OutboxTables } from './tables/outbox.js';
import type { PasskeyTables } from './tables/passkeys.js';
import type { PushTables } from './tables/push.js';
import type { RulesTables } from './tables/rules.js';
import type { SlaTables } from './tables/sla.js';

/**
 * The whole data model, as Kysely sees it. IDs are UUIDv7 strings made by the
 * application; timestamps are epoch milliseconds (see docs/decisions/0001).
 */
export interface Database
  extends AccountsTables,
    ApiTables,
    AuditTables,
    AutoReplyTables,
    CustomerTables,
    CampaignTables,
    ForwardingTables,
    FraudTables,
    InboxTables,
    KnowledgeTables,
    LoopGuardTables,
    MailboxSettingsTables,
    OutboxTables,
    PasskeyTables,
    RulesTables,
    SlaTables,
    PushTables {
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
  conversation_relations: ConversationRelationsTable;
  jobs: JobsTable;
  folders: FoldersTable;
  leases: LeasesTable;
  message_bodies: MessageBodiesTable;
  attachments: AttachmentsTable;
  companies: CompaniesTable;
  contacts: ContactsTable;
  message_contacts: MessageContactsTable;
  message_search_keys: MessageSearchKeysTable;
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
  /** 'invited': created by an invitation whose link was not used yet (cannot sign in). */
  status: 'active' | 'disabled' | 'invited';
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
  /** 'done', or what the session must do before anything else: 'verify' a code, or 'enrol' one. */
  second_factor: Generated<'done' | 'verify' | 'enrol'>;
  /** Last time password + second factor were checked in this session (sign-in or step-up). */
  reauth_at: number | null;
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
  /** exmail | aliyun | qiye163 | gmail | m365 | other: which provider quirks apply. */
  preset: Generated<string>;
  auth_method: Generated<'password' | 'xoauth2'>;
  /** JSON array of folder roles to sync: inbox, sent, spam. */
  sync_folders: Generated<string>;
  /** Initial sync reaches back to this time (epoch ms); null means all history. */
  sync_since: number | null;
  last_synced_at: number | null;
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
  parse_status: 'ok' | 'partial' | 'failed';
  parse_error: string | null;
  created_at: number;
  /** JSON: SPF/DKIM/DMARC/ARC verdicts (Pier's own or the provider's Authentication-Results). */
  auth_results: string | null;
  attachment_count: Generated<number>;
  language: string | null;
  /** person | bulk | auto-reply | bounce | notification (mail-facts subscriber, decision 0031); null until classified, and for outgoing mail. */
  category: Generated<MailCategory | null>;
  /** JSON array of the classification's reasons (mail-classification's ClassificationReason). */
  category_reasons: Generated<string | null>;
  /** ISO 3166-1 alpha-2 of the sender (sender-origin) and what gave it: cctld | received-ip | signature-phone. */
  country: Generated<string | null>;
  country_source: Generated<'cctld' | 'received-ip' | 'signature-phone' | null>;
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
  folder_id: string | null;
  /** JSON array of IMAP flags as last seen on the server. */
  flags: Generated<string>;
}

export interface ConversationsTable extends ConversationTriageColumns {
  id: string;
  subject: string;
  status: 'open' | 'pending' | 'snoozed' | 'closed';
  assignee_id: string | null;
  priority: 'low' | 'normal' | 'high' | 'urgent';
  last_message_at: number;
  created_at: number;
  updated_at: number;
  /** Normalised subject (prefixes stripped) for the threading fallback. */
  subject_key: Generated<string>;
  /** The customer side of the thread: their address. */
  counterparty: string | null;
  /** The list line: the newest message's sender and snippet (refreshConversationLatest keeps them in step). */
  last_from_addr: Generated<string | null>;
  last_from_name: Generated<string | null>;
  last_snippet: Generated<string>;
  /**
   * 'person' once a person's incoming mail (or a person's outgoing mail) is in it; else the category of
   * its first classified incoming mail (its own inbox view, not "Unassigned"); null until classified.
   */
  category: Generated<MailCategory | null>;
}

export interface ConversationMessagesTable {
  conversation_id: string;
  message_id: string;
}

export interface ConversationMailboxesTable {
  conversation_id: string;
  mailbox_id: string;
}

/** Conversations kept apart by mailbox that name or copy each other's mail (migration 0030, decision 0027); both directions stored. */
export interface ConversationRelationsTable {
  conversation_id: string;
  related_id: string;
  /** 'copy': the same mail, delivered to a mailbox its conversation is not in; 'thread': the mail named a message of the other. */
  reason: 'copy' | 'thread';
  created_at: number;
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

export interface FoldersTable {
  id: string;
  mailbox_id: string;
  path: string;
  role: 'inbox' | 'sent' | 'spam' | 'other';
  uidvalidity: number | null;
  last_uid: Generated<number>;
  backfill_below_uid: Generated<number>;
  highest_modseq: string | null;
  synced_at: number | null;
  status: Generated<string>;
  status_detail: string | null;
  /** The running initial sync or backfill (migration 0046): mails it set out to fetch, done, since when. */
  backlog_total: Generated<number>;
  backlog_done: Generated<number>;
  backlog_started_at: number | null;
}

export interface LeasesTable {
  name: string;
  holder: string;
  expires_at: number;
}

export interface MessageBodiesTable {
  message_id: string;
  text: string;
  html: string | null;
}

export interface AttachmentsTable {
  id: string;
  message_id: string;
  sha256: string;
  filename: string;
  mime: string;
  size: number;
  content_id: string | null;
  is_inline: number;
  position: number;
}

export interface CompaniesTable {
  id: string;
  domain: string;
  name: string;
  country: string | null;
  created_at: number;
  /** JSON array of tag names (migration 0051_customers). */
  tags: string | null;
  /** Name and domain folded in JavaScript (contacts/search-text.ts). */
  search_text: string | null;
  updated_at: number | null;
}

export interface ContactsTable {
  id: string;
  address: string;
  name: string | null;
  company_id: string | null;
  country: string | null;
  /** The number verified for call-back: the one a phone confirmation calls (fraud decides who sets it). */
  phone_e164: string | null;
  first_seen_at: number;
  last_seen_at: number;
  /** The salesperson who owns the customer (users.id); null: in the pool (migration 0051_customers). */
  owner_id: string | null;
  owned_since: number | null;
  /** JSON array of tag names; JSON object of custom fields (string values). */
  tags: string | null;
  custom_fields: string | null;
  /** Name, address and phone numbers folded in JavaScript (contacts/search-text.ts). */
  search_text: string | null;
  /** Set on a duplicate merged into another contact: it leaves the directory, its history joins the other's. */
  merged_into_id: string | null;
  updated_at: number | null;
  /** When the owner was told the customer returns to the pool (migration 0052_customer_pools). */
  pool_notice_at: number | null;
}

export interface MessageContactsTable {
  message_id: string;
  contact_id: string;
  role: 'from' | 'to' | 'cc' | 'reply_to';
}

/**
 * The search index's key per message: received_at_ms * 1024 + a tie-breaker, unique, so
 * newest-first is key order. The index itself (message_search) is engine-specific, an FTS5
 * table or a tsvector table, and is only touched through `sql` in modules/search.
 */
export interface MessageSearchKeysTable {
  message_id: string;
  sort_key: number;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type MailboxRow = Selectable<MailboxesTable>;
export type NewMailbox = Insertable<MailboxesTable>;
export type FolderRow = Selectable<FoldersTable>;
export type MessageRow = Selectable<MessagesTable>;
export type NewMessage = Insertable<MessagesTable>;
export type JobRow = Selectable<JobsTable>;
export type UserUpdate = Updateable<UsersTable>;
