import type { Kysely } from 'kysely';

// The initial sync's (and a backfill's) progress per folder, written with each batch's
// checkpoint: how many mails the run set out to fetch, how many are done, and since when.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('folders')
    .addColumn('backlog_total', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('folders')
    .addColumn('backlog_done', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('folders').addColumn('backlog_started_at', 'bigint').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('folders').dropColumn('backlog_started_at').execute();
  await db.schema.alterTable('folders').dropColumn('backlog_done').execute();
  await db.schema.alterTable('folders').dropColumn('backlog_total').execute();
}
