import type { Kysely } from 'kysely';

// The loop guard's durable counters (types in db/tables/loop-guard.ts): automatic sends per rule
// and correspondent inside the rate-limit window, and the alert sent per rule and period.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('automatic_sends')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('mailbox_id', 'text', (c) => c.notNull())
    .addColumn('correspondent', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text')
    .addColumn('trigger_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('automatic_sends_trigger_uq', ['kind', 'rule_id', 'trigger_id'])
    .execute();
  await db.schema.createIndex('automatic_sends_rule_at_idx').on('automatic_sends').columns(['rule_id', 'at']).execute();
  await db.schema
    .createIndex('automatic_sends_correspondent_at_idx')
    .on('automatic_sends')
    .columns(['mailbox_id', 'correspondent', 'at'])
    .execute();
  await db.schema.createIndex('automatic_sends_at_idx').on('automatic_sends').column('at').execute();

  await db.schema
    .createTable('loop_guard_alerts')
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('period', 'bigint', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('loop_guard_alerts_pk', ['rule_id', 'period'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('loop_guard_alerts').execute();
  await db.schema.dropTable('automatic_sends').execute();
}
