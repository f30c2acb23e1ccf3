import { type Kysely, PostgresAdapter, sql } from 'kysely';

// A mail's display name is compared with the names of known contacts (fraud/history.ts: "Li Wei"
// on an address that is not Li Wei's). That query filtered every contact by lower(name); this index
// answers it with a probe. Built CONCURRENTLY on PostgreSQL after the migrations, like 0067
// (db/online-indexes.ts, decision 0065).
export async function up(db: Kysely<unknown>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await sql`create index contacts_lower_name on contacts (lower(name))`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop index if exists contacts_lower_name`.execute(db);
}
