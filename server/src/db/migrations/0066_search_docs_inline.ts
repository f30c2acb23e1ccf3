import { type Kysely, PostgresAdapter, sql } from 'kysely';

// PostgreSQL keeps each message's search document (a tsvector, ~2 KB for a 1 KB mail: positions
// of every lexeme and of the CJK pairs) in the heap row instead of the TOAST table (issue 20,
// decision 0005). By default a row over ~2 KB has its tsvector moved out of line, so every row
// the search tests (walking the newest rows, rechecking a phrase) cost a TOAST index probe and
// chunk reads: at 200k mails, 2.5 buffers and ~3 µs of CPU per row instead of 1 buffer and ~1 µs.
// toast_tuple_target = 8160 (the maximum) moves a document out only above ~8 KB.
//
// A storage parameter only (SHARE UPDATE EXCLUSIVE lock: reads and writes go on; expand-only):
// rows written from now on stay inline; `npm run pier -- search reindex` rewrites the older ones.
// SQLite's FTS5 index has no such row.
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`alter table message_search set (toast_tuple_target = 8160)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`alter table message_search reset (toast_tuple_target)`.execute(db);
}
