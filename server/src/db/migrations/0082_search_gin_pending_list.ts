import { type Kysely, PostgresAdapter, sql } from 'kysely';

// PostgreSQL's full-text index keeps new entries in a pending list (fastupdate) until it holds
// gin_pending_list_limit (4 MB by default) or a vacuum merges it, and every GIN search reads the
// whole list: with ingest running that is up to ~500 pages per search (a rare word's page at
// 200,000 mails: 426 of its index's buffers, 13.9 ms, were the list; issue 20, decision 0076).
// 512 kB bounds it to 64 pages at no measured ingest cost (scripts/bench/gin-pending.mjs). A
// storage parameter only: ALTER INDEX … SET takes a SHARE UPDATE EXCLUSIVE lock, so nodes still
// serving keep reading and writing (expand-only, decision 0052). The list already there is
// merged by the first insert that finds it over the new limit. SQLite (FTS5) has no such list.
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`alter index message_search_doc set (gin_pending_list_limit = 512)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`alter index message_search_doc reset (gin_pending_list_limit)`.execute(db);
}
