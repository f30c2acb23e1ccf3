// A node whose clock runs ahead of the others by more than a lease takes their running jobs and
// mailboxes (decision 0056 assumed NTP). Decision 0074: each node compares its clock with
// PostgreSQL's; off by more than 5 s, it claims no jobs, takes no IMAP leases and says so in health.
// On PostgreSQL node B is a second workspace (its own connections) with a clock the test moves.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startClockSkewGuard } from '../../src/clock-skew.js';
import { openWorkspace, type Workspace } from '../../src/compose.js';
import { createHealthProbe } from '../../src/health.js';
import { createQueue } from '../../src/jobs/queue.js';
import { defineJob } from '../../src/jobs/registry.js';
import { acquireLease, startSyncSupervisor } from '../../src/modules/sync/index.js';
import { startWorker } from '../../src/worker.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { waitFor } from '../support/wait.js';
import { addTestImapMailbox, quietLogger } from '../support/workspace.js';

describe.each(engines)('a node whose clock is off on %s', (engine) => {
  let database: TestDatabase;
  let nodeA: Workspace;
  let nodeB: Workspace;
  // Node B's clock: moved forward and back again (a clock NTP corrects), so not createMovableClock.
  let offset = 0;
  const clockB = { now: () => Date.now() + offset };
  const logged: { level: number; msg: string; detail?: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line)) });

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    nodeA = await openWorkspace({ ...database, secretKey: undefined });
    nodeB = engine === 'postgres' ? await openWorkspace({ ...database, secretKey: undefined }) : nodeA;
  });
  afterAll(async () => {
    if (nodeB !== nodeA) await nodeB?.close();
    await nodeA?.close();
    await database?.drop();
  });

  it('claims no jobs and takes no mailboxes while its clock runs a lease ahead, says so in health, and resumes when it agrees', async () => {
    const guard = await startClockSkewGuard({ database: nodeB.database, clock: clockB, logger, everyMs: 600_000 });
    try {
      expect(guard.status().ok).toBe(true);
      offset = 40_000; // past the 30-s job lease and the 20-s IMAP lease of node A's claims
      const checked = await guard.check();
      if (engine === 'sqlite') {
        // One process, one clock: nothing to compare.
        expect(checked).toEqual({ ok: true, skewMs: null });
        return;
      }
      expect(checked.ok).toBe(false);
      expect(checked.skewMs).toBeGreaterThan(35_000);

      // Node A runs a job (its lease: 30 s by A's clock) and holds a mailbox (20 s).
      await nodeA.queue.enqueue({ name: 'skew.work', payload: 'running on A' });
      const [running] = await nodeA.queue.claim({ workerId: 'node-a', names: ['skew.work'], limit: 1, leaseMs: 30_000 });
      await nodeA.queue.enqueue({ name: 'skew.work', payload: 'new' });
      const mailbox = await addTestImapMailbox(nodeA, 'skew@acme.test');
      expect(await acquireLease(nodeA.db, `imap:${mailbox.id}`, 'node-a', 20_000)).toBe(true);

      const ran: unknown[] = [];
      let asked = 0;
      const mayClaim = () => {
        asked++;
        return guard.ok();
      };
      const guarded = startWorker({
        queue: createQueue(nodeB.db, nodeB.engine, clockB),
        handlers: [defineJob({ name: 'skew.work', payload: z.string(), run: async (p) => void ran.push(p) })],
        schedules: [],
        logger: quietLogger,
        pollMs: 10,
        mayClaim,
      });
      const supervisor = startSyncSupervisor({
        ...nodeB,
        logger: quietLogger,
        workerId: 'node-b',
        clock: clockB,
        scanMs: 10,
        mayTakeLeases: mayClaim,
      });
      try {
        await waitFor(async () => (asked >= 20 ? true : undefined), 'node B to poll and scan a few times');
        expect(ran).toEqual([]);
        const job = await nodeA.db
          .selectFrom('jobs')
          .select('locked_by')
          .where('id', '=', running?.id ?? '')
          .executeTakeFirst();
        expect(job?.locked_by).toBe('node-a');
        const lease = await nodeA.db.selectFrom('leases').select('holder').where('name', '=', `imap:${mailbox.id}`).executeTakeFirst();
        expect(lease?.holder).toBe('node-a');

        // Health: degraded, the clock named, its detail only in the log (the endpoint answers anyone).
        const health = await createHealthProbe({ database: nodeB.database, blobs: nodeB.blobs, smtp: undefined, clock: guard, logger })();
        expect(health.status).toBe('degraded');
        expect(health.checks.clock).toEqual({ ok: false });
        expect(JSON.stringify(health)).not.toContain('PostgreSQL');
        expect(logged.map((l) => [l.level, l.msg])).toContainEqual([40, 'clock skew: this node stops claiming jobs and IMAP leases']);
        expect(logged.find((l) => l.msg === 'health check failed: clock')?.detail).toMatch(/ms ahead of PostgreSQL's/);

        // NTP corrects the clock: the next check lets node B claim again.
        offset = 0;
        expect((await guard.check()).ok).toBe(true);
        await waitFor(async () => (ran.includes('new') ? true : undefined), 'node B to run the new job');
        expect(ran).not.toContain('running on A');
      } finally {
        await supervisor.stop();
        await guarded.stop();
      }
    } finally {
      guard.stop();
    }
  });
});
