import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';

/**
 * Lockout with exponential backoff after repeated failures, per account and per
 * IP, on top of the per-IP request rate limit. The first lock lasts a minute,
 * each further failure doubles it, up to an hour. Counters are rows, so every
 * node behind a load balancer sees the same lock.
 */
export const LOCKOUT = {
  accountThreshold: 5,
  ipThreshold: 20,
  firstLockMs: 60_000,
  maxLockMs: 60 * 60_000,
  /** A counter untouched this long starts again from zero. */
  forgetAfterMs: 60 * 60_000,
} as const;

export const accountKey = (userId: string) => `user:${userId}`;
export const ipKey = (ip: string) => `ip:${ip}`;

export function lockDuration(failures: number, threshold: number): number {
  if (failures < threshold) return 0;
  return Math.min(LOCKOUT.firstLockMs * 2 ** (failures - threshold), LOCKOUT.maxLockMs);
}

/** Milliseconds until the longest lock among the keys ends; 0 when none is locked. */
export async function lockedFor(db: Kysely<Database>, keys: string[], now = Date.now()): Promise<number> {
  if (keys.length === 0) return 0;
  const rows = await db.selectFrom('login_throttles').select(['locked_until']).where('key', 'in', keys).execute();
  return Math.max(0, ...rows.map((r) => (r.locked_until ?? 0) - now));
}

/** Counts a failure (one atomic upsert, so parallel guesses all count) and locks the key past the threshold. */
export async function recordFailure(
  db: Kysely<Database>,
  key: string,
  threshold: number,
  now = Date.now(),
): Promise<{ failures: number; lockedUntil: number | null }> {
  const forgetBefore = now - LOCKOUT.forgetAfterMs;
  const row = await db
    .insertInto('login_throttles')
    .values({ key, failures: 1, locked_until: null, updated_at: now })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql<number>`case when login_throttles.updated_at > ${forgetBefore} then login_throttles.failures + 1 else 1 end`,
        updated_at: now,
      }),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  const failures = Number(row.failures);
  const lockMs = lockDuration(failures, threshold);
  const lockedUntil = lockMs > 0 ? now + lockMs : null;
  if (lockedUntil !== null) await db.updateTable('login_throttles').set({ locked_until: lockedUntil }).where('key', '=', key).execute();
  return { failures, lockedUntil };
}

export async function clearFailures(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('login_throttles').where('key', '=', key).execute();
}
