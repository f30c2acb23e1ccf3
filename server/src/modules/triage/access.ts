import type { MailboxAccess, Role } from '@pier/contracts';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { accessToMailbox, includesAccess, type MailboxScope, mailboxScopeFor } from '../security/index.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * A conversation belongs to the mailboxes it was seen in; the best access the
 * user has to any of them is their access to the conversation. No access at
 * all is 404 (the same answer as a conversation that does not exist), so a
 * user learns nothing about mail outside their mailboxes.
 */
export async function conversationAccess(db: Db, scope: MailboxScope, conversationId: string): Promise<MailboxAccess> {
  const mailboxIds = await db
    .selectFrom('conversation_mailboxes')
    .select('mailbox_id')
    .where('conversation_id', '=', conversationId)
    .execute();
  const best = bestAccess(
    scope,
    mailboxIds.map((m) => m.mailbox_id),
  );
  if (!best) throw new AppError('conversation.not_found', 404, 'no such conversation');
  return best;
}

/** Like conversationAccess, but changing the conversation needs reply access (read-only users get 403). */
export async function requireConversationAccess(db: Db, scope: MailboxScope, conversationId: string, level: MailboxAccess) {
  const access = await conversationAccess(db, scope, conversationId);
  if (!includesAccess(access, level)) throw new AppError('auth.forbidden', 403, `this needs ${level} access to the conversation's mailbox`);
  return access;
}

export function bestAccess(scope: MailboxScope, mailboxIds: string[]): MailboxAccess | undefined {
  let best: MailboxAccess | undefined;
  for (const id of mailboxIds) {
    const level = accessToMailbox(scope, id);
    if (level && (!best || includesAccess(level, best))) best = level;
  }
  return best;
}

/** Another user's scope (an assignee, a mention): their role and grants, as their session would see them. */
export async function scopeOfUser(db: Db, userId: string): Promise<{ name: string; role: Role; scope: MailboxScope } | undefined> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'name', 'role'])
    .where('id', '=', userId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (!user) return undefined;
  const grants = await db.selectFrom('mailbox_access').select(['mailbox_id', 'access']).where('user_id', '=', userId).execute();
  return { name: user.name, role: user.role, scope: mailboxScopeFor(user.role, new Map(grants.map((g) => [g.mailbox_id, g.access]))) };
}
