import type { Kysely } from 'kysely';

// The outbox domain's tables (types in db/tables/outbox.ts). Same portable types as 0001.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('outbox_messages')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('message_id', 'text', (c) => c.notNull().unique().references('messages.id').onDelete('cascade'))
    .addColumn('message_id_header', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('mailbox_id', 'text', (c) => c.notNull().references('mailboxes.id').onDelete('cascade'))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('send_after', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error_code', 'text')
    .addColumn('error_detail', 'text')
    .addColumn('envelope', 'text', (c) => c.notNull())
    .addColumn('smtp_response', 'text')
    .addColumn('rejected', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('sent_at', 'bigint')
    .addColumn('sent_copy', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('sent_copy_detail', 'text')
    .addColumn('bounced_at', 'bigint')
    .addColumn('bounce_detail', 'text')
    .addColumn('draft_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outbox_messages_header').on('outbox_messages').column('message_id_header').execute();
  await db.schema.createIndex('outbox_messages_conversation').on('outbox_messages').column('conversation_id').execute();

  await db.schema
    .createTable('outbox_drafts')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text')
    .addColumn('mailbox_id', 'text')
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('reply_to_message_id', 'text')
    .addColumn('to_json', 'text', (c) => c.notNull())
    .addColumn('cc_json', 'text', (c) => c.notNull())
    .addColumn('bcc_json', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('html', 'text', (c) => c.notNull())
    .addColumn('attachments_json', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outbox_drafts_user_conversation').on('outbox_drafts').columns(['user_id', 'conversation_id']).execute();

  await db.schema
    .createTable('outbox_uploads')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('outbox_mailbox_settings')
    .addColumn('mailbox_id', 'text', (c) => c.primaryKey().notNull().references('mailboxes.id').onDelete('cascade'))
    .addColumn('signature_html', 'text', (c) => c.notNull())
    .addColumn('company_name', 'text', (c) => c.notNull())
    .addColumn('logo_url', 'text', (c) => c.notNull())
    .addColumn('website', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('sent_copy', 'text', (c) => c.notNull().defaultTo('auto'))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('outbox_agent_settings')
    .addColumn('user_id', 'text', (c) => c.primaryKey().notNull().references('users.id').onDelete('cascade'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('undo_seconds', 'integer')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('outbox_saved_replies')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('body_html', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'outbox_saved_replies',
    'outbox_agent_settings',
    'outbox_mailbox_settings',
    'outbox_uploads',
    'outbox_drafts',
    'outbox_messages',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
