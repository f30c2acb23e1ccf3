import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, UserRow } from '../../db/schema.js';
import { sha256Hex } from '../../storage/blob-store.js';
import { type MailboxScope, mailboxScopeFor } from './access-policy.js';
import {
  deleteExpiredSessions,
  deleteSession,
  findSessionWithUser,
  insertSession,
  loadMailboxGrants,
  touchSession,
} from './session-queries.js';

/** A session ends after this long without a request… */
export const SESSION_IDLE_MS = 3 * 24 * 60 * 60_000;
/** …and in any case this long after sign-in. */
export const SESSION_ABSOLUTE_MS = 30 * 24 * 60 * 60_000;
/** last_seen_at is written at most this often, to keep reads from becoming writes. */
const TOUCH_EVERY_MS = 60_000;

export type AuthContext = {
  user: UserRow;
  sessionId: string;
  scope: MailboxScope;
};

/** Creates a session and returns the cookie token; only its SHA-256 is stored. */
export async function startSession(db: Kysely<Database>, userId: string, client: { ip: string | null; userAgent: string | null }) {
  const token = randomBytes(32).toString('base64url');
  const now = Date.now();
  await insertSession(db, {
    id: sha256Hex(token),
    user_id: userId,
    created_at: now,
    last_seen_at: now,
    expires_at: now + SESSION_ABSOLUTE_MS,
    ip: client.ip,
    user_agent: client.userAgent?.slice(0, 400) ?? null,
  });
  return { token, expiresAt: now + SESSION_ABSOLUTE_MS };
}

export async function resolveSession(db: Kysely<Database>, token: string): Promise<AuthContext | undefined> {
  const sessionId = sha256Hex(token);
  const row = await findSessionWithUser(db, sessionId);
  if (!row) return undefined;
  const now = Date.now();
  if (row.expires_at < now || row.last_seen_at + SESSION_IDLE_MS < now || row.status !== 'active') {
    await deleteSession(db, sessionId);
    return undefined;
  }
  if (now - row.last_seen_at > TOUCH_EVERY_MS) await touchSession(db, sessionId, now);
  const { session_id, session_created_at, last_seen_at, expires_at, ...user } = row;
  const grants = await loadMailboxGrants(db, user.id);
  return { user, sessionId, scope: mailboxScopeFor(user.role, new Map(grants.map((g) => [g.mailbox_id, g.access]))) };
}

export async function endSession(db: Kysely<Database>, token: string): Promise<void> {
  await deleteSession(db, sha256Hex(token));
}

export function purgeExpiredSessions(db: Kysely<Database>): Promise<number> {
  const now = Date.now();
  return deleteExpiredSessions(db, now, now - SESSION_IDLE_MS);
}
