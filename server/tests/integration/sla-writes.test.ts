import type { KyselyPlugin, RootOperationNode } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MovableClock } from '../../src/clock.js';
import type { Workspace } from '../../src/compose.js';
import { dataVersionOf } from '../../src/db/database.js';
import { ingestMail } from '../../src/modules/conversations/index.js';
import { createMailbox } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import {
  deliverSlaNotification,
  evaluateConversationSla,
  runSlaEvaluation,
  SLA_NOTIFY_JOB,
  sendDueSlaAlerts,
} from '../../src/modules/sla/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { waitFor } from '../support/wait.js';
import { openTestWorkspace } from '../support/workspace.js';

/**
 * The SLA clock's writes and the list cache (decision record 0014): every write moves the data
 * version and empties every node's cached lists, so the SLA evaluation writes only what changed and
 * commits a batch of conversations together.
 */
describe.each(engines)('SLA evaluation writes on %s', (engine) => {
  let database: TestDatabase;
  let ws: Workspace & { clock: MovableClock };
  const conversations: string[] = [];
  const inserts = { count: 0 };
  const countInserts: KyselyPlugin = {
    transformQuery(args) {
      if ((args.node as RootOperationNode).kind === 'InsertQueryNode') inserts.count++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  const deps = () => ({ db: ws.db, now: () => ws.clock.now(), teamLeadsOf: async () => [] });

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    ws = await openTestWorkspace(database);
    const sales = (await createMailbox(ws.db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' })).id;
    for (let i = 0; i < 60; i++) {
      const stored = await ingestMail(
        {
          db: ws.db,
          blobs: ws.blobs,
          ctx: {
            engine: ws.engine,
            ownAddresses: new Set(['sales@acme.test']),
            messageIds: ws.messageIds,
            recordReopened: ws.recordReopened,
            teamActivity: ws.teamActivity,
          },
        },
        {
          raw: Buffer.from(
            `Message-ID: <sla-${i}@c.test>\r\nFrom: c${i}@c.test\r\nTo: sales@acme.test\r\nSubject: Question ${i}\r\n\r\nHello\r\n`,
          ),
          mailboxIds: [sales],
          source: 'smtp',
        },
      );
      conversations.push(stored.conversationId);
    }
  });
  afterAll(async () => {
    await ws?.close();
    await database?.drop();
  });

  it('a backlog of 60 changed conversations is evaluated in a few commits, each row written once', async () => {
    const version = dataVersionOf(ws.db);
    const localWrites = () => {
      const v = version?.();
      // PostgreSQL: epoch.local.remote — `local` counts this process's commits that wrote.
      return v === undefined ? undefined : Number(v.split('.')[1]);
    };
    const before = engine === 'postgres' ? await waitFor(async () => localWrites(), 'the LISTEN connection') : undefined;
    const result = await runSlaEvaluation(deps());
    expect(result.evaluated).toBe(60);
    const rows = await ws.db.selectFrom('conversation_sla').select(['conversation_id', 'due_at']).execute();
    expect(rows.map((r) => r.conversation_id).sort()).toEqual([...conversations].sort());
    expect(rows.every((r) => r.due_at !== null)).toBe(true);
    // 60 conversations in commits of 25 (3), the cursor (1): not 61 moves, one per conversation.
    if (before !== undefined) expect((localWrites() ?? 0) - before).toBeLessThanOrEqual(4);
  });

  it('60 breaches found at once are marked in a few commits, each once', async () => {
    const version = dataVersionOf(ws.db);
    const localWrites = () => Number(version?.()?.split('.')[1]);
    const before = localWrites();
    // A month later every clock is past due (and stale: recorded without notifications).
    ws.clock.advance(30 * 24 * 3_600_000);
    const result = await sendDueSlaAlerts(ws.db, ws.clock.now(), async () => []);
    expect(result).toEqual({ warned: 0, breached: 60 });
    const marked = await ws.db.selectFrom('conversation_sla').select('breached_at').where('breached_at', 'is not', null).execute();
    expect(marked).toHaveLength(60);
    // 60 rows in commits of 25: 3 moves, not 60.
    if (engine === 'postgres') expect(localWrites() - before).toBeLessThanOrEqual(3);
    expect(await sendDueSlaAlerts(ws.db, ws.clock.now(), async () => [])).toEqual({ warned: 0, breached: 0 });
  });

  it('an evaluation that changes nothing writes nothing', async () => {
    const counted = ws.db.withPlugin(countInserts);
    const id = conversations[0] as string;
    const before = await ws.db.selectFrom('conversation_sla').selectAll().where('conversation_id', '=', id).executeTakeFirstOrThrow();
    ws.clock.advance(5 * 60_000);
    inserts.count = 0;
    expect(await evaluateConversationSla(counted, id, ws.clock.now())).toBe(false);
    expect(inserts.count).toBe(0);
    const after = await ws.db.selectFrom('conversation_sla').selectAll().where('conversation_id', '=', id).executeTakeFirstOrThrow();
    expect(after).toEqual(before);

    // A change (the conversation waits on the customer: the clock pauses) is written.
    await ws.db.updateTable('conversations').set({ status: 'pending' }).where('id', '=', id).execute();
    const at = ws.clock.now();
    expect(await evaluateConversationSla(counted, id, at)).toBe(true);
    expect(inserts.count).toBe(1);
    const paused = await ws.db.selectFrom('conversation_sla').selectAll().where('conversation_id', '=', id).executeTakeFirstOrThrow();
    expect(paused.running_since).toBeNull();
    expect(Number(paused.updated_at)).toBe(at);
  });

  // Decision 0074: the notifications are written after the marking transaction (they held it 1–2 s
  // under load), from a job queued in it, so a crash after the commit loses none and a rerun adds none.
  it('marks a breach and queues its notifications in one commit, and writes them once afterwards', async () => {
    const agent = await createAccount(ws.db, { email: 'li@acme.test', name: 'Li', password: 'a long enough password', role: 'agent' });
    const id = conversations[1] as string;
    await ws.db.updateTable('conversations').set({ assignee_id: agent.id }).where('id', '=', id).execute();
    await ws.db
      .updateTable('conversation_sla')
      .set({ breached_at: null, due_at: ws.clock.now() - 60_000 })
      .where('conversation_id', '=', id)
      .execute();
    expect(await sendDueSlaAlerts(ws.db, ws.clock.now(), async () => [])).toEqual({ warned: 0, breached: 1 });
    const mine = () => ws.db.selectFrom('notifications').select(['kind', 'data']).where('user_id', '=', agent.id).execute();
    expect(await mine()).toEqual([]);
    const jobs = await ws.db.selectFrom('jobs').select('payload').where('name', '=', SLA_NOTIFY_JOB).execute();
    expect(jobs).toHaveLength(1);
    const payload = JSON.parse(jobs[0]?.payload ?? '{}');
    expect(payload).toMatchObject({ userIds: [agent.id], kind: 'sla_breached', data: { conversationId: id } });
    // Run twice, as after a crash between the job's commit and its completion.
    expect(await deliverSlaNotification(ws.db, payload)).toBe(1);
    expect(await deliverSlaNotification(ws.db, payload)).toBe(0);
    const written = await mine();
    expect(written.map((n) => [n.kind, JSON.parse(n.data).conversationId])).toEqual([['sla_breached', id]]);
  });
});
