// Exactly once across a crash: the Pier process is killed at the worst moment,
// after Postfix accepted the mail and before Pier heard it. Needs the built
// server (`node scripts/build.mjs`) and the test bench.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../src/compose.js';
import { ingestMail } from '../../src/modules/conversations/index.js';
import { loadOwnAddresses } from '../../src/modules/mailboxes/index.js';
import { queueSend } from '../../src/modules/outbox/index.js';
import { saveSendPreferences } from '../../src/modules/outbox/settings.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { emptyMailboxes, rawMail } from '../support/mail-server.js';
import { createAgent, findMail, mailDeliveredSoFar, startSubmissionProxy, waitForMail } from '../support/outbox.js';
import { type PierProcess, startPierProcess } from '../support/pier-process.js';
import { waitFor } from '../support/wait.js';
import { addTestImapMailbox, openTestWorkspace } from '../support/workspace.js';

const customer = 'buyer@customer.test';

describe.each(engines)('exactly once across a crash on %s', (engine) => {
  let database: TestDatabase;
  let pier: PierProcess | undefined;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    await emptyMailboxes(customer);
  });

  afterAll(async () => {
    await pier?.stop('SIGKILL');
    await database?.drop();
  });

  it('a send killed between the server accepting it and Pier recording it is never sent again: after a restart it is uncertain within seconds, and the other queued sends go out at once', async () => {
    const tag = `${engine} ${Date.now().toString(36)}`;
    const subjects = ['Crash', 'Other A', 'Other B', 'Other C'].map((s) => `${s} ${tag}`);
    const proxy = await startSubmissionProxy(() => {
      if (proxy.accepted() > 1) return 'forward';
      // Postfix has the first mail; the process dies before it can write "sent".
      pier?.process.kill('SIGKILL');
      return 'swallow';
    });
    let ws: Workspace = await openTestWorkspace(database);
    const outboxIds: string[] = [];
    try {
      const sales = await addTestImapMailbox(ws, 'sales@acme.test');
      await ws.db.updateTable('mailboxes').set({ smtp_port: proxy.port }).where('id', '=', sales.id).execute();
      const { actor } = await createAgent(ws, sales, 'li.wei@acme.test', 'Li Wei');
      await saveSendPreferences(ws.db, actor.user.id, { undoSeconds: 5, title: '' });
      const ctx = {
        engine: ws.engine,
        ownAddresses: await loadOwnAddresses(ws.db),
        messageIds: ws.messageIds,
        recordReopened: ws.recordReopened,
        teamActivity: ws.teamActivity,
      };
      for (const subject of subjects) {
        const thread = await ingestMail(
          { db: ws.db, blobs: ws.blobs, ctx },
          { raw: Buffer.from(rawMail({ subject })), mailboxIds: [sales.id], source: 'import' },
        );
        const item = await queueSend(
          {
            db: ws.db,
            engine: ws.engine,
            blobs: ws.blobs,
            messageIds: ws.messageIds,
            recordReopened: ws.recordReopened,
            teamActivity: ws.teamActivity,
          },
          actor,
          {
            mailboxId: sales.id,
            mode: 'reply',
            conversationId: thread.conversationId,
            to: [customer],
            cc: [],
            bcc: [],
            subject: `Re: ${subject}`,
            html: '<p>Confirmed, shipping Monday.</p>',
            uploadIds: [],
            force: false,
          },
        );
        outboxIds.push(item.id);
      }
      // The undo window is over by the time the server starts; the crash send is the first due.
      await ws.db
        .updateTable('outbox_messages')
        .set({ send_after: Date.now() - 1 })
        .execute();
      await ws.db
        .updateTable('jobs')
        .set({ run_at: Date.now() - 1000 })
        .where('name', '=', 'outbox.send')
        .execute();
      await ws.db
        .updateTable('jobs')
        .set({ run_at: Date.now() - 60_000 })
        .where('name', '=', 'outbox.send')
        .where('payload', 'like', `%${outboxIds[0]}%`)
        .execute();
    } finally {
      await ws.close();
    }
    const [crashId = '', ...otherIds] = outboxIds;
    const states = (handle: Workspace) =>
      handle.db.selectFrom('outbox_messages').select(['id', 'state', 'error_code', 'attempts']).where('id', 'in', outboxIds).execute();

    try {
      pier = await startPierProcess(database);
      const killed = pier;
      await waitFor(async () => killed.process.signalCode ?? undefined, 'the kill to land');
      expect(pier.process.signalCode).toBe('SIGKILL');
      expect(proxy.accepted()).toBe(1);
      expect(await waitForMail(customer, 'INBOX', subjects[0] ?? '')).toHaveLength(1);

      ws = await openTestWorkspace(database);
      try {
        const before = new Map((await states(ws)).map((r) => [r.id, r.state]));
        expect(before.get(crashId)).toBe('sending');
        // Claimed one at a time: the dead worker held only the job it was running.
        expect(otherIds.map((id) => before.get(id))).toEqual(['scheduled', 'scheduled', 'scheduled']);
        const held = await ws.db
          .selectFrom('jobs')
          .select('payload')
          .where('name', '=', 'outbox.send')
          .where('locked_by', 'is not', null)
          .execute();
        expect(held.map((j) => j.payload)).toEqual([JSON.stringify({ outboxId: crashId })]);
      } finally {
        await ws.close();
      }

      // No waiting for the 5-minute job lease: the restarted worker sees its predecessor is dead.
      pier = await startPierProcess(database);
      const restarted = Date.now();
      ws = await openTestWorkspace(database);
      try {
        const crash = await waitFor(async () => {
          const row = (await states(ws)).find((r) => r.id === crashId);
          return row && row.state !== 'sending' ? row : undefined;
        }, 'the restarted worker to settle the interrupted send');
        const uncertainMs = Date.now() - restarted;
        expect(crash).toMatchObject({ state: 'uncertain', error_code: 'outbox.interrupted', attempts: 1 });
        const others = await waitFor(
          async () => {
            const rows = await states(ws);
            return rows.filter((r) => r.state === 'sent').length === 3 ? rows : undefined;
          },
          'the three other sends to go out',
          30_000,
        );
        const othersMs = Date.now() - restarted;
        console.info(`[outbox-crash ${engine}] uncertain after ${uncertainMs} ms, the 3 other sends sent after ${othersMs} ms`);
        expect(
          others
            .filter((r) => r.state === 'sent')
            .map((r) => r.id)
            .sort(),
        ).toEqual([...otherIds].sort());
        expect(othersMs).toBeLessThan(30_000);
      } finally {
        await ws.close();
      }
      expect(proxy.accepted()).toBe(4);
      await mailDeliveredSoFar(customer);
      expect(await findMail(customer, 'INBOX', subjects[0] ?? '')).toHaveLength(1);
    } finally {
      await pier?.stop();
      await proxy.close();
    }
  }, 120_000);
});
