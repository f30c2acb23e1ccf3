import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Mail text the FAQ library (knowledge module) learns from: the team's past sent answers and the
 * questions customers asked. Only mail of conversations in `mailboxIds` is returned — the caller
 * passes the mailboxes the agent may read, so nothing from a mailbox outside their access is ever
 * read, let alone suggested.
 */
export type AnswerText = {
  messageId: string;
  conversationId: string;
  subject: string;
  text: string;
  language: string | null;
  at: number;
};

type Window = { mailboxIds: string[]; since: number; limit: number };

async function mailTexts(db: Db, direction: 'in' | 'out', window: Window): Promise<AnswerText[]> {
  if (window.mailboxIds.length === 0) return [];
  const rows = await db
    .selectFrom('messages')
    .innerJoin('conversation_messages', 'conversation_messages.message_id', 'messages.id')
    .innerJoin('message_bodies', 'message_bodies.message_id', 'messages.id')
    .select([
      'messages.id',
      'conversation_messages.conversation_id',
      'messages.subject',
      'messages.language',
      'messages.received_at',
      'messages.category',
      'message_bodies.text',
    ])
    .where('messages.direction', '=', direction)
    .where('messages.received_at', '>=', window.since)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('conversation_mailboxes')
          .select('conversation_mailboxes.mailbox_id')
          .whereRef('conversation_mailboxes.conversation_id', '=', 'conversation_messages.conversation_id')
          .where('conversation_mailboxes.mailbox_id', 'in', window.mailboxIds),
      ),
    )
    // Incoming: only mail from people (not newsletters, bounces or auto-replies).
    .$if(direction === 'in', (qb) => qb.where('messages.category', '=', 'person'))
    .orderBy('messages.received_at', 'desc')
    .limit(window.limit)
    .execute();
  return rows.map((r) => ({
    messageId: r.id,
    conversationId: r.conversation_id,
    subject: r.subject,
    text: r.text,
    language: r.language,
    at: Number(r.received_at),
  }));
}

/** The team's sent mail in these mailboxes since `since`, newest first. */
export function sentAnswerTexts(db: Db, window: Window): Promise<AnswerText[]> {
  return mailTexts(db, 'out', window);
}

/** Mail from people received in these mailboxes since `since`, newest first. */
export function incomingQuestionTexts(db: Db, window: Window): Promise<AnswerText[]> {
  return mailTexts(db, 'in', window);
}

/** One message's text and HTML (the caller has checked access with messageAccess). */
export async function messageTextOf(
  db: Db,
  messageId: string,
): Promise<{ subject: string; direction: 'in' | 'out'; text: string; html: string | null; language: string | null } | undefined> {
  return db
    .selectFrom('messages')
    .innerJoin('message_bodies', 'message_bodies.message_id', 'messages.id')
    .select(['messages.subject', 'messages.direction', 'messages.language', 'message_bodies.text', 'message_bodies.html'])
    .where('messages.id', '=', messageId)
    .executeTakeFirst();
}

/** The newest incoming mail of a conversation: what a reply answers. */
export async function latestIncomingTextOf(db: Db, conversationId: string): Promise<AnswerText | undefined> {
  const row = await db
    .selectFrom('messages')
    .innerJoin('conversation_messages', 'conversation_messages.message_id', 'messages.id')
    .innerJoin('message_bodies', 'message_bodies.message_id', 'messages.id')
    .select(['messages.id', 'messages.subject', 'messages.language', 'messages.received_at', 'message_bodies.text'])
    .where('conversation_messages.conversation_id', '=', conversationId)
    .where('messages.direction', '=', 'in')
    .orderBy('messages.received_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    messageId: row.id,
    conversationId,
    subject: row.subject,
    text: row.text,
    language: row.language,
    at: Number(row.received_at),
  };
}
