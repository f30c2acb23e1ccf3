import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Whether a sender wrote before (the rules' first-contact fact, rules/facts.ts `wroteBefore`) was a
// walk of every message: no index on the sender's address. This one answers it with one index probe.
//
// PostgreSQL builds it CONCURRENTLY after the migrations (db/online-indexes.ts): a plain CREATE INDEX
// holds a SHARE lock on messages until the migration's transaction commits, which stops every node
// still serving from storing mail for the whole build (decision 0052: the first new node migrates
// while old nodes serve). SQLite has one writer and no such option.
export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await db.schema.createIndex('messages_sender_history').on('messages').columns(['from_addr', 'direction', 'received_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists messages_sender_history`.execute(db);
}
