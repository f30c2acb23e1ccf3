import { type Kysely, sql } from 'kysely';

// A mail without a usable Message-ID is now identified by the SHA-256 of its raw bytes, the
// name of its raw blob (decision record 0004, "Malformed mail"). Stored mail of that kind gets
// the new identity, so storing the same bytes again finds it; mail with a Message-ID keeps its
// identity. A row whose raw bytes another row already answers for keeps its old identity
// (only possible for mail stored by an earlier identity formula) instead of breaking the
// unique constraint.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`update messages set identity = raw_sha256
    where (message_id_header is null or message_id_header = '')
      and id in (select min(id) from messages where message_id_header is null or message_id_header = '' group by raw_sha256)
      and raw_sha256 not in (select identity from messages)`.execute(db);
}

export async function down(): Promise<void> {
  // The old identities cannot be recomputed in SQL; `pier doctor` works with either.
}
