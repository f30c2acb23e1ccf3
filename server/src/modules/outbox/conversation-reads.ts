import type { Kysely, Transaction } from 'kysely';
import type { Database, UserRow } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { accessToMailbox, includesAccess, type MailboxScope } from '../security/index.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Who is acting: the signed-in user and the mailboxes they may see. */
export type Actor = { user: UserRow; scope: MailboxScope };

export type ParentMessage = {
  id: string;
  messageIdHeader: string | null;
  inReplyTo: string | null;
  references: string[];
  direction: 'in' | 'out';
  from: { address: string; name: string | null } | null;
  replyTo: string[];
  to: string[];
  cc: string[];
  subject: string;
  at: number;
  text: string;
};

/** The actor may send from (and draft for) this mailbox; otherwise 404, like the guard (decision 0003). */
export function requireMailboxReply(actor: Actor, mailboxId: string): void {
  if (!includesAccess(accessToMailbox(actor.scope, mailboxId), 'reply')) throw new AppError('mailbox.not_found', 404, 'no such mailbox');
}

/** One message of the conversation (or its newest), with what a reply needs from it. Never notes: only mail. */
export async function findParentMessage(
  db: Db,
  conversationId: string,
  messageId: string | null | undefined,
): Promise<ParentMessage | null> {
  let query = db
    .selectFrom('messages')
    .innerJoin('conversation_messages', 'conversation_messages.message_id', 'messages.id')
    .leftJoin('message_bodies', 'message_bodies.message_id', 'messages.id')
    .select([
      'messages.id',
      'messages.message_id_header',
      'messages.in_reply_to',
      'messages.references_json',
      'messages.direction',
      'messages.from_addr',
      'messages.from_name',
      'messages.to_addrs',
      'messages.cc_addrs',
      'messages.subject',
      'messages.sent_at',
      'messages.received_at',
      'message_bodies.text',
    ])
    .where('conversation_messages.conversation_id', '=', conversationId);
  query = messageId
    ? query.where('messages.id', '=', messageId)
    : query.orderBy('messages.received_at', 'desc').orderBy('messages.id', 'desc');
  const row = await query.limit(1).executeTakeFirst();
  if (!row) {
    if (messageId) throw new AppError('conversation.not_found', 404, 'no such message in this conversation');
    return null;
  }
  const replyTo = await db
    .selectFrom('message_contacts')
    .innerJoin('contacts', 'contacts.id', 'message_contacts.contact_id')
    .select('contacts.address')
    .where('message_contacts.message_id', '=', row.id)
    .where('message_contacts.role', '=', 'reply_to')
    .execute();
  return {
    id: row.id,
    messageIdHeader: row.message_id_header,
    inReplyTo: row.in_reply_to,
    references: JSON.parse(row.references_json) as string[],
    direction: row.direction,
    from: row.from_addr ? { address: row.from_addr, name: row.from_name } : null,
    replyTo: replyTo.map((r) => r.address),
    to: JSON.parse(row.to_addrs) as string[],
    cc: JSON.parse(row.cc_addrs) as string[],
    subject: row.subject,
    at: Number(row.sent_at ?? row.received_at),
    text: row.text ?? '',
  };
}

/**
 * Default recipients, from the message answered only: never the other
 * participants of the conversation (a merged thread may hold other customers).
 */
export function replyRecipients(
  parent: ParentMessage,
  mode: 'reply' | 'reply_all' | 'forward',
  own: ReadonlySet<string>,
): { to: string[]; cc: string[] } {
  if (mode === 'forward') return { to: [], cc: [] };
  const lower = (list: string[]) => list.map((a) => a.toLowerCase());
  const to =
    parent.direction === 'in'
      ? lower(parent.replyTo.length > 0 ? parent.replyTo : parent.from ? [parent.from.address] : [])
      : lower(parent.to);
  const toSet = new Set(to.filter((a) => !own.has(a)));
  const cc = mode === 'reply_all' ? [...new Set(lower([...parent.to, ...parent.cc]))].filter((a) => !own.has(a) && !toSet.has(a)) : [];
  return { to: [...toSet], cc };
}

const REPLY_PREFIX = /^\s*(re|回复|答复|回覆)\s*[:：]/i;
const FORWARD_PREFIX = /^\s*(fwd?|转发|轉寄)\s*[:：]/i;

export function replySubject(subject: string, mode: 'reply' | 'reply_all' | 'forward'): string {
  if (mode === 'forward') return FORWARD_PREFIX.test(subject) ? subject : `Fwd: ${subject}`;
  return REPLY_PREFIX.test(subject) ? subject : `Re: ${subject}`;
}

/** What arrived in the conversation after `seenAt` (server time): the collision rule's evidence. */
export async function changesSince(db: Db, conversationId: string, seenAt: number) {
  const rows = await db
    .selectFrom('messages')
    .innerJoin('conversation_messages', 'conversation_messages.message_id', 'messages.id')
    .select(['messages.id', 'messages.direction', 'messages.from_addr', 'messages.subject', 'messages.snippet', 'messages.created_at'])
    .where('conversation_messages.conversation_id', '=', conversationId)
    .where('messages.created_at', '>', seenAt)
    .orderBy('messages.created_at')
    .limit(20)
    .execute();
  return rows.map((r) => ({
    messageId: r.id,
    direction: r.direction,
    from: r.from_addr,
    subject: r.subject,
    snippet: r.snippet,
    at: Number(r.created_at),
  }));
}
