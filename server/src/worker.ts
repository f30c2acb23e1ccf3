import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { type Clock, systemClock } from './clock.js';
import { jobCpuRecorder } from './jobs/job-cpu.js';
import { isDeadLocalHolder, localHolderId } from './jobs/local-holder.js';
import type { ClaimedJob, Queue } from './jobs/queue.js';
import type { AnyJobHandler } from './jobs/registry.js';

/**
 * A job claim lasts 30 s and is renewed every 10 s while the job runs (decision 0056): another node
 * runs a dead node's jobs 30–40 s after its last heartbeat, not after the 5 minutes a fixed lease needed.
 */
export const DEFAULT_JOB_LEASE_MS = 30_000;

export type Schedule = { name: string; everyMs: number; payload?: unknown };

/**
 * The job loop: claims due jobs one at a time (a claimed job is a started job, so a crash
 * strands no others behind its lease), runs their handlers, and keeps recurring jobs
 * scheduled (one queued instance each, via the dedupe key, whatever the node count).
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
  /** How long a claim holds without a heartbeat: another node runs a dead node's job after this. */
  leaseMs?: number;
  /** How often a running job's lease is renewed (default a third of the lease, so two missed beats are survived). */
  heartbeatMs?: number;
  /** How often a running worker looks for claims of dead workers of this host. */
  recoverEveryMs?: number;
}) {
  const { queue, logger } = options;
  const workerId = `${localHolderId()}:${randomBytes(3).toString('hex')}`;
  const handlers = new Map(options.handlers.map((h) => [h.name, h]));
  const names = [...handlers.keys()];
  const urgent = options.handlers.filter((h) => h.urgent).map((h) => h.name);
  const pollMs = options.pollMs ?? 500;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
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

  async function tick() {
    await schedule();
    for (;;) {
      await recoverDeadClaims();
      // Urgent jobs first (a reply, a sign-in mail), then everything in order of due time: one statement.
      const jobs = await queue.claim({ workerId, names, urgent, limit: 1, leaseMs });
      if (jobs.length === 0 || stopped) return;
      for (const job of jobs) {
        const handler = handlers.get(job.name);
        const heartbeat = keepLeased(job);
        const measured = cpu?.start();
        try {
          if (!handler) throw new Error(`no handler for job ${job.name}`);
          await handler.run(handler.payload.parse(JSON.parse(job.payload)));
          await queue.complete(job.id, workerId);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          const outcome = await queue.fail(job, workerId, message);
          logger.warn({ job: job.name, jobId: job.id, attempt: job.attempts, outcome, err: message }, 'job failed');
        } finally {
          clearInterval(heartbeat);
          measured?.(job.name);
        }
      }
    }
  }

  function loop() {
    if (stopped) return;
    running = tick()
      .catch((error: unknown) => logger.error({ err: error instanceof Error ? error.message : String(error) }, 'worker tick failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, pollMs);
      });
  }
  loop();

  return {
    workerId,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      cpu?.flush();
    },
  };
}
