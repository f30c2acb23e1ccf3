import type { Kysely } from 'kysely';

// Taking a bounced address off the suppression list (issue 21, decision 0072): the suppression row
// goes, and what it said (reason, since, source campaign, detail) stays here with who lifted it,
// when and why (the admin's required note). Soft bounces counted towards a new suppression are
// those after the latest lift. Expand-only: a new table nothing older reads.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('campaign_suppression_lifts')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('campaign_id', 'text')
    .addColumn('detail', 'text')
    .addColumn('suppressed_at', 'bigint', (c) => c.notNull())
    .addColumn('lifted_by', 'text')
    .addColumn('lifted_at', 'bigint', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('campaign_suppression_lifts_address')
    .on('campaign_suppression_lifts')
    .columns(['address', 'lifted_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('campaign_suppression_lifts').execute();
}
