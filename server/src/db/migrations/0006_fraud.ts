import type { Kysely } from 'kysely';

// The fraud domain's tables (types in db/tables/fraud.ts).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('fraud_assessments')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('message_id', 'text', (c) => c.notNull().unique().references('messages.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull())
    .addColumn('score', 'integer', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('signals', 'text', (c) => c.notNull())
    .addColumn('imitated', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('fraud_assessments_conversation').on('fraud_assessments').column('conversation_id').execute();

  await db.schema
    .createTable('fraud_bank_identifiers')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('company_id', 'text', (c) => c.notNull().references('companies.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('first_message_id', 'text', (c) => c.notNull())
    .addColumn('last_message_id', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('fraud_bank_identifiers_company_value')
    .on('fraud_bank_identifiers')
    .columns(['company_id', 'kind', 'value'])
    .unique()
    .execute();

  await db.schema
    .createTable('fraud_phone_confirmations')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id'))
    .addColumn('phone_e164', 'text', (c) => c.notNull())
    .addColumn('called_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('called_at', 'bigint', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('fraud_phone_confirmations_conversation').on('fraud_phone_confirmations').column('conversation_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('fraud_phone_confirmations').ifExists().execute();
  await db.schema.dropTable('fraud_bank_identifiers').ifExists().execute();
  await db.schema.dropTable('fraud_assessments').ifExists().execute();
}
