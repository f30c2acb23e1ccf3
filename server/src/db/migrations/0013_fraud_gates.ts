import type { Kysely } from 'kysely';

// Fraud gates on sending (issue 5): the per-mailbox second-approver rule, the decisions of the
// approvers, and why an outgoing mail waits for one (types in db/tables/fraud.ts and outbox.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('fraud_mailbox_settings')
    .addColumn('mailbox_id', 'text', (c) => c.primaryKey().notNull().references('mailboxes.id').onDelete('cascade'))
    .addColumn('second_approver', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('outbox_approvals')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('outbox_id', 'text', (c) => c.notNull().references('outbox_messages.id').onDelete('cascade'))
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outbox_approvals_outbox').on('outbox_approvals').column('outbox_id').execute();

  // JSON array of reasons (payment_details, bill_of_lading) when the mail needs a second approver; null otherwise.
  await db.schema.alterTable('outbox_messages').addColumn('approval_reasons', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('outbox_messages').dropColumn('approval_reasons').execute();
  await db.schema.dropTable('outbox_approvals').execute();
  await db.schema.dropTable('fraud_mailbox_settings').execute();
}
