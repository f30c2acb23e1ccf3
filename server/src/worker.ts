import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { type Clock, systemClock } from './clock.js';
import type { Engine } from './db/database.js';
import { jobCpuRecorder } from './jobs/job-cpu.js';
import { isDeadLocalHolder, localHolderId } from './jobs/local-holder.js';
import type { ClaimedJob, Queue } from './jobs/queue.js';
import type { AnyJobHandler } from './jobs/registry.js';

/**
 * A job claim lasts 30 s and is renewed every 10 s while the job runs (decision 0056): another node
 * runs a dead node's jobs 30–40 s after its last heartbeat, not after the 5 minutes a fixed lease needed.
 */
export const DEFAULT_JOB_LEASE_MS = 30_000;

/**
 * Jobs a worker runs at once unless PIER_JOB_CONCURRENCY says otherwise (decision 0070). PostgreSQL:
 * a job spends most of its time awaiting statements, so while one waits the others use the CPU.
 * SQLite: statements run inside the process, there is no round trip to overlap, so 1.
 */
export function defaultJobConcurrency(engine: Engine): number {
  return engine === 'postgres' ? 4 : 1;
}

export type Schedule = { name: string; everyMs: number; payload?: unknown };

/**
 * The job loop: `concurrency` slots, each claiming one due job at a time (a claimed job is a started
 * job, so a crash strands no others behind its lease) and running its handler, so a job waiting for
 * PostgreSQL or an SMTP server leaves the process to the others (decision 0070); jobs of one serial
 * group (`JobHandler.serialGroup`) run one at a time. It keeps recurring jobs scheduled (one
 * queued instance each, via the dedupe key, whatever the node count).
 * On start, and every `recoverEveryMs` while it runs, it frees the claims of dead workers of this
 * host (docs/decisions/0002-job-queue.md): a worker killed beside a running one (several nodes on one
 * host) does not strand its job for the lease (decision 0056). A running job's lease is renewed
 * (heartbeat), so the lease is short and a dead node on another host holds its jobs ~30 s.
 */
export function startWorker(options: {
  queue: Queue;
  handlers: AnyJobHandler[];
  schedules: Schedule[];
  logger: Logger;
  /** Decides which time slot a recurring job is in; the queue's clock decides when jobs are due. */
  clock?: Clock;
  pollMs?: number;
  /** Jobs run at once (PIER_JOB_CONCURRENCY; default 1). */
  concurrency?: number;
  /** How long a claim holds without a heartbeat: another node runs a dead node's job after this. */
  leaseMs?: number;
  /** How often a running job's lease is renewed (default a third of the lease, so two missed beats are survived). */
  heartbeatMs?: number;
  /** How often a running worker looks for claims of dead workers of this host. */
  recoverEveryMs?: number;
  /** False while this node's clock is off (clock-skew.ts): no claims, no scheduling; running jobs finish. */
  mayClaim?: () => boolean;
}) {
  const { queue, logger } = options;
  const workerId = `${localHolderId()}:${randomBytes(3).toString('hex')}`;
  const handlers = new Map(options.handlers.map((h) => [h.name, h]));
  const names = [...handlers.keys()];
  const urgent = options.handlers.filter((h) => h.urgent).map((h) => h.name);
  const pollMs = options.pollMs ?? 500;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  let stopped = false;
  const recoverEveryMs = options.recoverEveryMs ?? 5_000;
  const leaseMs = options.leaseMs ?? DEFAULT_JOB_LEASE_MS;
  const heartbeatMs = options.heartbeatMs ?? Math.floor(leaseMs / 3);
  let recoveredAt = Number.NEGATIVE_INFINITY;
  const cpu = jobCpuRecorder();

  // Checked before every claim, not once per tick: under a backlog a tick claims for minutes.
  async function recoverDeadClaims() {
    if (Date.now() - recoveredAt < recoverEveryMs) return;
    recoveredAt = Date.now();
    const released = await queue.releaseClaimsOf(isDeadLocalHolder);
    if (released > 0) logger.warn({ released }, 'freed the jobs claimed by a dead worker of this host');
  }

  // The lease is short (30 s) so a dead node's job runs again soon; a job that runs longer (a
  // campaign batch, a slow SMTP server) keeps it by renewing. A renewal that finds the lease gone
  // (this node stalled past it) is logged: another worker may run the job too (handlers are
  // idempotent; a send finds "sending" and records "uncertain", never sends twice).
  function keepLeased(job: ClaimedJob): NodeJS.Timeout {
    let beating = false;
    const timer = setInterval(() => {
      if (beating) return;
      beating = true;
      queue
        .renew([job.id], workerId, leaseMs)
        .then((held) => {
          if (held === 0) logger.warn({ job: job.name, jobId: job.id }, 'job lease lost while running: another worker may run it');
        })
        .catch((error: unknown) =>
          logger.warn({ jobId: job.id, err: error instanceof Error ? error.message : String(error) }, 'job lease renewal failed'),
        )
        .finally(() => {
          beating = false;
        });
    }, heartbeatMs);
    timer.unref();
    return timer;
  }

  async function schedule() {
    const now = (options.clock ?? systemClock).now();
    for (const s of options.schedules) {
      const slot = Math.floor(now / s.everyMs);
      await queue.scheduleSlot(s.name, slot, {
        payload: s.payload ?? null,
        dedupeKey: `schedule:${s.name}:${slot}`,
        runAt: slot * s.everyMs,
      });
    }
  }

  // Serial groups with a job running on this worker: their jobs are left out of the next claims.
  const busyGroups = new Set<string>();
  const groupOf = (name: string) => handlers.get(name)?.serialGroup;
  const claimable = (list: readonly string[]) => list.filter((name) => !busyGroups.has(groupOf(name) ?? ''));

  /** Runs one claimed job: its handler, then its completion (or its failure), with the lease renewed meanwhile. */
  async function runJob(job: ClaimedJob) {
    const handler = handlers.get(job.name);
    const heartbeat = keepLeased(job);
    try {
      if (!handler) throw new Error(`no handler for job ${job.name}`);
      const payload = handler.payload.parse(JSON.parse(job.payload));
      const run = async () => {
        await handler.run(payload);
        await queue.complete(job.id, workerId);
      };
      await (cpu ? cpu.measure(job.name, run) : run());
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const outcome = await queue.fail(job, workerId, message);
      logger.warn({ job: job.name, jobId: job.id, attempt: job.attempts, outcome, err: message }, 'job failed');
    } finally {
      clearInterval(heartbeat);
      const group = groupOf(job.name);
      if (group) {
        busyGroups.delete(group);
        wake(false); // its next job may be due
      }
    }
  }

  // The slots claim one after another, so this worker takes jobs in order of due time, and a serial
  // group is marked busy before the next claim is built.
  let claiming: Promise<unknown> = Promise.resolve();
  function claimNext(): Promise<ClaimedJob[]> {
    const next = claiming.then(async () => {
      // Urgent jobs first (a reply, a sign-in mail), then everything in order of due time: one statement.
      const jobs = await queue.claim({ workerId, names: claimable(names), urgent: claimable(urgent), limit: 1, leaseMs });
      for (const job of jobs) {
        const group = groupOf(job.name);
        if (group) busyGroups.add(group);
      }
      return jobs;
    });
    claiming = next.catch(() => {});
    return next;
  }

  /** One slot: claims a due job and runs it, again and again, until none is due (or the clock is off). */
  async function drain() {
    while (!stopped && options.mayClaim?.() !== false) {
      await recoverDeadClaims();
      const [job] = await claimNext();
      // Claimed while stopping: still run, as stop() waits for the running jobs.
      if (!job) return;
      wake(false);
      await runJob(job);
    }
  }

  // Idle slots sleep. One of them polls (wakes after pollMs, keeps the recurring jobs scheduled and
  // claims); the others wake when a slot claimed a job (work has come). So an idle worker runs one
  // claim per pollMs whatever its concurrency, and a slot busy with a long job (a slow SMTP server)
  // leaves the polling to another.
  const sleepers = new Map<(timedOut: boolean) => void, boolean>();
  const sleep = () =>
    new Promise<boolean>((resolve) => {
      const polling = ![...sleepers.values()].some(Boolean);
      const timeout = polling ? setTimeout(() => done(true), pollMs) : undefined;
      const done = (timedOut: boolean) => {
        clearTimeout(timeout);
        sleepers.delete(done);
        resolve(timedOut);
      };
      sleepers.set(done, polling);
    });
  const wake = (all: boolean) => {
    for (const [done, polling] of [...sleepers]) if (all || !polling) done(false);
  };

  /** One of `concurrency` slots, each claiming one job at a time (so a crash strands at most that many claims). */
  async function runSlot(first: boolean) {
    let polled = first;
    while (!stopped) {
      try {
        // A clock that is off would schedule slots early too.
        if (polled && options.mayClaim?.() !== false) await schedule();
        await drain();
      } catch (error) {
        logger.error({ err: error instanceof Error ? error.message : String(error) }, 'worker tick failed');
      }
      if (!stopped) polled = await sleep();
    }
  }
  const running = Promise.all(Array.from({ length: concurrency }, (_, i) => runSlot(i === 0)));

  return {
    workerId,
    async stop() {
      stopped = true;
      wake(true);
      await running;
      cpu?.flush();
    },
  };
}
