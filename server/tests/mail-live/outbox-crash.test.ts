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

  it('a send killed between the server accepting it and Pier recording it is never sent again: it becomes uncertain', async () => {
    const subject = `Crash ${engine} ${Date.now().toString(36)}`;
    const proxy = await startSubmissionProxy(() => {
      // Postfix has the mail; the process dies before it can write "sent".
      pier?.process.kill('SIGKILL');
      return 'swallow';
    });
    let ws: Workspace = await openTestWorkspace(database);
    let outboxId: string;
    try {
      const sales = await addTestImapMailbox(ws, 'sales@acme.test');
      await ws.db.updateTable('mailboxes').set({ smtp_port: proxy.port }).where('id', '=', sales.id).execute();
      const { actor } = await createAgent(ws, sales, 'li.wei@acme.test', 'Li Wei');
      await saveSendPreferences(ws.db, actor.user.id, { undoSeconds: 5, title: '' });
      const ctx = { engine: ws.engine, ownAddresses: await loadOwnAddresses(ws.db) };
      const thread = await ingestMail(
        { db: ws.db, blobs: ws.blobs, ctx },
        { raw: Buffer.from(rawMail({ subject })), mailboxIds: [sales.id], source: 'import' },
      );
      const item = await queueSend({ db: ws.db, engine: ws.engine, blobs: ws.blobs }, actor, {
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
      });
      outboxId = item.id;
      // The undo window is over by the time the server starts.
      await ws.db
        .updateTable('outbox_messages')
        .set({ send_after: Date.now() - 1 })
        .where('id', '=', item.id)
        .execute();
      await ws.db
        .updateTable('jobs')
        .set({ run_at: Date.now() - 1 })
        .where('name', '=', 'outbox.send')
        .execute();
    } finally {
      await ws.close();
    }

    try {
      pier = await startPierProcess(database);
      const killed = pier;
      await waitFor(async () => killed.process.signalCode ?? undefined, 'the kill to land');
      expect(pier.process.signalCode).toBe('SIGKILL');
      expect(proxy.accepted()).toBe(1);
      expect(await waitForMail(customer, 'INBOX', subject)).toHaveLength(1);

      ws = await openTestWorkspace(database);
      try {
        const row = await ws.db.selectFrom('outbox_messages').selectAll().where('id', '=', outboxId).executeTakeFirstOrThrow();
        expect(row.state).toBe('sending');
        // Five minutes later the job's lease has expired and another worker takes it.
        await ws.db.updateTable('jobs').set({ locked_until: 1 }).where('name', '=', 'outbox.send').execute();
      } finally {
        await ws.close();
      }

      pier = await startPierProcess(database);
      ws = await openTestWorkspace(database);
      try {
        const row = await waitFor(async () => {
          const found = await ws.db.selectFrom('outbox_messages').selectAll().where('id', '=', outboxId).executeTakeFirstOrThrow();
          return found.state !== 'sending' ? found : undefined;
        }, 'the restarted worker to take the send again');
        expect(row.state).toBe('uncertain');
        expect(row.error_code).toBe('outbox.interrupted');
        expect(row.attempts).toBe(1);
      } finally {
        await ws.close();
      }
      // The proxy counts every DATA it passed on, and the second run has finished (uncertain): still one.
      expect(proxy.accepted()).toBe(1);
      await mailDeliveredSoFar(customer);
      expect(await findMail(customer, 'INBOX', subject)).toHaveLength(1);
    } finally {
      await pier?.stop();
      await proxy.close();
    }
  }, 60_000);
});
