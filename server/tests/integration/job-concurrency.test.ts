import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createMovableClock } from '../../src/clock.js';
import { createQueue } from '../../src/jobs/queue.js';
import { defineJob } from '../../src/jobs/registry.js';
import { startWorker } from '../../src/worker.js';
import { engines } from '../support/databases.js';
import { waitFor } from '../support/wait.js';
import { quietLogger, useTestWorkspace } from '../support/workspace.js';

/** A promise the test settles when it chooses: a job that runs until it is told to end. */
function gate() {
  let open: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { closed, open };
}

// Decision 0070: a worker running several jobs at once (PIER_JOB_CONCURRENCY).
describe.each(engines)('a worker running several jobs at once on %s', (engine) => {
  const workspace = useTestWorkspace(engine);

  const rows = (name: string) =>
    workspace().db.selectFrom('jobs').select(['id', 'locked_by', 'locked_until']).where('name', '=', name).execute();

  it('runs the other jobs while slow ones hold their slots, renews every running lease, and a stop waits for the running jobs', async () => {
    const clock = createMovableClock();
    const queue = createQueue(workspace().db, engine, clock);
    const slow = gate();
    for (let i = 0; i < 2; i++) await queue.enqueue({ name: 't.c-slow', payload: i, runAt: clock.now() - 60_000 });
    for (let i = 0; i < 6; i++) await queue.enqueue({ name: 't.c-quick', payload: i });
    const runs: string[] = [];
    let running = 0;
    let most = 0;
    const worker = startWorker({
      queue,
      handlers: [
        defineJob({
          name: 't.c-slow',
          payload: z.number(),
          run: async (i) => {
            runs.push(`slow ${i}`);
            running++;
            most = Math.max(most, running);
            await slow.closed;
            running--;
          },
        }),
        defineJob({ name: 't.c-quick', payload: z.number(), run: async (i) => void runs.push(`quick ${i}`) }),
      ],
      schedules: [],
      logger: quietLogger,
      clock,
      concurrency: 3,
      pollMs: 20,
      leaseMs: 30_000,
      heartbeatMs: 50,
    });
    let stopped = false;
    try {
      // Both slow jobs started (they were due first), and the third slot ran every quick job meanwhile.
      await waitFor(async () => (runs.filter((r) => r.startsWith('quick')).length === 6 ? true : undefined), 'the quick jobs');
      expect(runs.slice(0, 2).sort()).toEqual(['slow 0', 'slow 1']);
      expect(most).toBe(2);
      expect(await rows('t.c-quick')).toEqual([]);
      const held = await rows('t.c-slow');
      expect(held.map((r) => r.locked_by)).toEqual([worker.workerId, worker.workerId]);
      // The moved clock passes the lease twice: each running job's heartbeat renews it, nobody else takes them.
      for (let i = 0; i < 2; i++) {
        const moved = clock.advance(25_000);
        await waitFor(
          async () => ((await rows('t.c-slow')).every((r) => Number(r.locked_until) >= moved + 30_000) ? true : undefined),
          'both leases renewed',
        );
        expect(await queue.claim({ workerId: 'other', names: ['t.c-slow'], limit: 2, leaseMs: 30_000 })).toEqual([]);
      }
      // A stop waits for the running jobs, and they complete.
      await queue.enqueue({ name: 't.c-quick', payload: 99, runAt: clock.now() + 3_600_000 });
      const stopping = worker.stop().then(() => {
        stopped = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(stopped).toBe(false);
      slow.open();
      await stopping;
      expect(await rows('t.c-slow')).toEqual([]);
      // Each job ran once.
      expect(runs.length).toBe(8);
      expect(new Set(runs).size).toBe(8);
    } finally {
      slow.open();
      await worker.stop();
      await workspace().db.deleteFrom('jobs').where('name', 'like', 't.c-%').execute();
    }
  });

  it('runs the jobs of a serial group one at a time in order of due time, claiming none while one runs, and other jobs beside them', async () => {
    const clock = createMovableClock();
    const queue = createQueue(workspace().db, engine, clock);
    const start = clock.now() - 60_000;
    for (let i = 0; i < 5; i++) await queue.enqueue({ name: 't.c-keyed', payload: i, runAt: start + i });
    for (let i = 0; i < 5; i++) await queue.enqueue({ name: 't.c-free', payload: i, runAt: start + i });
    const keyedRuns: number[] = [];
    let keyedRunning = 0;
    let keyedMost = 0;
    let freeBesideKeyed = 0;
    let claimedBehind = 0;
    // A few turns of the event loop, as a handler awaiting its statements takes.
    const turns = async () => {
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    };
    const worker = startWorker({
      queue,
      handlers: [
        defineJob({
          name: 't.c-keyed',
          payload: z.number(),
          serialGroup: 'one-group',
          run: async (i) => {
            keyedRunning++;
            keyedMost = Math.max(keyedMost, keyedRunning);
            claimedBehind = Math.max(claimedBehind, (await rows('t.c-keyed')).filter((r) => r.locked_by !== null).length - 1);
            // The first holds its group until another slot ran a free job; the group's others stay unclaimed.
            for (let waited = 0; i === 0 && freeBesideKeyed === 0 && waited < 400; waited++) {
              await new Promise((resolve) => setTimeout(resolve, 5));
            }
            await turns();
            keyedRuns.push(i);
            keyedRunning--;
          },
        }),
        defineJob({
          name: 't.c-free',
          payload: z.number(),
          run: async () => {
            if (keyedRunning > 0) freeBesideKeyed++;
            await turns();
          },
        }),
      ],
      schedules: [],
      logger: quietLogger,
      clock,
      concurrency: 4,
      pollMs: 20,
    });
    try {
      await waitFor(async () => ((await rows('t.c-keyed')).length + (await rows('t.c-free')).length === 0 ? true : undefined), 'all jobs');
      expect(keyedRuns).toEqual([0, 1, 2, 3, 4]);
      expect(keyedMost).toBe(1);
      expect(claimedBehind).toBe(0);
      expect(freeBesideKeyed).toBeGreaterThan(0);
    } finally {
      await worker.stop();
    }
  });
});
