import type { Kysely, Transaction } from 'kysely';
import type { Database, MessageRow } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export function findMessageByIdentity(db: Db, identity: string) {
  return db.selectFrom('messages').select(['id']).where('identity', '=', identity).executeTakeFirst();
}

/** The conversation of the newest known message among these Message-IDs (In-Reply-To, References). */
export function findConversationByMessageIds(db: Db, messageIds: string[]) {
  if (messageIds.length === 0) return Promise.resolve(undefined);
  return db
    .selectFrom('messages')
    .innerJoin('conversation_messages', 'conversation_messages.message_id', 'messages.id')
    .select('conversation_messages.conversation_id')
    .where('messages.message_id_header', 'in', messageIds)
    .orderBy('messages.received_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The conversation of a reply already stored that answers this Message-ID (it arrived first). */
export function findConversationByReplies(db: Db, messageIdHeader: string) {
  return db
    .selectFrom('messages')
    .innerJoin('conversation_messages', 'conversation_messages.message_id', 'messages.id')
    .select('conversation_messages.conversation_id')
    .where('messages.in_reply_to', '=', messageIdHeader)
    .limit(1)
    .executeTakeFirst();
}

export function findConversationOfMessage(db: Db, messageId: string) {
  return db.selectFrom('conversation_messages').select('conversation_id').where('message_id', '=', messageId).executeTakeFirst();
}

export async function insertMessage(db: Db, row: MessageRow): Promise<void> {
  await db.insertInto('messages').values(row).execute();
}

export async function insertConversation(
  db: Db,
  row: { id: string; subject: string; subjectKey: string; counterparty: string | null; last_message_at: number; now: number },
) {
  await db
    .insertInto('conversations')
    .values({
      id: row.id,
      subject: row.subject,
      subject_key: row.subjectKey,
      counterparty: row.counterparty,
      status: 'open',
      assignee_id: null,
      priority: 'normal',
      last_message_at: row.last_message_at,
      created_at: row.now,
      updated_at: row.now,
    })
    .execute();
}

export async function conversationExists(db: Db, id: string): Promise<boolean> {
  return Boolean(await db.selectFrom('conversations').select('id').where('id', '=', id).executeTakeFirst());
}

/** The newest conversation with this normalised subject and counterparty, active since `since`. */
export function findConversationBySubject(db: Db, subjectKey: string, counterparty: string, since: number) {
  return db
    .selectFrom('conversations')
    .select('id as conversation_id')
    .where('subject_key', '=', subjectKey)
    .where('counterparty', '=', counterparty)
    .where('last_message_at', '>=', since)
    .orderBy('last_message_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * A new message moves the conversation up the list (never down: mail can arrive
 * late); a message from the customer reopens it, one from the team does not.
 */
export async function bumpConversation(db: Db, conversationId: string, at: number, reopen: boolean) {
  await db
    .updateTable('conversations')
    .set((eb) => ({
      ...(reopen ? { status: 'open' as const } : {}),
      updated_at: Date.now(),
      // eb.val keeps the SQL text constant (a literal would defeat the statement cache).
      last_message_at: eb.case().when('last_message_at', '<', at).then(eb.val(at)).else(eb.ref('last_message_at')).end(),
    }))
    .where('id', '=', conversationId)
    .execute();
}

export async function linkMessage(db: Db, conversationId: string, messageId: string) {
  await db
    .insertInto('conversation_messages')
    .values({ conversation_id: conversationId, message_id: messageId })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function linkMailboxes(db: Db, conversationId: string, mailboxIds: string[]) {
  if (mailboxIds.length === 0) return;
  await db
    .insertInto('conversation_mailboxes')
    .values(mailboxIds.map((mailbox_id) => ({ conversation_id: conversationId, mailbox_id })))
    .onConflict((oc) => oc.doNothing())
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
  if (rows.length === 0) return;
  await db
    .insertInto('message_locations')
    .values(rows)
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export function selectConversationPage(
  db: Db,
  options: { mailboxIds: 'all' | string[]; limit: number; ids?: string[]; after?: { lastMessageAt: number; id: string } },
) {
  const after = options.after;
  return (
    db
      .selectFrom('conversations')
      .select(['id', 'subject', 'status', 'last_message_at'])
      // Keyset paging in list order (newest first): strictly after the last row of the previous page.
      .$if(after !== undefined, (qb) =>
        qb.where((eb) =>
          eb.or([
            eb('last_message_at', '<', after?.lastMessageAt ?? 0),
            eb.and([eb('last_message_at', '=', after?.lastMessageAt ?? 0), eb('id', '<', after?.id ?? '')]),
          ]),
        ),
      )
      .$if(options.ids !== undefined, (qb) => qb.where('id', 'in', options.ids && options.ids.length > 0 ? options.ids : ['']))
      .$if(options.mailboxIds !== 'all', (qb) =>
        qb.where((eb) =>
          eb.exists(
            eb
              .selectFrom('conversation_mailboxes')
              .select('conversation_mailboxes.conversation_id')
              .whereRef('conversation_mailboxes.conversation_id', '=', 'conversations.id')
              .where(
                'conversation_mailboxes.mailbox_id',
                'in',
                options.mailboxIds === 'all' || options.mailboxIds.length === 0 ? [''] : options.mailboxIds,
              ),
          ),
        ),
      )
      .orderBy('last_message_at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit)
      .execute()
  );
}

/** The newest message of each conversation in the page (for sender and snippet). */
export function selectLatestMessages(db: Db, conversationIds: string[]) {
  if (conversationIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('conversation_messages')
    .innerJoin('messages', 'messages.id', 'conversation_messages.message_id')
    .select([
      'conversation_messages.conversation_id',
      'messages.from_addr',
      'messages.from_name',
      'messages.snippet',
      'messages.received_at',
    ])
    .where('conversation_messages.conversation_id', 'in', conversationIds)
    .orderBy('messages.received_at', 'desc')
    .execute();
}

/** The conversations of these messages (search hits), in no particular order. */
export function selectConversationsOfMessages(db: Db, messageIds: string[]) {
  if (messageIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('conversation_messages').select(['conversation_id', 'message_id']).where('message_id', 'in', messageIds).execute();
}

export function selectConversationMailboxes(db: Db, conversationIds: string[]) {
  if (conversationIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('conversation_mailboxes')
    .select(['conversation_id', 'mailbox_id'])
    .where('conversation_id', 'in', conversationIds)
    .execute();
}
