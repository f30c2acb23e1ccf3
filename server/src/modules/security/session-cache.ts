import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { AuthContext } from './sessions.js';

/**
 * Resolved sessions kept in memory for a few seconds, so a busy page (the list
 * under load, its refetches) does not pay the session + grants lookup on every
 * request. Keyed by the session id (SHA-256 of the cookie token, as stored).
 *
 * Staleness bound:
 * - On this node, a change takes effect at once: every state-changing API
 *   request (POST/PUT/PATCH/DELETE under /api — sign-out, revocation, 2FA steps,
 *   role and grant changes, deactivation) clears the cache after its response,
 *   i.e. after its commit, and `invalidateSessionCache()` is called by writers
 *   outside HTTP. A lookup that started before an invalidation does not store
 *   its (possibly old) answer (generation check).
 * - From another process (the CLI, another PostgreSQL node), at most
 *   `SESSION_CACHE_MS` after the commit.
 * Expiry (absolute) is checked on every hit; the idle timeout (days) and the
 * last_seen_at touch (once a minute) are checked whenever the entry is re-read.
 *
 * One lookup per session at a time: when an entry runs out under load, the requests
 * that find it gone join the lookup already under way (`sharedLookup`) instead of each
 * reading the session and grants again (and each touching last_seen_at). A request joins only a lookup that began in its
 * own generation, so nothing read before an invalidation answers a request after it.
 */
export const SESSION_CACHE_MS = 2_000;
const MAX_ENTRIES = 10_000;

type Entry = { db: Kysely<Database>; auth: AuthContext; expiresAt: number; cachedUntil: number };

const entries = new Map<string, Entry>();
let generation = 0;
/** Lookups under way, per database, keyed by generation and session id. */
const lookups = new WeakMap<Kysely<Database>, Map<string, Promise<unknown>>>();

export function sessionCacheGeneration(): number {
  return generation;
}

export function invalidateSessionCache(): void {
  generation++;
  entries.clear();
}

export function cachedSession(db: Kysely<Database>, sessionId: string, now: number): AuthContext | undefined {
  const entry = entries.get(sessionId);
  if (!entry) return undefined;
  if (entry.db !== db || entry.cachedUntil <= now || entry.expiresAt < now) {
    entries.delete(sessionId);
    return undefined;
  }
  return entry.auth;
}

/** Stores a lookup's answer unless the cache was invalidated since the lookup began (`startedAt` generation). */
export function rememberSession(
  db: Kysely<Database>,
  sessionId: string,
  auth: AuthContext,
  expiresAt: number,
  startedAt: number,
  now: number,
): void {
  if (startedAt !== generation) return;
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
  entries.set(sessionId, { db, auth, expiresAt, cachedUntil: now + SESSION_CACHE_MS });
}

/**
 * Runs `lookup` for this session unless one that began in the current generation is under way,
 * in which case its answer is shared. The lookup stores its own answer (rememberSession).
 */
export function sharedLookup<T>(db: Kysely<Database>, sessionId: string, lookup: () => Promise<T>): Promise<T> {
  let underWay = lookups.get(db);
  if (!underWay) {
    underWay = new Map();
    lookups.set(db, underWay);
  }
  const key = `${generation}|${sessionId}`;
  const known = underWay.get(key) as Promise<T> | undefined;
  if (known) return known;
  const map = underWay;
  const started = lookup().finally(() => map.delete(key));
  map.set(key, started);
  return started;
}
