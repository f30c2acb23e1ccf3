import type { Insertable, Kysely } from 'kysely';
import type { Database, SessionsTable } from '../../db/schema.js';
import { unversionedWrite } from '../../db/unversioned-write.js';

export async function insertSession(db: Kysely<Database>, row: Insertable<SessionsTable>): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export function findSessionWithUser(db: Kysely<Database>, sessionId: string) {
  return db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as session_id',
      'sessions.created_at as session_created_at',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'sessions.second_factor',
      'sessions.reauth_at',
      'users.id',
      'users.email',
      'users.name',
      'users.password_hash',
      'users.role',
      'users.locale',
      'users.status',
      'users.created_at',
      'users.updated_at',
      'users.last_login_at',
    ])
    .where('sessions.id', '=', sessionId)
    .executeTakeFirst();
}

/** Bookkeeping no cached answer reads: it leaves the list caches as they are (sign-out and expiry are checked before any cache). */
export async function touchSession(db: Kysely<Database>, sessionId: string, at: number): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', sessionId).modifyEnd(unversionedWrite).execute();
}

export async function deleteSession(db: Kysely<Database>, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

export async function deleteExpiredSessions(db: Kysely<Database>, now: number, idleCutoff: number): Promise<number> {
  const result = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<', now), eb('last_seen_at', '<', idleCutoff)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function loadMailboxGrants(db: Kysely<Database>, userId: string) {
  return db.selectFrom('mailbox_access').select(['mailbox_id', 'access']).where('user_id', '=', userId).execute();
}
