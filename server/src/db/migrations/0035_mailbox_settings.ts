import type { Kysely } from 'kysely';

// Per-mailbox business hours and SLA policies (issue 15; types in db/tables/mailbox-settings.ts,
// owned by modules/mailbox-settings, decision 0033). A mailbox without a row uses the defaults
// of mailbox-settings' index.ts.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('mailbox_business_hours')
    .addColumn('mailbox_id', 'text', (c) => c.primaryKey().notNull().references('mailboxes.id').onDelete('cascade'))
    // JSON of BusinessHoursSchema (packages/contracts), parsed with the schema on every read.
    .addColumn('hours', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sla_policies')
    .addColumn('mailbox_id', 'text', (c) => c.notNull().references('mailboxes.id').onDelete('cascade'))
    .addColumn('priority', 'text', (c) => c.notNull())
    // Working minutes under the mailbox's business hours; null = no target of that kind.
    .addColumn('first_reply_minutes', 'integer', (c) => c.notNull())
    .addColumn('next_reply_minutes', 'integer')
    .addColumn('resolution_minutes', 'integer')
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sla_policies_pk', ['mailbox_id', 'priority'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('sla_policies').execute();
  await db.schema.dropTable('mailbox_business_hours').execute();
}
