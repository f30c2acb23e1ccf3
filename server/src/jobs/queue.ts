import { type Kysely, sql, type Transaction } from 'kysely';
import { type Clock, systemClock } from '../clock.js';
import { chunksFor } from '../db/bulk.js';
import type { Engine } from '../db/database.js';
import { newId } from '../db/ids.js';
import type { Database, JobRow } from '../db/schema.js';
import { advanceSetting } from '../db/settings.js';

/**
 * A durable job queue in the jobs table, on either engine. A job is claimed by
 * setting a lease (locked_by, locked_until); a worker that dies loses its lease
 * and the job runs again, so handlers must be idempotent. Workers claim one job
 * at a time, so a dead worker holds only the job it was running. On PostgreSQL the
 * claim uses FOR UPDATE SKIP LOCKED so several nodes never take the same job;
 * SQLite has a single writer, so its UPDATE … RETURNING is already exclusive.
 */
export type EnqueueOptions = {
  name: string;
  payload: unknown;
  runAt?: number;
  maxAttempts?: number;
  /** While a job with this key is queued, enqueueing another with it is a no-op. */
  dedupeKey?: string;
};

export type ClaimedJob = Pick<JobRow, 'id' | 'name' | 'payload' | 'attempts' | 'max_attempts'>;

type Db = Kysely<Database> | Transaction<Database>;

/** Queues a job on any executor; inside a transaction it commits (or not) with the caller's rows. */
export async function enqueueJob(executor: Db, options: EnqueueOptions): Promise<{ id: string; created: boolean }> {
  const row = jobRow(options, Date.now());
  const result = await executor
    .insertInto('jobs')
    .values(row)
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst();
  return { id: row.id, created: Number(result.numInsertedOrUpdatedRows ?? 0n) > 0 };
}

/** A queued, unclaimed job's row. */
function jobRow(options: EnqueueOptions, now: number) {
  return {
    id: newId(),
    name: options.name,
    payload: JSON.stringify(options.payload ?? null),
    state: 'queued' as const,
    run_at: options.runAt ?? now,
    max_attempts: options.maxAttempts ?? 8,
    locked_by: null,
    locked_until: null,
    dedupe_key: options.dedupeKey ?? null,
    last_error: null,
    created_at: now,
  };
}

/**
 * Queues many jobs with one multi-row INSERT (ingest publishes an event per stored mail).
 * Jobs with a dedupe key already queued are skipped, as in enqueueJob.
 */
export async function enqueueJobs(executor: Db, jobs: EnqueueOptions[]): Promise<void> {
  const now = Date.now();
  for (const chunk of chunksFor(jobs, 11)) {
    await executor
      .insertInto('jobs')
      .values(chunk.map((options) => jobRow(options, now)))
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .execute();
  }
}

/** How long a job waits after its `attempts`-th failed attempt: 1 s, 2 s, 4 s … capped at 1 h. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60 * 60_000, 1000 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Queues a job whose first attempt already ran and failed elsewhere (a step of an event's job,
 * decision 0073): one attempt counted, the error kept, due after the first backoff, so it retries
 * and dies exactly as if it had been claimed and failed on its own.
 */
export async function enqueueRetry(executor: Db, options: EnqueueOptions, error: string, now: number): Promise<void> {
  await executor
    .insertInto('jobs')
    .values({ ...jobRow({ ...options, runAt: now + retryDelayMs(1) }, now), attempts: 1, last_error: error.slice(0, 2000) })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}

/** Removes a queued job no worker has taken yet (undo send); one already running is left alone. */
export async function cancelWaitingJob(executor: Db, dedupeKey: string): Promise<void> {
  await executor.deleteFrom('jobs').where('dedupe_key', '=', dedupeKey).where('locked_by', 'is', null).execute();
}

/**
 * The due, unclaimed jobs of `names`, oldest due first (on PostgreSQL locked, skipping rows other
 * claimers hold). `byName`: a few names with few rows (the urgent ones): ordered by `run_at + 0`, so
 * PostgreSQL finds them on `jobs (name, state, run_at)` and sorts the handful, instead of walking
 * the whole backlog in `jobs (state, run_at)` order for a row that is not there (EXPLAIN with 20,000
 * queued jobs: 413 buffers and 22 ms that way; SQLite picks the name index either way).
 */
function dueJobs(
  source: Pick<Kysely<Database>, 'selectFrom'>,
  engine: Engine,
  names: readonly string[],
  now: number,
  limit: number,
  byName = false,
) {
  return source
    .selectFrom('jobs')
    .select('id')
    .where('state', '=', 'queued')
    .where('run_at', '<=', now)
    .where('name', 'in', names)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
    .$if(byName, (qb) => qb.orderBy(sql`run_at + 0`))
    .$if(!byName, (qb) => qb.orderBy('run_at'))
    .limit(limit)
    .$if(engine === 'postgres', (qb) => qb.forUpdate().skipLocked());
}

/** `clock` decides when a job is due (tests move it instead of waiting). */
export function createQueue(db: Kysely<Database>, engine: Engine, clock: Clock = systemClock) {
  return {
    /** Pass a transaction to enqueue atomically with the rows that caused the job. */
    enqueue: (options: EnqueueOptions, executor: Db = db) => enqueueJob(executor, { ...options, runAt: options.runAt ?? clock.now() }),

    /**
     * Queues one run of a recurring job per time slot, whatever the number of workers and
     * however fast the run completes: the slot is claimed in the settings table (a completed job
     * row is deleted, so its dedupe key alone would let the same slot run again at once).
     */
    async scheduleSlot(name: string, slot: number, options: Omit<EnqueueOptions, 'name'>): Promise<boolean> {
      const key = `schedule:${name}`;
      // Zero-padded so the text comparison orders slots numerically.
      const value = String(slot).padStart(16, '0');
      return db.transaction().execute(async (trx) => {
        if (!(await advanceSetting(trx, key, value))) return false;
        await enqueueJob(trx, { name, ...options });
        return true;
      });
    },

    /**
     * Claims up to `limit` due jobs. With `urgent` names: the due urgent jobs if any, else the
     * others, in ONE statement (decision 0056): the urgent probe is a CTE on the index
     * `jobs (name, state, run_at)` (migration 0060), the other probe runs only when it found
     * nothing and walks `jobs (state, run_at)`; each stops at its first due, unclaimed rows.
     */
    async claim(options: {
      workerId: string;
      names: readonly string[];
      urgent?: readonly string[];
      limit: number;
      leaseMs: number;
    }): Promise<ClaimedJob[]> {
      if (options.names.length === 0) return [];
      const now = clock.now();
      const urgent = options.urgent ?? [];
      const lease = {
        locked_by: options.workerId,
        locked_until: now + options.leaseMs,
        attempts: sql<number>`attempts + 1`,
      };
      const returned = ['id', 'name', 'payload', 'attempts', 'max_attempts'] as const;
      if (urgent.length === 0) {
        return db
          .updateTable('jobs')
          .set(lease)
          .where('id', 'in', dueJobs(db, engine, options.names, now, options.limit))
          .returning(returned)
          .execute();
      }
      return db
        .with('urgent_due', (qb) => dueJobs(qb, engine, urgent, now, options.limit, true))
        .with('other_due', (qb) =>
          dueJobs(qb, engine, options.names, now, options.limit).where(sql<boolean>`not exists (select 1 from urgent_due)`),
        )
        .updateTable('jobs')
        .set(lease)
        .where('id', 'in', (eb) => eb.selectFrom('urgent_due').select('id').unionAll(eb.selectFrom('other_due').select('id')))
        .returning(returned)
        .execute();
    },

    /**
     * Extends the lease of jobs this worker still holds (a heartbeat while a long job runs, so the
     * lease can be short and a dead node's jobs run again soon). Returns how many it still held: 0
     * means the lease was lost (another worker may run the job; handlers are idempotent, a send
     * then finds "sending" and records "uncertain").
     */
    async renew(ids: readonly string[], workerId: string, leaseMs: number): Promise<number> {
      if (ids.length === 0) return 0;
      const result = await db
        .updateTable('jobs')
        .set({ locked_until: clock.now() + leaseMs })
        .where('id', 'in', ids)
        .where('locked_by', '=', workerId)
        .where('state', '=', 'queued')
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },

    /**
     * Frees the claims of workers that are certainly dead (`isDead`: a process of this host that
     * is gone), so a restarted node runs their jobs now instead of after the lease (30 s). The job
     * that was running when its worker died runs again (a send job then records "uncertain").
     */
    async releaseClaimsOf(isDead: (workerId: string) => boolean): Promise<number> {
      const now = Date.now();
      const holders = await db
        .selectFrom('jobs')
        .select('locked_by')
        .distinct()
        .where('state', '=', 'queued')
        .where('locked_by', 'is not', null)
        .where('locked_until', '>=', now)
        .execute();
      let released = 0;
      for (const { locked_by: holder } of holders) {
        if (!holder || !isDead(holder)) continue;
        const result = await db
          .updateTable('jobs')
          .set({ locked_by: null, locked_until: null })
          .where('locked_by', '=', holder)
          .where('state', '=', 'queued')
          .executeTakeFirst();
        released += Number(result.numUpdatedRows);
      }
      return released;
    },

    async complete(id: string, workerId: string): Promise<void> {
      await db.deleteFrom('jobs').where('id', '=', id).where('locked_by', '=', workerId).execute();
    },

    /** Retries with exponential backoff, or marks the job dead after its last attempt. */
    async fail(job: ClaimedJob, workerId: string, error: string): Promise<'retry' | 'dead'> {
      const isDead = job.attempts >= job.max_attempts;
      const backoffMs = retryDelayMs(job.attempts);
      await db
        .updateTable('jobs')
        .set({
          state: isDead ? 'dead' : 'queued',
          run_at: clock.now() + (isDead ? 0 : backoffMs),
          locked_by: null,
          locked_until: null,
          last_error: error.slice(0, 2000),
        })
        .where('id', '=', job.id)
        .where('locked_by', '=', workerId)
        .execute();
      return isDead ? 'dead' : 'retry';
    },
  };
}

export type Queue = ReturnType<typeof createQueue>;
