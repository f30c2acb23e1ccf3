import { type Kysely, PostgresAdapter, sql } from 'kysely';

// The "unassigned too long" view and its sidebar count (decision 0067): the view's rows are the
// few escalated conversations, but with no index for them the list and the capped count walked
// every open conversation testing `escalated_at` (PostgreSQL at 200,000 open: 16.6 ms per count,
// every sidebar refresh; the cap stops a walk only once it has found 100). A partial index holds
// the escalated conversations only, in the view's order. Expand-only (decision 0052); PostgreSQL
// builds it CONCURRENTLY after the migrations (db/online-indexes.ts), so old nodes keep writing.
export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await db.schema
    .createIndex('conversations_escalated_idx')
    .on('conversations')
    .columns(['spam', 'status', 'last_message_at', 'id'])
    .where(sql.ref('escalated_at'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists conversations_escalated_idx`.execute(db);
}
