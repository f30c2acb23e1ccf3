import { randomBytes } from 'node:crypto';
import type { ApiTokenScope } from '@pier/contracts';
import type { Kysely } from 'kysely';
import { type Clock, systemClock } from '../../clock.js';
import type { Database, UserRow } from '../../db/schema.js';
import { sha256Hex } from '../../storage/blob-store.js';
import { type MailboxScope, mailboxScopeFor } from './access-policy.js';
import { cachedSession, invalidateSessionCache, rememberSession, sessionCacheGeneration, sharedLookup } from './session-cache.js';
import {
  deleteExpiredSessions,
  deleteSession,
  findSessionWithUser,
  insertSession,
  loadMailboxGrants,
  touchSession,
} from './session-queries.js';

/** How long a session lives: `idleMs` without a request, `absoluteMs` after sign-in in any case (PIER_SESSION_*). */
export type SessionTimeouts = { idleMs: number; absoluteMs: number };
export const defaultSessionTimeouts: SessionTimeouts = { idleMs: 3 * 24 * 60 * 60_000, absoluteMs: 30 * 24 * 60 * 60_000 };
/** last_seen_at is written at most this often, to keep reads from becoming writes. */
const TOUCH_EVERY_MS = 60_000;
/** Step-up: sensitive actions need password + second factor checked this recently. */
export const STEP_UP_WINDOW_MS = 10 * 60_000;

/** 'done', or what must happen before the session may do anything else. */
export type SecondFactorState = 'done' | 'verify' | 'enrol';

export type AuthContext = {
  user: UserRow;
  sessionId: string;
  scope: MailboxScope;
  secondFactor: SecondFactorState;
  /** Last time password (+ second factor, where the user has one) was checked in this session. */
  reauthAt: number | null;
  /** Set when the request came with an API token instead of a session (decision 0049). */
  token?: { id: string; scope: ApiTokenScope };
};

/** Creates a session and returns the cookie token; only its SHA-256 is stored. */
export async function startSession(
  db: Kysely<Database>,
  userId: string,
  client: { ip: string | null; userAgent: string | null },
  options: { secondFactor: SecondFactorState; timeouts: SessionTimeouts },
) {
  const token = randomBytes(32).toString('base64url');
  const now = Date.now();
  const expiresAt = now + options.timeouts.absoluteMs;
  await insertSession(db, {
    id: sha256Hex(token),
    user_id: userId,
    created_at: now,
    last_seen_at: now,
    expires_at: expiresAt,
    ip: client.ip,
    user_agent: client.userAgent?.slice(0, 400) ?? null,
    second_factor: options.secondFactor,
    reauth_at: options.secondFactor === 'done' ? now : null,
  });
  return { token, sessionId: sha256Hex(token), expiresAt };
}

export async function resolveSession(
  db: Kysely<Database>,
  token: string,
  timeouts: SessionTimeouts = defaultSessionTimeouts,
): Promise<AuthContext | undefined> {
  return (await lookupSession(db, sha256Hex(token), timeouts, Date.now()))?.auth;
}

/**
 * resolveSession through the short in-memory cache (the HTTP guard's path; see
 * session-cache.ts for when a change takes effect). The live hub's heartbeat
 * re-reads the database (resolveSession). `clock` decides expiry (tests move it).
 */
export async function resolveSessionCached(
  db: Kysely<Database>,
  token: string,
  timeouts: SessionTimeouts = defaultSessionTimeouts,
  clock: Clock = systemClock,
): Promise<AuthContext | undefined> {
  const sessionId = sha256Hex(token);
  const hit = cachedSession(db, sessionId, clock.now());
  if (hit) return hit;
  // Concurrent requests of one session share one lookup (a busy page's requests arrive together).
  const found = await sharedLookup(db, sessionId, async () => {
    const startedAt = sessionCacheGeneration();
    const answer = await lookupSession(db, sessionId, timeouts, clock.now());
    if (answer) rememberSession(db, sessionId, answer.auth, answer.expiresAt, startedAt, clock.now());
    return answer;
  });
  return found?.auth;
}

async function lookupSession(
  db: Kysely<Database>,
  sessionId: string,
  timeouts: SessionTimeouts,
  now: number,
): Promise<{ auth: AuthContext; expiresAt: number } | undefined> {
  const row = await findSessionWithUser(db, sessionId);
  if (!row) return undefined;
  if (row.expires_at < now || row.last_seen_at + timeouts.idleMs < now || row.status !== 'active') {
    await deleteSession(db, sessionId);
    return undefined;
  }
  if (now - row.last_seen_at > TOUCH_EVERY_MS) await touchSession(db, sessionId, now);
  const { session_id, session_created_at, last_seen_at, expires_at, second_factor, reauth_at, ...user } = row;
  const grants = await loadMailboxGrants(db, user.id);
  const auth: AuthContext = {
    user,
    sessionId,
    scope: mailboxScopeFor(user.role, new Map(grants.map((g) => [g.mailbox_id, g.access]))),
    secondFactor: second_factor,
    reauthAt: reauth_at,
  };
  return { auth, expiresAt: expires_at };
}

/** The second factor was verified or enrolled (or password + factor re-checked): the session is complete and fresh. */
export async function completeSession(db: Kysely<Database>, sessionId: string, at = Date.now()): Promise<void> {
  await db.updateTable('sessions').set({ second_factor: 'done', reauth_at: at }).where('id', '=', sessionId).execute();
  invalidateSessionCache();
}

export function hasFreshStepUp(auth: Pick<AuthContext, 'reauthAt'>, now = Date.now()): boolean {
  return auth.reauthAt !== null && now - auth.reauthAt <= STEP_UP_WINDOW_MS;
}

export async function endSession(db: Kysely<Database>, token: string): Promise<void> {
  await deleteSession(db, sha256Hex(token));
  invalidateSessionCache();
}

export function purgeExpiredSessions(
  db: Kysely<Database>,
  timeouts: SessionTimeouts = defaultSessionTimeouts,
  now = Date.now(),
): Promise<number> {
  return deleteExpiredSessions(db, now, now - timeouts.idleMs);
}

export type SessionSummary = {
  id: string;
  userId: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  ip: string | null;
  userAgent: string | null;
};

/** Sessions of a user, newest first; the id is the public handle (the hash, never the cookie token). */
export async function listUserSessions(db: Kysely<Database>, userId: string): Promise<SessionSummary[]> {
  const rows = await db
    .selectFrom('sessions')
    .select(['id', 'user_id', 'created_at', 'last_seen_at', 'expires_at', 'ip', 'user_agent'])
    .where('user_id', '=', userId)
    .where('expires_at', '>', Date.now())
    .orderBy('last_seen_at', 'desc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    userId: r.user_id,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    expiresAt: r.expires_at,
    ip: r.ip,
    userAgent: r.user_agent,
  }));
}

/** Revokes one session of a user; false when it is not theirs (or gone). */
export async function revokeUserSession(db: Kysely<Database>, userId: string, sessionId: string): Promise<boolean> {
  const result = await db.deleteFrom('sessions').where('id', '=', sessionId).where('user_id', '=', userId).executeTakeFirst();
  invalidateSessionCache();
  return Number(result.numDeletedRows) > 0;
}

/** Revokes every session of a user, except `keep` (the caller's own, when signing out elsewhere). */
export async function revokeAllUserSessions(db: Kysely<Database>, userId: string, keep?: string): Promise<number> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keep) query = query.where('id', '!=', keep);
  const result = await query.executeTakeFirst();
  invalidateSessionCache();
  return Number(result.numDeletedRows);
}

export type { UserRow };
