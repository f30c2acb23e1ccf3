import type { Kysely } from 'kysely';

// Providers without ManageSieve (Tencent Exmail, Alibaba Mail): an admin checks the provider's
// console for forwarding by hand, and Pier records the last such check per mailbox (issue 18).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('forwarding_manual_checks')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('mailbox_id', 'text', (c) => c.notNull())
    .addColumn('checked_at', 'bigint', (c) => c.notNull())
    .addColumn('checked_by', 'text', (c) => c.notNull())
    .addColumn('forwarding_found', 'integer', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .createIndex('forwarding_manual_checks_mailbox_idx')
    .on('forwarding_manual_checks')
    .columns(['mailbox_id', 'checked_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('forwarding_manual_checks').execute();
}
