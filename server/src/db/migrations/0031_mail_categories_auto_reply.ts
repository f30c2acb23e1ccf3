import type { Kysely } from 'kysely';

// Issue 15, decision 0031: what each incoming mail is (person or which kind of machine, with the
// signals that said so), its language and sender country, filled by the mail-facts subscriber after
// ingest; the conversation's category (its own inbox view for machine mail); the outbox's marker of
// mail Pier wrote by itself (auto-replies do not count as a first reply); and the auto-reply
// module's settings per mailbox and its record of every auto-reply (period and hourly cap).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('messages').addColumn('category', 'text').execute();
  await db.schema.alterTable('messages').addColumn('category_reasons', 'text').execute();
  await db.schema.alterTable('messages').addColumn('country', 'text').execute();
  await db.schema.alterTable('messages').addColumn('country_source', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('category', 'text').execute();
  await db.schema.createIndex('conversations_category_idx').on('conversations').column('category').execute();
  await db.schema.alterTable('outbox_messages').addColumn('automatic_kind', 'text').execute();

  await db.schema
    .createTable('auto_reply_settings')
    .addColumn('mailbox_id', 'text', (c) => c.primaryKey().notNull().references('mailboxes.id').onDelete('cascade'))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('enabled_since', 'bigint')
    .addColumn('templates', 'text', (c) => c.notNull())
    .addColumn('period_hours', 'integer', (c) => c.notNull().defaultTo(96))
    .addColumn('hourly_cap', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('auto_reply_sends')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('mailbox_id', 'text', (c) => c.notNull().references('mailboxes.id').onDelete('cascade'))
    .addColumn('trigger_message_id', 'text', (c) => c.notNull())
    .addColumn('correspondent', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('outbox_id', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('auto_reply_sends_trigger_uq', ['mailbox_id', 'trigger_message_id'])
    .execute();
  await db.schema
    .createIndex('auto_reply_sends_correspondent_idx')
    .on('auto_reply_sends')
    .columns(['mailbox_id', 'correspondent', 'at'])
    .execute();
  await db.schema.createIndex('auto_reply_sends_conversation_idx').on('auto_reply_sends').columns(['conversation_id', 'at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('auto_reply_sends').execute();
  await db.schema.dropTable('auto_reply_settings').execute();
  await db.schema.alterTable('outbox_messages').dropColumn('automatic_kind').execute();
  await db.schema.dropIndex('conversations_category_idx').execute();
  await db.schema.alterTable('conversations').dropColumn('category').execute();
  for (const column of ['country_source', 'country', 'category_reasons', 'category']) {
    await db.schema.alterTable('messages').dropColumn(column).execute();
  }
}
