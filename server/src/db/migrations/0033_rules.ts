import type { Kysely } from 'kysely';

// Rules (types in db/tables/rules.ts, owned by modules/rules, decision 0032): the ordered rules,
// global (mailbox_id null) or per mailbox, and one row per time a rule acted on a conversation,
// which makes "acts at most once per conversation" hold across retries and nodes.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rules')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('mailbox_id', 'text', (c) => c.references('mailboxes.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('after_working_hours', 'real')
    .addColumn('match', 'text', (c) => c.notNull())
    .addColumn('conditions', 'text', (c) => c.notNull())
    .addColumn('actions', 'text', (c) => c.notNull())
    .addColumn('repeat', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rules_position_idx').on('rules').column('position').execute();

  await db.schema
    .createTable('rule_runs')
    .addColumn('rule_id', 'text', (c) => c.notNull().references('rules.id').onDelete('cascade'))
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    // 'once' for a rule that acts once per conversation; else what it acted on (a message, an unanswered stretch).
    .addColumn('run_key', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('rule_runs_pk', ['rule_id', 'conversation_id', 'run_key'])
    .execute();
  await db.schema.createIndex('rule_runs_conversation_idx').on('rule_runs').column('conversation_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('rule_runs').execute();
  await db.schema.dropTable('rules').execute();
}
