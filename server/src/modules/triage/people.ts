import type { ConversationPeople } from '@pier/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { conversationMailboxIds } from '../conversations/index.js';
import { bestAccess, includesAccess, mailboxScopeFor } from '../security/index.js';

/** Who may be assigned (reply access, not auditors) or @mentioned (any access) on a conversation, and the teams. */
export async function conversationPeople(db: Kysely<Database>, conversationId: string): Promise<ConversationPeople> {
  const [mailboxIds, users, grants, teams] = await Promise.all([
    conversationMailboxIds(db, conversationId),
    db.selectFrom('users').select(['id', 'name', 'email', 'role']).where('status', '=', 'active').orderBy('name').execute(),
    db.selectFrom('mailbox_access').select(['user_id', 'mailbox_id', 'access']).execute(),
    db.selectFrom('teams').select(['id', 'name']).orderBy('name').execute(),
  ]);
  const assignable: ConversationPeople['assignable'] = [];
  const mentionable: ConversationPeople['mentionable'] = [];
  for (const user of users) {
    const scope = mailboxScopeFor(user.role, new Map(grants.filter((g) => g.user_id === user.id).map((g) => [g.mailbox_id, g.access])));
    const access = bestAccess(scope, mailboxIds);
    if (!access) continue;
    const person = { id: user.id, name: user.name, email: user.email };
    mentionable.push(person);
    if (user.role !== 'auditor' && includesAccess(access, 'reply')) assignable.push(person);
  }
  return { assignable, mentionable, teams };
}
