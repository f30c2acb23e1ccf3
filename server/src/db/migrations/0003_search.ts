import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Full-text search over mail (see server/src/modules/search). The one migration that is not
// portable: each engine gets its own index structure, because the fast path differs.
//
// message_search_keys (both engines, portable) gives each indexed message a unique sort_key
// = received_at_ms * 1024 + a tie-breaker, so the newest matches are the highest keys and
// both indexes can hand them out in key order and stop after LIMIT instead of sorting every
// match. Deleting a key row (directly or by cascade from messages) removes the message's
// index entry on both engines.
//
// SQLite: a contentless FTS5 table (content='', contentless_delete=1) whose rowid is the
// sort_key. FTS5 walks a MATCH in descending rowid order natively. Contentless because the
// indexed text is a derived form (CJK bigrams, see search-text.ts) that no one reads back:
// storing it would roughly double the index for nothing (snippets come from message_bodies).
// contentless_delete=1 (SQLite >= 3.43) still allows DELETE by rowid, so re-indexing and
// removal work. Plain unicode61 suffices: CJK text arrives pre-split into bigrams, so no
// trigram index is needed. detail=full (the default) keeps positions for phrase queries.
// `characters` holds each distinct CJK character once, for 1-character queries.
//
// PostgreSQL: a table of tsvectors ('simple' config: no stemming, no stop words; the text is
// already normalised) with a btree on sort_key, walked backwards with a filter for common
// terms, and a GIN index for rare ones (search-queries.ts chooses, not the planner alone).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('message_search_keys')
    .addColumn('message_id', 'text', (c) => c.primaryKey().notNull().references('messages.id').onDelete('cascade'))
    .addColumn('sort_key', 'bigint', (c) => c.notNull().unique())
    .execute();

  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`create table message_search (
      message_id text not null primary key references message_search_keys (message_id) on delete cascade,
      sort_key bigint not null,
      doc tsvector not null
    )`.execute(db);
    await sql`create unique index message_search_sort_key on message_search (sort_key)`.execute(db);
    await sql`create index message_search_doc on message_search using gin (doc)`.execute(db);
    return;
  }

  await sql`create virtual table message_search using fts5(
    subject, body, participants, attachments, characters,
    content = '', contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
  )`.execute(db);
  // FTS5 tables take part in no foreign key, so the cascade from messages reaches them through this.
  await sql`create trigger message_search_keys_delete after delete on message_search_keys
    begin
      delete from message_search where rowid = old.sort_key;
    end`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) {
    await sql`drop trigger if exists message_search_keys_delete`.execute(db);
  }
  await sql`drop table if exists message_search`.execute(db);
  await db.schema.dropTable('message_search_keys').execute();
}
