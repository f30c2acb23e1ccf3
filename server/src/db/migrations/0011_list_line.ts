import { type Kysely, sql } from 'kysely';

// The conversation list's line, denormalised onto `conversations` (decision record 0014):
// the newest message's sender and snippet, so a page of the list reads no message rows.
// Kept in step by refreshConversationLatest() in the same transaction as every writer
// that links, moves or removes a conversation's messages (ingest, outbox undo, bounces, merge).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('conversations').addColumn('last_from_addr', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('last_from_name', 'text').execute();
  await db.schema
    .alterTable('conversations')
    .addColumn('last_snippet', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  // Backfill: the same choice of "newest" as refreshConversationLatest (received_at, then id).
  const newest = (column: string) =>
    sql.raw(`(select m.${column} from conversation_messages cm inner join messages m on m.id = cm.message_id
      where cm.conversation_id = conversations.id order by m.received_at desc, m.id desc limit 1)`);
  await sql`update conversations set last_from_addr = ${newest('from_addr')}, last_from_name = ${newest('from_name')},
    last_snippet = coalesce(${newest('snippet')}, '')`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const column of ['last_from_addr', 'last_from_name', 'last_snippet']) {
    await db.schema.alterTable('conversations').dropColumn(column).execute();
  }
}
