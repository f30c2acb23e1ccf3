import type { Kysely } from 'kysely';

// Customer pools (公海/私海, issue 19, decision 0048): an owned contact without contact for N days
// returns to the pool, after a notice to its owner. The notice's time is kept on the contact so
// the sweep sends it once and returns the contact only after the notice period.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('contacts').addColumn('pool_notice_at', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('contacts').dropColumn('pool_notice_at').execute();
}
