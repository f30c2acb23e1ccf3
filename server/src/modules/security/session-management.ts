import type { SessionList } from '@pier/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { type AuditActor, recordAuditBy } from '../audit/index.js';
import { deviceOf } from './device.js';
import { listUserSessions, revokeAllUserSessions, revokeUserSession } from './sessions.js';

/** Sessions as people see them (My security, and admins for anyone), and their audited revocation. */

export async function sessionListOf(db: Kysely<Database>, userId: string, currentSessionId: string): Promise<SessionList> {
  return {
    items: (await listUserSessions(db, userId)).map((s) => ({
      id: s.id,
      createdAt: s.createdAt,
      lastSeenAt: s.lastSeenAt,
      expiresAt: s.expiresAt,
      ip: s.ip,
      device: deviceOf(s.userAgent),
      current: s.id === currentSessionId,
    })),
  };
}

/** One session of a user ends, with its audit record in the same transaction. */
export async function revokeSessionAudited(db: Kysely<Database>, userId: string, sessionId: string, actor: AuditActor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (!(await revokeUserSession(trx, userId, sessionId))) throw new AppError('session.not_found', 404, 'no such session');
    await recordAuditBy(trx, actor, {
      action: 'session.revoked',
      targetType: 'user',
      targetId: userId,
      // The public handle of the session (its hash), never the cookie token.
      details: { sessionId, count: 1 },
    });
  });
}

/** Every session of a user except the caller's own ends; audited when there was any. */
export async function revokeOtherSessionsAudited(
  db: Kysely<Database>,
  userId: string,
  keepSessionId: string,
  actor: AuditActor,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const count = await revokeAllUserSessions(trx, userId, keepSessionId);
    if (count > 0) {
      await recordAuditBy(trx, actor, { action: 'session.revoked', targetType: 'user', targetId: userId, details: { count } });
    }
    return count;
  });
}
