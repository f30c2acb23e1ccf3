import type { Kysely } from 'kysely';

// Fraud defense II (issue 16): a person clears a false flag (who, when, why), and parties a person
// vouched for (an admin's mark, or the sender of a cleared flag). Types in db/tables/fraud.ts.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('fraud_assessments').addColumn('cleared_at', 'bigint').execute();
  await db.schema.alterTable('fraud_assessments').addColumn('cleared_by', 'text').execute();
  await db.schema.alterTable('fraud_assessments').addColumn('clear_reason', 'text').execute();

  await db.schema
    .createTable('fraud_trusted_parties')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('fraud_trusted_parties_value').on('fraud_trusted_parties').columns(['kind', 'value']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('fraud_trusted_parties').execute();
  await db.schema.alterTable('fraud_assessments').dropColumn('clear_reason').execute();
  await db.schema.alterTable('fraud_assessments').dropColumn('cleared_by').execute();
  await db.schema.alterTable('fraud_assessments').dropColumn('cleared_at').execute();
}
