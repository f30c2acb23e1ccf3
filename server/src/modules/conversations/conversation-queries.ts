import { type Insertable, type Kysely, sql, type Transaction } from 'kysely';
import { asText, chunksFor } from '../../db/bulk.js';
import type { Database, MessageRow } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Stored messages with these identities, and their conversation. */
export async function findMessagesByIdentities(db: Db, identities: string[]) {
  const rows: { id: string; identity: string; conversation_id: string | null }[] = [];
  for (const chunk of chunksFor(identities, 1)) {
    rows.push(
      ...(await db
        .selectFrom('messages')
        .leftJoin('conversation_messages', 'conversation_messages.message_id', 'messages.id')
        .select(['messages.id', 'messages.identity', 'conversation_messages.conversation_id'])
        .where('messages.identity', 'in', chunk)
        .execute()),
    );
  }
  return rows;
}

/** Every stored message with one of these Message-IDs, its date and conversation (threading of a batch). */
export async function findConversationsByMessageIds(db: Db, messageIds: string[]) {
  const rows: { message_id_header: string | null; received_at: number; conversation_id: string }[] = [];
  for (const chunk of chunksFor(messageIds, 1)) {
    rows.push(
      ...(await db
        .selectFrom('messages')
        .innerJoin('conversation_messages', 'conversation_messages.message_id', 'messages.id')
        .select(['messages.message_id_header', 'messages.received_at', 'conversation_messages.conversation_id'])
        .where('messages.message_id_header', 'in', chunk)
        .execute()),
    );
  }
  return rows;
}

/** Stored replies to these Message-IDs and their conversation (they arrived first). */
export async function findConversationsByReplies(db: Db, messageIdHeaders: string[]) {
  const rows: { in_reply_to: string | null; conversation_id: string }[] = [];
  for (const chunk of chunksFor(messageIdHeaders, 1)) {
    rows.push(
      ...(await db
        .selectFrom('messages')
        .innerJoin('conversation_messages', 'conversation_messages.message_id', 'messages.id')
        .select(['messages.in_reply_to', 'conversation_messages.conversation_id'])
        .where('messages.in_reply_to', 'in', chunk)
        .execute()),
    );
  }
  return rows;
}

/** What ingest needs of a stored conversation it adds a message to. */
export function selectConversationForBump(db: Db, id: string) {
  return db
    .selectFrom('conversations')
    .select(['subject', 'subject_key', 'counterparty', 'last_message_at', 'status'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** selectConversationForBump for many conversations at once (those a batch's threading evidence names). */
export async function selectConversationsForBump(db: Db, ids: string[]) {
  const rows: { id: string; subject: string; subject_key: string; counterparty: string | null; last_message_at: number; status: string }[] =
    [];
  for (const chunk of chunksFor(ids, 1)) {
    rows.push(
      ...(await db
        .selectFrom('conversations')
        .select(['id', 'subject', 'subject_key', 'counterparty', 'last_message_at', 'status'])
        .where('id', 'in', chunk)
        .execute()),
    );
  }
  return rows;
}

/**
 * The received_at of each conversation's newest stored message (conversations without one are
 * left out): ingest compares a batch's newest message with it to keep the list line in step
 * without reading the newest message of every conversation it touched.
 */
export async function selectNewestReceivedAt(db: Db, conversationIds: string[]): Promise<Map<string, number>> {
  const newest = new Map<string, number>();
  for (const chunk of chunksFor(conversationIds, 1)) {
    const rows = await db
      .selectFrom('conversation_messages')
      .innerJoin('messages', 'messages.id', 'conversation_messages.message_id')
      .select(['conversation_messages.conversation_id', (eb) => eb.fn.max('messages.received_at').as('newest')])
      .where('conversation_messages.conversation_id', 'in', chunk)
      .groupBy('conversation_messages.conversation_id')
      .execute();
    for (const row of rows) if (row.newest !== null) newest.set(row.conversation_id, Number(row.newest));
  }
  return newest;
}

export async function insertMessages(db: Db, rows: MessageRow[]): Promise<void> {
  for (const chunk of chunksFor(rows, 27)) await db.insertInto('messages').values(chunk).execute();
}

/** Bodies whose texts may be UTF-8 bytes (packed-mail.ts; SQLite only): stored as TEXT all the same. */
export async function insertMessageBodies(
  db: Db,
  rows: { message_id: string; text: string | Buffer; html: string | Buffer | null }[],
): Promise<void> {
  const stored = rows.map((row) => ({
    message_id: row.message_id,
    text: asText(row.text),
    html: row.html === null ? null : asText(row.html),
  }));
  for (const chunk of chunksFor(stored, 3)) await db.insertInto('message_bodies').values(chunk).execute();
}

export async function insertAttachments(db: Db, rows: Insertable<Database['attachments']>[]): Promise<void> {
  for (const chunk of chunksFor(rows, 9)) await db.insertInto('attachments').values(chunk).execute();
}

type NewConversation = {
  id: string;
  subject: string;
  subjectKey: string;
  counterparty: string | null;
  last_message_at: number;
  now: number;
  /** The list line: sender and snippet of the conversation's newest message (see refreshConversationLatest). */
  latest?: { from_addr: string | null; from_name: string | null; snippet: string };
};

const conversationRow = (row: NewConversation) => ({
  id: row.id,
  subject: row.subject,
  subject_key: row.subjectKey,
  counterparty: row.counterparty,
  status: 'open' as const,
  assignee_id: null,
  priority: 'normal' as const,
  last_message_at: row.last_message_at,
  last_from_addr: row.latest?.from_addr ?? null,
  last_from_name: row.latest?.from_name ?? null,
  last_snippet: row.latest?.snippet ?? '',
  created_at: row.now,
  updated_at: row.now,
});

export async function insertConversations(db: Db, rows: NewConversation[]): Promise<void> {
  for (const chunk of chunksFor(rows, 10)) await db.insertInto('conversations').values(chunk.map(conversationRow)).execute();
}

export async function insertConversation(db: Db, row: NewConversation) {
  await db.insertInto('conversations').values(conversationRow(row)).execute();
}

/**
 * The conversations with one of these normalised subjects and customers (the address, or an
 * address at the customer's company domain), active since `since`, with each of their links to
 * `mailboxIds` (threading never looks into other mailboxes): the subject fallback's candidates
 * for a whole batch, which each mail narrows down to its own (subject-candidates.ts).
 */
export async function findConversationsBySubjects(
  db: Db,
  wanted: {
    customers: readonly { subjectKey: string; address: string; companyDomain: string | null }[];
    since: number;
    mailboxIds: readonly string[];
  },
) {
  const rows: {
    conversation_id: string;
    last_message_at: number;
    subject: string;
    subject_key: string;
    counterparty: string | null;
    mailbox_id: string;
  }[] = [];
  // A key, an address and two LIKE patterns per customer; the fifth leaves room for the mailboxes.
  for (const chunk of chunksFor(wanted.customers, 5)) {
    // LIKE patterns: the domain's own % and _ are escaped (a domain can hold neither, but it comes from mail).
    const domains = [...new Set(chunk.flatMap((c) => (c.companyDomain ? [c.companyDomain.replace(/[\\%_]/g, (x) => `\\${x}`)] : [])))];
    rows.push(
      ...(await db
        .selectFrom('conversations')
        .innerJoin('conversation_mailboxes', 'conversation_mailboxes.conversation_id', 'conversations.id')
        .select([
          'conversations.id as conversation_id',
          'conversations.last_message_at',
          'conversations.subject',
          'conversations.subject_key',
          'conversations.counterparty',
          'conversation_mailboxes.mailbox_id',
        ])
        .where('conversations.subject_key', 'in', [...new Set(chunk.map((c) => c.subjectKey))])
        .where((eb) =>
          eb.or([
            eb('conversations.counterparty', 'in', [...new Set(chunk.map((c) => c.address))]),
            ...domains.flatMap((domain) => [
              eb('conversations.counterparty', 'like', sql<string>`${`%@${domain}`} escape '\\'`),
              eb('conversations.counterparty', 'like', sql<string>`${`%.${domain}`} escape '\\'`),
            ]),
          ]),
        )
        .where('conversations.last_message_at', '>=', wanted.since)
        .where('conversation_mailboxes.mailbox_id', 'in', [...wanted.mailboxIds])
        .execute()),
    );
  }
  return rows;
}

/**
 * The messages of these conversations that have no location in the mailbox: a mail delivered
 * there again may show its conversation in that mailbox only when there are none (decision 0027).
 */
export async function findMessagesOutsideMailbox(db: Db, conversationIds: string[], mailboxId: string) {
  const rows: { conversation_id: string; message_id: string }[] = [];
  for (const chunk of chunksFor(conversationIds, 1)) {
    rows.push(
      ...(await db
        .selectFrom('conversation_messages')
        .select(['conversation_messages.conversation_id', 'conversation_messages.message_id'])
        .where('conversation_messages.conversation_id', 'in', chunk)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('message_locations')
                .select('message_locations.id')
                .whereRef('message_locations.message_id', '=', 'conversation_messages.message_id')
                .where('message_locations.mailbox_id', '=', mailboxId),
            ),
          ),
        )
        .execute()),
    );
  }
  return rows;
}

/**
 * A new message moves the conversation up the list (never down: mail can arrive
 * late); a message from the customer reopens it, one from the team does not.
 * Reopening a pending, snoozed or closed conversation ends the snooze. Returns the
 * status it reopened from, so ingest has triage record the "reopened" event in the
 * same transaction (IngestContext.recordReopened; triage owns conversation_events).
 */
export async function bumpConversation(
  db: Db,
  conversationId: string,
  at: number,
  reopen: boolean,
  knownStatus?: string,
  /** The list line, when the caller knows that the message it adds is the conversation's newest. */
  latest?: { from_addr: string | null; from_name: string | null; snippet: string },
): Promise<string | undefined> {
  const now = Date.now();
  const previous = reopen
    ? (knownStatus ?? (await db.selectFrom('conversations').select('status').where('id', '=', conversationId).executeTakeFirst())?.status)
    : undefined;
  const reopening = previous !== undefined && previous !== 'open';
  await db
    .updateTable('conversations')
    .set((eb) => ({
      ...(reopening ? { status: 'open' as const, snoozed_until: null } : {}),
      ...(latest ? { last_from_addr: latest.from_addr, last_from_name: latest.from_name, last_snippet: latest.snippet } : {}),
      updated_at: now,
      // eb.val keeps the SQL text constant (a literal would defeat the statement cache).
      last_message_at: eb.case().when('last_message_at', '<', at).then(eb.val(at)).else(eb.ref('last_message_at')).end(),
    }))
    .where('id', '=', conversationId)
    .execute();
  return reopening ? previous : undefined;
}

export async function linkMessages(db: Db, rows: { conversation_id: string; message_id: string }[]) {
  for (const chunk of chunksFor(rows, 2)) {
    await db
      .insertInto('conversation_messages')
      .values(chunk)
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

export async function linkMailboxPairs(db: Db, rows: { conversation_id: string; mailbox_id: string }[]) {
  for (const chunk of chunksFor(rows, 2)) {
    await db
      .insertInto('conversation_mailboxes')
      .values(chunk)
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

/**
 * The list line (migration 0011): copies the newest message's sender and snippet
 * onto the conversation, so a page of the list reads no message rows. Every
 * writer that links, moves or removes a conversation's messages calls this in
 * its own transaction (ingest, outbox undo, bounces, merge); "newest" is
 * received_at, then id, as the migration's backfill.
 */
export async function refreshConversationLatest(db: Db, conversationId: string): Promise<void> {
  const newest = await db
    .selectFrom('conversation_messages')
    .innerJoin('messages', 'messages.id', 'conversation_messages.message_id')
    .select(['messages.from_addr', 'messages.from_name', 'messages.snippet'])
    .where('conversation_messages.conversation_id', '=', conversationId)
    .orderBy('messages.received_at', 'desc')
    .orderBy('messages.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  await db
    .updateTable('conversations')
    .set({ last_from_addr: newest?.from_addr ?? null, last_from_name: newest?.from_name ?? null, last_snippet: newest?.snippet ?? '' })
    .where('id', '=', conversationId)
    .execute();
}

export async function insertLocations(
  db: Db,
  rows: {
    id: string;
    message_id: string;
    mailbox_id: string;
    folder_id: string | null;
    folder_path: string;
    uid: number | null;
    flags: string;
    source: 'smtp' | 'imap' | 'import';
    seen_at: number;
  }[],
) {
  for (const chunk of chunksFor(rows, 9)) {
    await db
      .insertInto('message_locations')
      .values(chunk)
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

export async function selectConversationMailboxes(db: Db, conversationIds: string[]) {
  const rows: { conversation_id: string; mailbox_id: string }[] = [];
  for (const chunk of chunksFor(conversationIds, 1)) {
    rows.push(
      ...(await db
        .selectFrom('conversation_mailboxes')
        .select(['conversation_id', 'mailbox_id'])
        .where('conversation_id', 'in', chunk)
        .execute()),
    );
  }
  return rows;
}

/**
 * The id of the conversation's first stored message (ids are UUIDv7, in insertion order): the
 * mail that created it, for conversation.created (webhooks) however late its event is handled.
 */
export async function firstMessageOf(db: Db, conversationId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('conversation_messages')
    .select('message_id')
    .where('conversation_id', '=', conversationId)
    .orderBy('message_id', 'asc')
    .limit(1)
    .executeTakeFirst();
  return row?.message_id;
}
