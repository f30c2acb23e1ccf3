import type { Kysely } from 'kysely';

// Pier's own forwarding rules (types in db/tables/forwarding.ts) and one row per mail a rule
// forwarded, which makes forwarding exactly-once per (rule, message).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('forwarding_rules')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('mailbox_id', 'text', (c) => c.notNull().references('mailboxes.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('sender_domain', 'text')
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('forwarding_rules_mailbox_idx').on('forwarding_rules').column('mailbox_id').execute();

  await db.schema
    .createTable('forwarding_deliveries')
    .addColumn('rule_id', 'text', (c) => c.notNull().references('forwarding_rules.id').onDelete('cascade'))
    .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id').onDelete('cascade'))
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('forwarding_deliveries_pk', ['rule_id', 'message_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('forwarding_deliveries').execute();
  await db.schema.dropTable('forwarding_rules').execute();
}
