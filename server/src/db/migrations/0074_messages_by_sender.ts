import type { Kysely } from 'kysely';

// A rule's "first contact" fact asks whether the sender wrote in before (rules/facts.ts wroteBefore).
// Without this index PostgreSQL read the whole messages table for every new sender's mail (a first
// contact finds no row, so the scan never stops early): 4,749 buffers at 52,000 messages (4 with it),
// growing with the workspace (decision 0070). Not partial (direction = 'in'): SQLite uses a partial
// index only when the query names the value literally, and Kysely binds it as a parameter.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('messages_by_sender_idx').on('messages').columns(['from_addr', 'received_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('messages_by_sender_idx').execute();
}
