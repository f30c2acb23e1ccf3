import type { MailboxAccess, MailboxAccessList } from '@pier/contracts';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { type AuditActor, recordAuditBy, systemActor } from '../audit/index.js';
import { upsertMailboxAccess } from './mailbox-queries.js';

type Trx = Transaction<Database>;

/** The people with a grant on one mailbox, by name (Settings → mailboxes → access). */
export async function listMailboxAccess(db: Kysely<Database>, mailboxId: string): Promise<MailboxAccessList['people']> {
  const rows = await db
    .selectFrom('mailbox_access as a')
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .select(['u.id', 'u.name', 'u.email', 'u.role', 'a.access'])
    .where('a.mailbox_id', '=', mailboxId)
    .where('u.status', '!=', 'disabled')
    .orderBy('u.name')
    .orderBy('u.email')
    .execute();
  return rows.map((r) => ({ userId: r.id, name: r.name, email: r.email, role: r.role, access: r.access }));
}

/** Gives or changes one person's access in the caller's transaction: one audit record with before and after. */
export async function grantMailboxAccessIn(
  trx: Trx,
  userId: string,
  mailboxId: string,
  access: MailboxAccess,
  actor: AuditActor,
  context: Record<string, unknown> = {},
): Promise<void> {
  const user = await trx.selectFrom('users').select(['id', 'email', 'status']).where('id', '=', userId).executeTakeFirst();
  if (!user || user.status === 'disabled') throw new AppError('user.not_found', 404, 'no such user');
  const before = await trx
    .selectFrom('mailbox_access')
    .select('access')
    .where('user_id', '=', userId)
    .where('mailbox_id', '=', mailboxId)
    .executeTakeFirst();
  if (before?.access === access) return;
  await upsertMailboxAccess(trx, { user_id: userId, mailbox_id: mailboxId, access });
  await recordAuditBy(trx, actor, {
    action: 'mailbox_access.granted',
    targetType: 'user',
    targetId: userId,
    mailboxId,
    details: { access, previous: before?.access ?? null, user: user.email, ...context },
  });
}

export async function grantMailboxAccess(
  db: Kysely<Database>,
  userId: string,
  mailboxId: string,
  access: MailboxAccess,
  actor: AuditActor = systemActor,
): Promise<void> {
  await db.transaction().execute((trx) => grantMailboxAccessIn(trx, userId, mailboxId, access, actor));
}

/** Takes one person's access away in the caller's transaction; false when they had none. */
export async function revokeMailboxAccessIn(
  trx: Trx,
  userId: string,
  mailboxId: string,
  actor: AuditActor,
  context: Record<string, unknown> = {},
): Promise<boolean> {
  const before = await trx
    .selectFrom('mailbox_access')
    .select('access')
    .where('user_id', '=', userId)
    .where('mailbox_id', '=', mailboxId)
    .executeTakeFirst();
  if (!before) return false;
  const user = await trx.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirst();
  await trx.deleteFrom('mailbox_access').where('user_id', '=', userId).where('mailbox_id', '=', mailboxId).execute();
  await recordAuditBy(trx, actor, {
    action: 'mailbox_access.revoked',
    targetType: 'user',
    targetId: userId,
    mailboxId,
    details: { previous: before.access, user: user?.email ?? null, ...context },
  });
  return true;
}

export async function revokeMailboxAccess(db: Kysely<Database>, userId: string, mailboxId: string, actor: AuditActor): Promise<void> {
  const revoked = await db.transaction().execute((trx) => revokeMailboxAccessIn(trx, userId, mailboxId, actor));
  if (!revoked) throw new AppError('mailbox_access.not_found', 404, 'this person has no access to this mailbox');
}
