import type { Kysely } from 'kysely';

// Portable across SQLite and PostgreSQL: text ids, bigint epoch-ms timestamps,
// explicit NOT NULL on text primary keys (SQLite would otherwise allow NULL),
// text JSON. Only types both engines map the same way (see docs/decisions/0001).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c) => c.primaryKey().notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('locale', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('last_login_at', 'bigint')
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_expires_idx').on('sessions').column('expires_at').execute();

  await db.schema
    .createTable('mailboxes')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('address', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('status_detail', 'text')
    .addColumn('imap_host', 'text')
    .addColumn('imap_port', 'integer')
    .addColumn('imap_tls', 'text')
    .addColumn('imap_user', 'text')
    .addColumn('smtp_host', 'text')
    .addColumn('smtp_port', 'integer')
    .addColumn('smtp_tls', 'text')
    .addColumn('smtp_user', 'text')
    .addColumn('secret_enc', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('mailbox_access')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('mailbox_id', 'text', (c) => c.notNull().references('mailboxes.id').onDelete('cascade'))
    .addColumn('access', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('mailbox_access_pk', ['user_id', 'mailbox_id'])
    .execute();
  await db.schema.createIndex('mailbox_access_mailbox_idx').on('mailbox_access').column('mailbox_id').execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('identity', 'text', (c) => c.notNull().unique())
    .addColumn('message_id_header', 'text')
    .addColumn('raw_sha256', 'text', (c) => c.notNull())
    .addColumn('raw_size', 'bigint', (c) => c.notNull())
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('from_addr', 'text')
    .addColumn('from_name', 'text')
    .addColumn('to_addrs', 'text', (c) => c.notNull())
    .addColumn('cc_addrs', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('in_reply_to', 'text')
    .addColumn('references_json', 'text', (c) => c.notNull())
    .addColumn('snippet', 'text', (c) => c.notNull())
    .addColumn('parse_status', 'text', (c) => c.notNull())
    .addColumn('parse_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('messages_message_id_idx').on('messages').column('message_id_header').execute();

  await db.schema
    .createTable('message_locations')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id').onDelete('cascade'))
    .addColumn('mailbox_id', 'text', (c) => c.notNull().references('mailboxes.id').onDelete('cascade'))
    .addColumn('folder_path', 'text', (c) => c.notNull())
    .addColumn('uid', 'bigint')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('seen_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('message_locations_unique')
    .on('message_locations')
    .columns(['message_id', 'mailbox_id', 'folder_path'])
    .unique()
    .execute();

  await db.schema
    .createTable('conversations')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('assignee_id', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('priority', 'text', (c) => c.notNull())
    .addColumn('last_message_at', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('conversations_last_message_idx').on('conversations').column('last_message_at').execute();

  await db.schema
    .createTable('conversation_messages')
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('conversation_messages_pk', ['conversation_id', 'message_id'])
    .execute();
  await db.schema.createIndex('conversation_messages_message_idx').on('conversation_messages').column('message_id').execute();

  await db.schema
    .createTable('conversation_mailboxes')
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('mailbox_id', 'text', (c) => c.notNull().references('mailboxes.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('conversation_mailboxes_pk', ['conversation_id', 'mailbox_id'])
    .execute();
  await db.schema.createIndex('conversation_mailboxes_mailbox_idx').on('conversation_mailboxes').column('mailbox_id').execute();

  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('run_at', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'bigint')
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('jobs_due_idx').on('jobs').columns(['state', 'run_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'jobs',
    'conversation_mailboxes',
    'conversation_messages',
    'conversations',
    'message_locations',
    'messages',
    'mailbox_access',
    'mailboxes',
    'sessions',
    'users',
    'settings',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
