import { type Kysely, PostgresAdapter, sql } from 'kysely';
import type { Database } from './schema.js';

/**
 * Indexes on big tables that PostgreSQL builds with CREATE INDEX CONCURRENTLY after the migrations
 * (decision 0065): reads and writes of the table go on during the build, so nodes still serving
 * during a rolling update keep storing mail. CONCURRENTLY cannot run inside a transaction, and the
 * migrator runs every migration in one, so the migration that introduces such an index only names
 * it (and builds it on SQLite) and this list builds it. Only added to, like migrations.
 */
const ONLINE_INDEXES: { name: string; table: string; on: string; where?: string }[] = [
  // 0067_sender_history_index: rules/facts.ts `wroteBefore`.
  { name: 'messages_sender_history', table: 'messages', on: 'from_addr, direction, received_at' },
  // 0068_contact_name_index: fraud/history.ts, the contacts named like a mail's sender.
  { name: 'contacts_lower_name', table: 'contacts', on: 'lower(name)' },
  // 0069_escalated_view_index: the escalated view and its capped count (decision 0067).
  {
    name: 'conversations_escalated_idx',
    table: 'conversations',
    on: 'spam, status, last_message_at, id',
    where: 'escalated_at is not null',
  },
];

/** Arbitrary, fixed: the session lock that lets one node build while the others wait for it. */
const ONLINE_INDEX_LOCK = 727_006_501;

/**
 * Builds the missing online indexes (PostgreSQL; SQLite's were built by their migrations). Nodes
 * starting together take turns on an advisory lock; a build that failed halfway (an INVALID index
 * left behind) is dropped and built again.
 */
export async function buildOnlineIndexes(db: Kysely<Database>): Promise<string[]> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return [];
  return db.connection().execute(async (conn) => {
    const built: string[] = [];
    await sql`select pg_advisory_lock(${ONLINE_INDEX_LOCK})`.execute(conn);
    try {
      for (const index of ONLINE_INDEXES) {
        const found = await sql<{ valid: boolean }>`
          select i.indisvalid as valid from pg_index i join pg_class c on c.oid = i.indexrelid
          where c.relname = ${index.name} and pg_table_is_visible(c.oid)`.execute(conn);
        const state = found.rows[0];
        if (state?.valid) continue;
        if (state) await sql`drop index concurrently if exists ${sql.id(index.name)}`.execute(conn);
        // The list above is constants of this file, never input.
        const where = index.where ? sql` where ${sql.raw(index.where)}` : sql``;
        await sql`create index concurrently ${sql.id(index.name)} on ${sql.id(index.table)} (${sql.raw(index.on)})${where}`.execute(conn);
        built.push(index.name);
      }
    } finally {
      await sql`select pg_advisory_unlock(${ONLINE_INDEX_LOCK})`.execute(conn);
    }
    return built;
  });
}
