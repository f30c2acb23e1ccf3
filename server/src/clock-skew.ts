import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { DatabaseHandle } from './db/database.js';

/**
 * Job claims and IMAP leases compare times written by different nodes' clocks (decision 0056): a
 * node whose clock runs a lease (20–30 s) ahead sees every other node's claims as expired and takes
 * their running jobs and mailboxes. Within this bound of PostgreSQL's clock, two nodes differ by at
 * most twice it (10 s), well inside the shortest lease (decision 0074).
 */
export const MAX_CLOCK_SKEW_MS = 5_000;
/** How often a node compares its clock with PostgreSQL's after the check at start. */
export const CLOCK_CHECK_EVERY_MS = 60_000;

export type ClockCheck = {
  ok: boolean;
  /** This node's clock minus PostgreSQL's, in ms (null on SQLite: one process, one clock). */
  skewMs: number | null;
  detail?: string;
};

export type ClockSkewGuard = {
  /** False while the last check found the clock off: the node claims no jobs and takes no leases. */
  ok(): boolean;
  status(): ClockCheck;
  /** Compares now (tests call it after moving the clock instead of waiting for the period). */
  check(): Promise<ClockCheck>;
  stop(): void;
};

/**
 * Compares this node's clock (the one its claims use) with PostgreSQL's `clock_timestamp()` at start
 * and every `everyMs`; the skew is measured against the middle of the round trip, and only what
 * exceeds `maxSkewMs` by more than half the round trip counts. Logs when the clock goes off and when
 * it is back. A failed query keeps the last answer (the database being down is its own health check).
 */
export async function startClockSkewGuard(options: {
  database: DatabaseHandle;
  clock: Clock;
  logger: Pick<Logger, 'warn' | 'info'>;
  maxSkewMs?: number;
  everyMs?: number;
}): Promise<ClockSkewGuard> {
  const { database, clock, logger } = options;
  const maxSkewMs = options.maxSkewMs ?? MAX_CLOCK_SKEW_MS;
  let last: ClockCheck = { ok: true, skewMs: null };
  async function check(): Promise<ClockCheck> {
    if (database.engine !== 'postgres') return last;
    const sent = clock.now();
    const row = await sql<{ ms: number }>`select extract(epoch from clock_timestamp()) * 1000 as ms`
      .execute(database.db)
      .then((r) => r.rows[0])
      .catch(() => undefined);
    if (!row) return last;
    const received = clock.now();
    const skewMs = Math.round((sent + received) / 2 - Number(row.ms));
    const ok = Math.abs(skewMs) - (received - sent) / 2 <= maxSkewMs;
    const detail = ok
      ? undefined
      : `this node's clock is ${Math.abs(skewMs)} ms ${skewMs > 0 ? 'ahead of' : 'behind'} PostgreSQL's (at most ${maxSkewMs} ms): it claims no jobs and takes no mailboxes until the clocks agree (run NTP)`;
    if (!ok && last.ok) logger.warn({ skewMs, maxSkewMs }, 'clock skew: this node stops claiming jobs and IMAP leases');
    if (ok && !last.ok) logger.info({ skewMs }, 'clock skew gone: this node claims jobs and IMAP leases again');
    last = { ok, skewMs, ...(detail ? { detail } : {}) };
    return last;
  }
  await check();
  const timer = database.engine === 'postgres' ? setInterval(() => void check(), options.everyMs ?? CLOCK_CHECK_EVERY_MS) : undefined;
  timer?.unref();
  return { ok: () => last.ok, status: () => last, check, stop: () => clearInterval(timer) };
}
