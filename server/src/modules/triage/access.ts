import type { Role } from '@pier/contracts';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type MailboxScope, mailboxScopeFor } from '../security/index.js';

type Db = Kysely<Database> | Transaction<Database>;

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
