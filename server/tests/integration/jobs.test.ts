import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createMovableClock } from '../../src/clock.js';
import { openWorkspace, type Workspace } from '../../src/compose.js';
import { holderIdOf, isDeadLocalHolder, localHolderId } from '../../src/jobs/local-holder.js';
import { createQueue } from '../../src/jobs/queue.js';
import { defineJob } from '../../src/jobs/registry.js';
import { startWorker } from '../../src/worker.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { waitFor } from '../support/wait.js';
import { quietLogger } from '../support/workspace.js';

describe.each(engines)('the job queue on %s', (engine) => {
  let database: TestDatabase;
  let ws: Workspace;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    ws = await openWorkspace({ ...database, secretKey: undefined });
  });
  afterAll(async () => {
    await ws?.close();
    await database?.drop();
  });

  const claim = (workerId: string, names = ['t.work'], limit = 10) => ws.queue.claim({ workerId, names, limit, leaseMs: 60_000 });

  it('hands a due job to one worker, and removes it when completed', async () => {
    await ws.queue.enqueue({ name: 't.work', payload: { n: 1 } });
    const [job] = await claim('w1');
    expect(job).toMatchObject({ name: 't.work', attempts: 1 });
    expect(JSON.parse(job?.payload ?? '')).toEqual({ n: 1 });
    expect(await claim('w2')).toEqual([]);
    await ws.queue.complete(job?.id ?? '', 'w1');
    expect(await ws.db.selectFrom('jobs').selectAll().where('name', '=', 't.work').execute()).toEqual([]);
  });

  it('runs a recurring job once per slot, also after the run completed and its row is gone', async () => {
    const names = ['t.recurring'];
    expect(await ws.queue.scheduleSlot('t.recurring', 41, { payload: null })).toBe(true);
    const [job] = await claim('w1', names);
    await ws.queue.complete(job?.id ?? '', 'w1');
    // The same slot again (the worker ticks every half second): nothing new.
    expect(await ws.queue.scheduleSlot('t.recurring', 41, { payload: null })).toBe(false);
    expect(await ws.queue.scheduleSlot('t.recurring', 40, { payload: null })).toBe(false);
    expect(await claim('w1', names)).toEqual([]);
    // The next slot runs again.
    expect(await ws.queue.scheduleSlot('t.recurring', 42, { payload: null })).toBe(true);
    expect(await claim('w1', names)).toHaveLength(1);
  });

  it('does not hand out a job before its time', async () => {
    await ws.queue.enqueue({ name: 't.later', payload: null, runAt: Date.now() + 60_000 });
    expect(await claim('w1', ['t.later'])).toEqual([]);
  });

  it('retries a failed job later with backoff and marks it dead after its last attempt', async () => {
    await ws.queue.enqueue({ name: 't.flaky', payload: null, maxAttempts: 2 });
    const [first] = await claim('w1', ['t.flaky']);
    expect(await ws.queue.fail(first ?? never(), 'w1', 'connection refused')).toBe('retry');
    const row = await ws.db.selectFrom('jobs').selectAll().where('name', '=', 't.flaky').executeTakeFirstOrThrow();
    expect(row.run_at).toBeGreaterThan(Date.now());
    expect(row.last_error).toBe('connection refused');
    await ws.db.updateTable('jobs').set({ run_at: 0 }).where('id', '=', row.id).execute();
    const [second] = await claim('w1', ['t.flaky']);
    expect(second?.attempts).toBe(2);
    expect(await ws.queue.fail(second ?? never(), 'w1', 'still refused')).toBe('dead');
    expect(await claim('w1', ['t.flaky'])).toEqual([]);
    expect((await ws.db.selectFrom('jobs').select('state').where('id', '=', row.id).executeTakeFirstOrThrow()).state).toBe('dead');
  });

  it('hands a job out again when its worker died and the lease ran out', async () => {
    await ws.queue.enqueue({ name: 't.crash', payload: null });
    const [job] = await ws.queue.claim({ workerId: 'dead-worker', names: ['t.crash'], limit: 1, leaseMs: -1 });
    const [again] = await claim('w2', ['t.crash']);
    expect(again?.id).toBe(job?.id);
    expect(again?.attempts).toBe(2);
    // The dead worker cannot complete a job it no longer holds.
    await ws.queue.complete(job?.id ?? '', 'dead-worker');
    expect(
      await ws.db
        .selectFrom('jobs')
        .select('id')
        .where('id', '=', job?.id ?? '')
        .executeTakeFirst(),
    ).toBeDefined();
  });

  it("frees the claims of a killed worker of this host at once, and leaves a live or another host's worker's claims to their lease", async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    const dead = `${holderIdOf(child.pid ?? -1)}:a1b2c3`;
    const live = `${localHolderId()}:d4e5f6`;
    const remote = `other-host:${child.pid}:0123456789ab:1:1:a1b2c3`;
    for (let i = 0; i < 4; i++) await ws.queue.enqueue({ name: 't.orphaned', payload: i });
    const byDead = await ws.queue.claim({ workerId: dead, names: ['t.orphaned'], limit: 2, leaseMs: 300_000 });
    await ws.queue.claim({ workerId: live, names: ['t.orphaned'], limit: 1, leaseMs: 300_000 });
    await ws.queue.claim({ workerId: remote, names: ['t.orphaned'], limit: 1, leaseMs: 300_000 });
    expect(await ws.queue.releaseClaimsOf(isDeadLocalHolder)).toBe(0); // still running
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(await ws.queue.releaseClaimsOf(isDeadLocalHolder)).toBe(2);
    const retaken = await claim('w2', ['t.orphaned']);
    expect(retaken.map((j) => j.id).sort()).toEqual(byDead.map((j) => j.id).sort());
  });

  it('a running worker claims urgent jobs before an earlier backlog, and frees the claim of a worker of this host that dies while it runs', async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    await ws.queue.enqueue({ name: 't.stranded', payload: null });
    const [stranded] = await ws.queue.claim({
      workerId: `${holderIdOf(child.pid ?? -1)}:0a0b0c`,
      names: ['t.stranded'],
      limit: 1,
      leaseMs: 300_000,
    });
    for (let i = 0; i < 20; i++) await ws.queue.enqueue({ name: 't.backlog', payload: i, runAt: Date.now() - 60_000 });
    await ws.queue.enqueue({ name: 't.urgent', payload: null });
    const ran: string[] = [];
    const job = (name: string, urgent = false) => defineJob({ name, payload: z.unknown(), urgent, run: async () => void ran.push(name) });
    const worker = startWorker({
      queue: ws.queue,
      handlers: [job('t.backlog'), job('t.urgent', true), job('t.stranded')],
      schedules: [],
      logger: quietLogger,
      pollMs: 20,
      recoverEveryMs: 50,
    });
    try {
      await waitFor(async () => (ran.length === 21 ? true : undefined), 'the backlog and the urgent job to run');
      expect(ran[0]).toBe('t.urgent');
      expect(ran).not.toContain('t.stranded'); // its worker is alive: its claim holds
      child.kill('SIGKILL');
      await once(child, 'exit');
      // Freed by the running worker (it started before the death), not after the 5-minute lease.
      await waitFor(async () => (ran.includes('t.stranded') ? true : undefined), "the dead worker's job to run", 5_000);
      expect(
        await ws.db
          .selectFrom('jobs')
          .select('id')
          .where('id', '=', stranded?.id ?? '')
          .execute(),
      ).toEqual([]);
    } finally {
      await worker.stop();
    }
  });

  it("hands a job out again 30 s after a worker's last renewal, never while it renews", async () => {
    const clock = createMovableClock();
    const queue = createQueue(ws.db, engine, clock);
    await queue.enqueue({ name: 't.leased', payload: null });
    const take = (workerId: string) => queue.claim({ workerId, names: ['t.leased'], limit: 1, leaseMs: 30_000 });
    const [job] = await take('remote-a');
    // The holder renews every 10 s: 10 × 25 s later the job is still its own.
    for (let i = 0; i < 10; i++) {
      clock.advance(25_000);
      expect(await queue.renew([job?.id ?? never()], 'remote-a', 30_000)).toBe(1);
      expect(await take('remote-b')).toEqual([]);
    }
    // It dies (another host: nobody sees it, only the renewals stop). 29 s later the job waits on…
    clock.advance(29_000);
    expect(await take('remote-b')).toEqual([]);
    // …and 2 s later another worker takes it; the dead holder's late renewal finds it lost.
    clock.advance(2_000);
    const [again] = await take('remote-b');
    expect(again).toMatchObject({ id: job?.id, attempts: 2 });
    expect(await queue.renew([job?.id ?? never()], 'remote-a', 30_000)).toBe(0);
    await queue.complete(again?.id ?? never(), 'remote-b');
  });

  it('renews the lease of a job while it runs, and claims urgent jobs first in one statement', async () => {
    const clock = createMovableClock();
    const queue = createQueue(ws.db, engine, clock);
    for (let i = 0; i < 5; i++) await queue.enqueue({ name: 't.slow-backlog', payload: i, runAt: Date.now() - 60_000 });
    await queue.enqueue({ name: 't.slow-urgent', payload: null });
    const ran: string[] = [];
    let finish: () => void = () => {};
    const worker = startWorker({
      queue,
      handlers: [
        defineJob({ name: 't.slow-backlog', payload: z.unknown(), run: async () => void ran.push('backlog') }),
        defineJob({
          name: 't.slow-urgent',
          payload: z.unknown(),
          urgent: true,
          run: () =>
            new Promise<void>((resolve) => {
              ran.push('urgent');
              finish = resolve;
            }),
        }),
      ],
      schedules: [],
      logger: quietLogger,
      clock,
      pollMs: 20,
      leaseMs: 30_000,
      heartbeatMs: 50,
    });
    const lease = async () =>
      (await ws.db.selectFrom('jobs').select('locked_until').where('name', '=', 't.slow-urgent').executeTakeFirst())?.locked_until;
    try {
      await waitFor(async () => (ran.length > 0 ? true : undefined), 'the first job to start');
      expect(ran).toEqual(['urgent']);
      // The job runs for three leases of the moved clock; each time its heartbeat renews the lease.
      for (let i = 0; i < 3; i++) {
        const moved = clock.advance(25_000);
        await waitFor(async () => (Number(await lease()) >= moved + 30_000 ? true : undefined), 'a renewed lease');
        expect(await queue.claim({ workerId: 'other', names: ['t.slow-urgent'], limit: 1, leaseMs: 30_000 })).toEqual([]);
      }
      finish();
      await waitFor(async () => (ran.length === 6 ? true : undefined), 'the backlog to run');
      expect(await lease()).toBeUndefined(); // completed: the row is gone
    } finally {
      finish();
      await worker.stop();
    }
  });

  it('keeps one queued job per dedupe key', async () => {
    const a = await ws.queue.enqueue({ name: 't.dedupe', payload: null, dedupeKey: 'k1' });
    const b = await ws.queue.enqueue({ name: 't.dedupe', payload: null, dedupeKey: 'k1' });
    expect([a.created, b.created]).toEqual([true, false]);
    expect(await ws.db.selectFrom('jobs').select('id').where('name', '=', 't.dedupe').execute()).toHaveLength(1);
  });

  it('never gives the same job to two workers claiming at the same time', async () => {
    const total = 60;
    for (let i = 0; i < total; i++) await ws.queue.enqueue({ name: 't.race', payload: i });
    const claimed = await Promise.all(Array.from({ length: 6 }, (_, w) => claim(`racer-${w}`, ['t.race'], 15)));
    const jobIds = claimed.flat().map((j) => j.id);
    expect(new Set(jobIds).size).toBe(jobIds.length);
    expect(jobIds.length).toBe(total);
  });
});

function never(): never {
  throw new Error('expected a claimed job');
}
