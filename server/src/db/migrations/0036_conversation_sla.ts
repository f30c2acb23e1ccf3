import type { Kysely } from 'kysely';

// The SLA clock of each conversation (types in db/tables/sla.ts, owned by modules/sla, decision 0033):
// the reply owed now, its due and warning instants, and the first reply for the reports.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('conversation_sla')
    .addColumn('conversation_id', 'text', (c) => c.primaryKey().notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('mailbox_id', 'text', (c) => c.notNull())
    .addColumn('phase', 'text')
    .addColumn('started_at', 'bigint')
    .addColumn('target_ms', 'bigint')
    .addColumn('consumed_ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('running_since', 'bigint')
    .addColumn('due_at', 'bigint')
    .addColumn('warn_at', 'bigint')
    .addColumn('warned_at', 'bigint')
    .addColumn('breached_at', 'bigint')
    .addColumn('first_customer_at', 'bigint')
    .addColumn('first_reply_at', 'bigint')
    .addColumn('first_reply_working_ms', 'bigint')
    .addColumn('first_reply_target_ms', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  // "Due soonest" and the minute job's warnings and breaches.
  await db.schema.createIndex('conversation_sla_due_idx').on('conversation_sla').columns(['due_at']).execute();
  await db.schema.createIndex('conversation_sla_warn_idx').on('conversation_sla').columns(['warn_at']).execute();
  await db.schema.createIndex('conversation_sla_mailbox_idx').on('conversation_sla').columns(['mailbox_id', 'phase']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('conversation_sla').execute();
}
