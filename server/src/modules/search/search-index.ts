import { type Kysely, sql } from 'kysely';
import { asText, chunksFor } from '../../db/bulk.js';
import type { Engine } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { type IndexTexts, indexTextsOf } from './index-texts.js';

export type SearchDocument = {
  messageId: string;
  /** Epoch ms; decides the message's place in newest-first results. */
  receivedAt: number;
  subject: string;
  body: string;
  /** Display forms such as 'Maria <maria@customer.test>': names and address parts become words. */
  participants: string[];
  attachmentNames: string[];
};

/**
 * sort_key = received_at_ms * tieSlots + tie-breaker. 1024 slots per millisecond keep every key
 * below 2^53 (exact as a JS number, and as the int8 the pg driver reads as a number) until the
 * year 2248; 4096 would run out in 2039.
 */
export const tieSlots = 1024;
const maxReceivedAt = Math.floor(Number.MAX_SAFE_INTEGER / tieSlots) - 1;
function clampReceivedAt(receivedAt: number): number {
  // A forged or broken Date header must not push a key out of range.
  return Number.isFinite(receivedAt) ? Math.min(Math.max(Math.floor(receivedAt), 0), maxReceivedAt) : 0;
}

/** FNV-1a: spreads messages received in the same millisecond over its slots, so a collision is rare. */
function tieOf(messageId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < messageId.length; i++) {
    hash ^= messageId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % tieSlots;
}

/** Inserts the key row unless the key (or the message) already has one; true when inserted. */
async function tryInsertKey(executor: Kysely<Database>, messageId: string, sortKey: number): Promise<boolean> {
  const inserted = await executor
    .insertInto('message_search_keys')
    .values({ message_id: messageId, sort_key: sortKey })
    .onConflict((oc) => oc.doNothing())
    .returning('sort_key')
    .executeTakeFirst();
  return inserted !== undefined;
}

/**
 * Gives a message whose hashed slot was taken the next free key after it (possibly in the
 * next millisecond: order within a millisecond carries no meaning anyway).
 */
async function allocateFreeSortKey(executor: Kysely<Database>, messageId: string, from: number): Promise<number> {
  let candidate = from;
  for (let attempt = 0; attempt < 16; attempt++) {
    const taken = await executor
      .selectFrom('message_search_keys')
      .select('sort_key')
      .where('sort_key', '>=', candidate)
      .where('sort_key', '<', candidate + 4 * tieSlots)
      .orderBy('sort_key')
      .execute();
    for (const row of taken) {
      if (row.sort_key !== candidate) break;
      candidate++;
    }
    if (await tryInsertKey(executor, messageId, candidate)) return candidate;
  }
  throw new Error(`no free search sort key after ${from} for message ${messageId}`);
}

/**
 * Indexes (or re-indexes, replacing the previous entry) one message. Pass the transaction that
 * stores the message so the mail and its index entry commit together. Returns its sort_key.
 *
 * Mail is indexed out of date order (initial sync runs newest first, then backfills), so keys
 * cannot simply grow: a message first tries the slot of its millisecond picked by a hash of its
 * id, which for new mail is one statement. ON CONFLICT DO NOTHING keeps a PostgreSQL
 * transaction usable when another one took the key at the same moment.
 */
export async function indexMessage(
  executor: Kysely<Database>,
  engine: Engine,
  doc: Pick<SearchDocument, 'messageId' | 'receivedAt'> & ({ texts: IndexTexts } | SearchDocument),
): Promise<number> {
  const bucket = clampReceivedAt(doc.receivedAt);
  let sortKey = bucket * tieSlots + tieOf(doc.messageId);
  let replacing = false;
  if (!(await tryInsertKey(executor, doc.messageId, sortKey))) {
    const existing = await executor
      .selectFrom('message_search_keys')
      .select('sort_key')
      .where('message_id', '=', doc.messageId)
      .executeTakeFirst();
    if (existing && Math.floor(existing.sort_key / tieSlots) === bucket) {
      sortKey = existing.sort_key;
      replacing = true;
    } else {
      // A new date (the old key goes, and its index entry with it: cascade / trigger), or a collision.
      if (existing) await executor.deleteFrom('message_search_keys').where('message_id', '=', doc.messageId).execute();
      sortKey = await allocateFreeSortKey(executor, doc.messageId, sortKey);
    }
  }

  const { subject, participants, attachments, body, characters } = 'texts' in doc ? doc.texts : indexTextsOf(doc);

  if (engine === 'postgres') {
    // Weights label the fields (A subject, B people, C files, D body) for field filters later;
    // results are ordered by date, never ranked.
    await sql`
      insert into message_search (message_id, sort_key, doc)
      values (${doc.messageId}, ${sortKey},
        setweight(to_tsvector('simple', ${subject}), 'A') ||
        setweight(to_tsvector('simple', ${participants}), 'B') ||
        setweight(to_tsvector('simple', ${attachments}), 'C') ||
        to_tsvector('simple', ${body}) ||
        to_tsvector('simple', ${characters}))
      on conflict (message_id) do update set sort_key = excluded.sort_key, doc = excluded.doc`.execute(executor);
    return sortKey;
  }
  // A contentless FTS5 table accepts a second row with the same rowid and merges both
  // documents' terms; INSERT OR REPLACE does not remove the old terms either. Delete first.
  if (replacing) await sql`delete from message_search where rowid = ${sortKey}`.execute(executor);
  await sql`
    insert into message_search (rowid, subject, body, participants, attachments, characters)
    values (${sortKey}, ${subject}, ${body}, ${participants}, ${attachments}, ${characters})`.execute(executor);
  return sortKey;
}

/**
 * Indexes many new messages (none indexed before) with one multi-row INSERT per table, in the
 * caller's transaction: ingest of a fetched batch. A message whose hashed slot is taken (by
 * another message or one earlier in the same statement) goes through indexMessage, which finds
 * it a free key.
 */
export async function indexNewMessages(
  executor: Kysely<Database>,
  engine: Engine,
  docs: (Pick<SearchDocument, 'messageId' | 'receivedAt'> & { texts: Omit<IndexTexts, 'body'> & { body: string | Buffer } })[],
): Promise<void> {
  type Doc = (typeof docs)[number];
  const keyed: { doc: Doc; sortKey: number }[] = [];
  // Each message tries the slot its id hashes to; those whose slot was taken try the next free
  // keys after it, read once per millisecond bucket: mail imported in bulk shares one
  // INTERNALDATE second, and finding keys one by one (indexMessage) cost a tenth of a sync.
  const hashed = docs.map((doc) => ({ doc, sortKey: clampReceivedAt(doc.receivedAt) * tieSlots + tieOf(doc.messageId) }));
  const collided = await insertSortKeys(executor, hashed, keyed);
  const stillCollided = collided.length ? await insertSortKeys(executor, await nextFreeSortKeys(executor, collided), keyed) : [];
  if (engine === 'postgres') {
    for (const chunk of chunksFor(keyed, 7)) {
      const values = chunk.map(({ doc, sortKey }) => {
        const t = doc.texts;
        return sql`(${doc.messageId}, ${sortKey},
          setweight(to_tsvector('simple', ${t.subject}), 'A') ||
          setweight(to_tsvector('simple', ${t.participants}), 'B') ||
          setweight(to_tsvector('simple', ${t.attachments}), 'C') ||
          to_tsvector('simple', ${asString(t.body)}) ||
          to_tsvector('simple', ${t.characters}))`;
      });
      await sql`insert into message_search (message_id, sort_key, doc) values ${sql.join(values)}
        on conflict (message_id) do update set sort_key = excluded.sort_key, doc = excluded.doc`.execute(executor);
    }
  } else {
    // Ascending rowids: FTS5 writes its pending terms out as a new segment whenever a rowid is
    // lower than the previous one in the transaction, so rows in hash order (mail sharing an
    // INTERNALDATE second) made a segment per mail and merged them at COMMIT: half the main thread's SQL.
    keyed.sort((a, b) => a.sortKey - b.sortKey);
    for (const chunk of chunksFor(keyed, 6)) {
      const values = chunk.map(
        ({ doc, sortKey }) =>
          sql`(${sortKey}, ${doc.texts.subject}, ${asText(doc.texts.body)}, ${doc.texts.participants}, ${doc.texts.attachments}, ${doc.texts.characters})`,
      );
      await sql`insert into message_search (rowid, subject, body, participants, attachments, characters) values ${sql.join(values)}`.execute(
        executor,
      );
    }
  }
  // Taken meanwhile by another writer: one by one.
  for (const doc of stillCollided)
    await indexMessage(executor, engine, { ...doc, texts: { ...doc.texts, body: asString(doc.texts.body) } });
}

/** Inserts the keys; the ones stored go to `keyed`, the documents whose key was taken are returned. */
async function insertSortKeys<D extends { messageId: string }>(
  executor: Kysely<Database>,
  candidates: { doc: D; sortKey: number }[],
  keyed: { doc: D; sortKey: number }[],
): Promise<D[]> {
  const taken: D[] = [];
  for (const chunk of chunksFor(candidates, 2)) {
    const inserted = new Set(
      (
        await executor
          .insertInto('message_search_keys')
          .values(chunk.map(({ doc, sortKey }) => ({ message_id: doc.messageId, sort_key: sortKey })))
          .onConflict((oc) => oc.doNothing())
          .returning('message_id')
          .execute()
      ).map((r) => r.message_id),
    );
    for (const candidate of chunk) {
      if (inserted.has(candidate.doc.messageId)) keyed.push(candidate);
      else taken.push(candidate.doc);
    }
  }
  return taken;
}

/** For each document, the first key at or after its hashed slot that no row and no other document here holds. */
async function nextFreeSortKeys<D extends { messageId: string; receivedAt: number }>(
  executor: Kysely<Database>,
  docs: D[],
): Promise<{ doc: D; sortKey: number }[]> {
  const taken = new Set<number>();
  for (const bucket of new Set(docs.map((doc) => clampReceivedAt(doc.receivedAt)))) {
    const rows = await executor
      .selectFrom('message_search_keys')
      .select('sort_key')
      .where('sort_key', '>=', bucket * tieSlots)
      .where('sort_key', '<', (bucket + 4) * tieSlots)
      .execute();
    for (const row of rows) taken.add(row.sort_key);
  }
  return docs.map((doc) => {
    let sortKey = clampReceivedAt(doc.receivedAt) * tieSlots + tieOf(doc.messageId);
    while (taken.has(sortKey)) sortKey++;
    taken.add(sortKey);
    return { doc, sortKey };
  });
}

/** A text the caller passed as UTF-8 bytes (packed-mail.ts), as a string. */
const asString = (text: string | Buffer) => (typeof text === 'string' ? text : text.toString('utf8'));

/**
 * Removes a message from the index. Deleting the message row does the same by cascade (and,
 * on SQLite, the trigger of migration 0003); this is for hiding a message that stays stored.
 */
export async function removeFromIndex(executor: Kysely<Database>, _engine: Engine, messageId: string): Promise<void> {
  // Both engines follow the key row: a foreign key on PostgreSQL, a trigger on the FTS5 table.
  await executor.deleteFrom('message_search_keys').where('message_id', '=', messageId).execute();
}
