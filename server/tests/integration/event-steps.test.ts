import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMovableClock } from '../../src/clock.js';
import { openWorkspace, type Workspace } from '../../src/compose.js';
import { createQueue } from '../../src/jobs/queue.js';
import type { AnyJobHandler } from '../../src/jobs/registry.js';
import { defineSubscriber, eventJobHandlers, type MessageReceivedEvent, publishEvent } from '../../src/modules/events/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';

/** Decision 0073: an event's job runs its subscribers as steps; a failing step retries as its own job. */
describe.each(engines)("an event's subscribers as steps of its job on %s", (engine) => {
  let database: TestDatabase;
  let ws: Workspace;
  const clock = createMovableClock();
  let queue: ReturnType<typeof createQueue>;
  const ran: string[] = [];
  let failures = 0;
  /** The flaky step fails until the test clears this. */
  let flaky = true;
  let handlers: Map<string, AnyJobHandler>;

  const event = (messageId: string): MessageReceivedEvent => ({
    messageId,
    conversationId: `c-${messageId}`,
    mailboxId: 'm1',
    direction: 'in',
    source: 'smtp',
    receivedAt: 1,
  });
  const step = (name: string, options: { fails?: () => boolean; serialGroup?: string } = {}) =>
    defineSubscriber({
      name,
      event: 'message.received',
      key: (e) => e.messageId,
      ...(options.serialGroup ? { serialGroup: options.serialGroup } : {}),
      run: async (e) => {
        ran.push(`${name}:${e.messageId}`);
        if (options.fails?.()) {
          failures += 1;
          throw new Error(`${name} cannot yet`);
        }
      },
    });

  /** Claims the due jobs of `names` and runs each as the worker does (handler, then completion or failure). */
  const runDue = async (names: string[]) => {
    for (const job of await queue.claim({ workerId: 'w', names, limit: 10, leaseMs: 60_000 })) {
      const handler = handlers.get(job.name);
      if (!handler) throw new Error(`no handler for ${job.name}`);
      try {
        await handler.run(handler.payload.parse(JSON.parse(job.payload)));
        await queue.complete(job.id, 'w');
      } catch (error) {
        await queue.fail(job, 'w', String(error));
      }
    }
  };
  const jobsNamed = (name: string) => ws.db.selectFrom('jobs').selectAll().where('name', '=', name).execute();

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    ws = await openWorkspace({ ...database, secretKey: undefined });
    queue = createQueue(ws.db, ws.engine, clock);
    const subscribers = [
      step('t.first'),
      step('t.flaky', { fails: () => flaky }),
      step('t.serial', { serialGroup: 't.group' }),
      step('t.last'),
    ];
    handlers = new Map(eventJobHandlers(ws.db, subscribers, { now: () => clock.now() }).map((h) => [h.name, h]));
  });
  afterAll(async () => {
    await ws?.close();
    await database?.drop();
  });

  it('runs the steps in order in one job, queues the serial group its own job, and retries a failed step alone with its attempt counted', async () => {
    await publishEvent(ws.db, 'message.received', event('a'));
    await runDue(['event:message.received']);
    // One job ran every step but the serial one, in the order given; the failing one did not stop the next.
    expect(ran).toEqual(['t.first:a', 't.flaky:a', 't.last:a']);
    expect(await jobsNamed('event:message.received')).toEqual([]);
    expect(await jobsNamed('t.first')).toEqual([]);
    expect(await jobsNamed('t.last')).toEqual([]);
    // The serial subscriber is its own job, due now.
    const [serial] = await jobsNamed('t.serial');
    expect(serial).toMatchObject({ dedupe_key: 't.serial:a', attempts: 0, last_error: null });
    // The failed step: its own job, first attempt counted, the error kept, due after the first backoff.
    const [retry] = await jobsNamed('t.flaky');
    expect(retry).toMatchObject({
      state: 'queued',
      attempts: 1,
      max_attempts: 8,
      dedupe_key: 't.flaky:a',
      last_error: 't.flaky cannot yet',
    });
    expect(Number(retry?.run_at)).toBeGreaterThan(clock.now());
    expect(Number(retry?.run_at)).toBeLessThanOrEqual(clock.now() + 1000);

    await runDue(['t.flaky', 't.serial']);
    expect(ran.slice(3)).toEqual(['t.serial:a']); // the retry is not due yet
    clock.advance(1000);
    await runDue(['t.flaky']);
    // It failed again: the second attempt, backing off 2 s now, as a job failing on its own would.
    const [again] = await jobsNamed('t.flaky');
    expect(again).toMatchObject({ attempts: 2, state: 'queued' });
    expect(Number(again?.run_at)).toBeGreaterThan(clock.now() + 1000);
    flaky = false;
    clock.advance(2000);
    await runDue(['t.flaky']);
    expect(await jobsNamed('t.flaky')).toEqual([]);
    expect(ran.filter((r) => r === 't.flaky:a')).toHaveLength(3);
    expect(failures).toBe(2);
  });

  it('runs every step again when its job runs again (a worker killed mid-job), and queues the serial job once', async () => {
    ran.length = 0;
    await publishEvent(ws.db, 'message.received', event('b'));
    const [job] = await queue.claim({ workerId: 'dead', names: ['event:message.received'], limit: 1, leaseMs: 1_000 });
    const handler = handlers.get('event:message.received');
    // The killed worker ran its steps but never completed the job.
    await handler?.run(handler.payload.parse(JSON.parse(job?.payload ?? '')));
    clock.advance(1_001);
    await runDue(['event:message.received']);
    expect(ran).toEqual(['t.first:b', 't.flaky:b', 't.last:b', 't.first:b', 't.flaky:b', 't.last:b']);
    expect(await jobsNamed('event:message.received')).toEqual([]);
    expect((await jobsNamed('t.serial')).map((j) => j.dedupe_key)).toEqual(['t.serial:b']);
  });
});
