import type { MailboxAccess } from '@pier/contracts';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { accessToMailbox, bestAccess, includesAccess, type MailboxScope } from '../security/index.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * A conversation belongs to the mailboxes it was seen in; the best access the user has to any of
 * them is their access to the conversation. Every module asks here (decision 0003), with one answer:
 * - no read access at all: 404, the same as a conversation that does not exist (existence does not leak);
 * - read access, but not the level asked for (reply, manage): 403 auth.forbidden.
 * Returns the user's access and the conversation's mailboxes where they have the level asked for.
 */
export async function conversationAccess(
  db: Db,
  scope: MailboxScope,
  conversationId: string,
  level: MailboxAccess,
): Promise<{ access: MailboxAccess; mailboxIds: string[] }> {
  return judge(
    scope,
    await conversationMailboxIds(db, conversationId),
    level,
    () => new AppError('conversation.not_found', 404, 'no such conversation'),
  );
}

/**
 * The same rule for one message (its raw source, HTML, attachments): the mailboxes of the
 * conversations it is in. `notFound` names what the 404 is about (message, attachment).
 */
export async function messageAccess(
  db: Db,
  scope: MailboxScope,
  messageId: string,
  level: MailboxAccess,
  notFound: 'message.not_found' | 'attachment.not_found' = 'message.not_found',
): Promise<{ access: MailboxAccess; mailboxIds: string[] }> {
  const rows = await db
    .selectFrom('conversation_messages')
    .innerJoin('conversation_mailboxes', 'conversation_mailboxes.conversation_id', 'conversation_messages.conversation_id')
    .select('conversation_mailboxes.mailbox_id')
    .where('conversation_messages.message_id', '=', messageId)
    .execute();
  return judge(
    scope,
    rows.map((r) => r.mailbox_id),
    level,
    () => new AppError(notFound, 404, notFound === 'message.not_found' ? 'no such message' : 'no such attachment'),
  );
}

/** The mailboxes a conversation is in (no access check: for deciding about another user, e.g. an assignee). */
export async function conversationMailboxIds(db: Db, conversationId: string): Promise<string[]> {
  const rows = await db.selectFrom('conversation_mailboxes').select('mailbox_id').where('conversation_id', '=', conversationId).execute();
  return rows.map((r) => r.mailbox_id);
}

function judge(scope: MailboxScope, mailboxIds: string[], level: MailboxAccess, notFound: () => AppError) {
  const access = bestAccess(scope, mailboxIds);
  if (!access) throw notFound(); // every level includes read
  if (!includesAccess(access, level)) throw new AppError('auth.forbidden', 403, `this needs ${level} access to the conversation's mailbox`);
  return { access, mailboxIds: mailboxIds.filter((id) => includesAccess(accessToMailbox(scope, id), level)) };
}
