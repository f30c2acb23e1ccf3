// Several nodes, one truth (issue 20, decision 0056). PostgreSQL only: SQLite is one process by
// design (decision 0007), so several nodes exist only on PostgreSQL. Two web nodes and two worker
// nodes (PIER_ROLE) run as real processes of the built server on loopback against one PostgreSQL
// database and the bench's Dovecot and Postfix; a worker is killed with a real SIGKILL in the
// middle of a sync and, separately, in the middle of a send. Needs `node scripts/build.mjs` and the bench.
import type { LiveServerMessage, OutboxItem } from '@pier/contracts';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import type { MailboxRow } from '../../src/db/schema.js';
import { signInInBrowser } from '../support/browser-sign-in.js';
import { chromiumArgs } from '../support/chromium.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { testEnv } from '../support/env.js';
import { type ApiClient, createApiClient } from '../support/http-client.js';
import { type LiveTestSocket, openLiveSocket } from '../support/live-socket.js';
import { emptyMailboxes, rawMail, withImap } from '../support/mail-server.js';
import { createAgent, findMail, mailDeliveredSoFar, startSubmissionProxy } from '../support/outbox.js';
import { type PierProcess, startPierProcess } from '../support/pier-process.js';
import { waitFor } from '../support/wait.js';
import { addTestImapMailbox, openTestWorkspace } from '../support/workspace.js';

const shared = 'support@acme.test';
const customer = 'buyer2@customer.test';
const seeded = 300;
const password = 'correct horse battery staple';
/** The IMAP lease of the sync supervisor (sync-supervisor.ts). */
const leaseMs = 20_000;

describe('several nodes, one truth on postgres', () => {
  let database: TestDatabase;
  let handle: ReturnType<typeof openDatabase>;
  let mailbox: MailboxRow;
  let proxy: Awaited<ReturnType<typeof startSubmissionProxy>>;
  const web: PierProcess[] = [];
  const workers: PierProcess[] = [];
  const sockets: LiveTestSocket[] = [];
  const clients: ApiClient[] = [];
  /** Set by the send test: the proxy kills the worker sending the first reply, once, when Postfix has it. */
  let killSender: (() => Promise<void>) | undefined;
  let browser: Browser | undefined;
  /**
   * The agents' replies have a subject of their own: Pier's automatic replies to the synced orders
   * ("Re: Order N …") also pass the proxy, and with several jobs at once one of them may be the
   * order the test answers, sent at the same moment (the kill then found no send to stop).
   */
  const agentReply = (order: number) => `Re: Order ${order} ${tag} (confirmed)`;
  /** Every mail Postfix accepted through the proxy, as sent. */
  const submitted: string[] = [];

  const tag = Date.now().toString(36);
  const alive = () => workers.filter((w) => w.process.exitCode === null && w.process.signalCode === null);
  const holderPid = (holder: string | null | undefined) => Number(holder?.split(':')[1]);
  const imapHolder = async () =>
    (await handle.db.selectFrom('leases').select('holder').where('name', '=', `imap:${mailbox.id}`).executeTakeFirst())?.holder;
  const storedInInbox = async () =>
    Number(
      (
        await handle.db
          .selectFrom('message_locations')
          .select(({ fn }) => fn.countAll().as('n'))
          .where('mailbox_id', '=', mailbox.id)
          .where('folder_path', '=', 'INBOX')
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    await emptyMailboxes(shared);
    await emptyMailboxes(customer);
    // Enough mail that the first sync takes a while (several batches), so the kill lands inside it.
    await withImap(shared, async (client) => {
      for (let i = 0; i < seeded; i++) {
        const body = i % 3 === 0 ? `您好，请报价 ${i}。`.repeat(60) : `Dear team, order ${i}. `.repeat(120);
        await client.append(
          'INBOX',
          rawMail({ to: shared, subject: `Order ${i} ${tag}`, messageId: `<nodes-${tag}-${i}@customer.test>`, body }),
        );
      }
    });
    proxy = await startSubmissionProxy(async (message) => {
      submitted.push(message);
      // Only the first reply: automatic replies to the synced orders also go through this proxy.
      const kill = killSender;
      if (!kill || !message.includes(agentReply(1))) return 'forward';
      killSender = undefined;
      await kill();
      return 'swallow';
    });
    const ws = await openTestWorkspace(database);
    try {
      mailbox = await addTestImapMailbox(ws, shared);
      await ws.db.updateTable('mailboxes').set({ smtp_port: proxy.port }).where('id', '=', mailbox.id).execute();
      await createAgent(ws, mailbox, 'li.wei@acme.test', 'Li Wei');
      await createAgent(ws, mailbox, 'zhang.min@acme.test', 'Zhang Min');
    } finally {
      await ws.close();
    }
    handle = openDatabase(database);
    web.push(...(await Promise.all([startPierProcess(database, { PIER_ROLE: 'web' }), startPierProcess(database, { PIER_ROLE: 'web' })])));
    for (const [node, email] of [
      [web[0], 'li.wei@acme.test'],
      [web[1], 'zhang.min@acme.test'],
    ] as const) {
      const client = createApiClient(node?.url ?? '');
      expect((await client.post('/api/auth/login', { email, password })).status).toBe(200);
      clients.push(client);
      const socket = await openLiveSocket(node?.url ?? '', client);
      await socket.waitFor((m) => m.type === 'hello');
      sockets.push(socket);
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    for (const socket of sockets) await socket.close();
    for (const node of [...workers, ...web]) await node.stop('SIGKILL');
    await proxy?.close();
    await handle?.close();
    await database?.drop();
  });

  it('a worker killed (SIGKILL) mid-sync: the other takes the mailbox within 30 s, nothing is lost or stored twice, and new mail reaches browsers on both web nodes', async () => {
    // Two node names: neither can tell from /proc that the other died (as on two hosts), so the
    // survivor takes the mailbox when the lease expires, not at once.
    workers.push(
      ...(await Promise.all([
        startPierProcess(database, { PIER_ROLE: 'worker', PIER_NODE_NAME: 'node-a' }),
        startPierProcess(database, { PIER_ROLE: 'worker', PIER_NODE_NAME: 'node-b' }),
      ])),
    );
    // The kill lands when some batches are committed and the rest are not.
    const before = await waitFor(async () => {
      const n = await storedInInbox();
      return n > 0 ? n : undefined;
    }, 'the first batch to be stored');
    const holder = await imapHolder();
    const victim = workers.find((w) => w.process.pid === holderPid(holder));
    expect(victim, `the lease holder ${holder} is one of the workers`).toBeDefined();
    victim?.process.kill('SIGKILL');
    const killedAt = Date.now();
    await waitFor(async () => victim?.process.signalCode ?? undefined, 'the kill to land');
    const atKill = await storedInInbox();
    expect(atKill, `killed mid-sync (${before} stored when seen, ${atKill} at the kill)`).toBeLessThan(seeded);

    const survivor = alive()[0];
    // The lease (20 s) runs out on the survivor's clock instead of in real time; it takes the
    // mailbox at its next scan (every 5 s), so within 25 s of a real kill.
    await survivor?.advanceClock(leaseMs);
    const takenOver = await waitFor(
      async () => ((await imapHolder())?.split(':')[1] === String(survivor?.process.pid) ? Date.now() - killedAt : undefined),
      'the surviving worker to take the IMAP lease',
      30_000,
    );
    await waitFor(async () => ((await storedInInbox()) === seeded ? true : undefined), `all ${seeded} mails stored`, 60_000);
    console.info(`[several-nodes] killed with ${atKill}/${seeded} stored; lease taken over after ${takenOver} ms`);

    // Exactly once: one message per Message-ID, one INBOX location per server UID.
    const messages = await handle.db
      .selectFrom('messages')
      .select('message_id_header')
      .where('message_id_header', 'like', `<nodes-${tag}-%`)
      .execute();
    expect(messages).toHaveLength(seeded);
    expect(new Set(messages.map((m) => m.message_id_header)).size).toBe(seeded);
    const serverUids = await withImap(shared, async (client) => {
      await client.mailboxOpen('INBOX', { readOnly: true });
      return ((await client.search({ all: true }, { uid: true })) || []).sort((a, b) => a - b);
    });
    const storedUids = (
      await handle.db
        .selectFrom('message_locations')
        .select('uid')
        .where('mailbox_id', '=', mailbox.id)
        .where('folder_path', '=', 'INBOX')
        .execute()
    )
      .map((l) => Number(l.uid))
      .sort((a, b) => a - b);
    expect(storedUids).toEqual(serverUids);

    // New mail synced by the surviving worker is pushed to a socket on each web node.
    // And to a real page: Chromium on the second web node, its list refetched on the push.
    browser = await chromium.launch({ executablePath: testEnv('PIER_TEST_CHROMIUM'), args: chromiumArgs });
    const page = await (await browser.newContext({ locale: 'en', viewport: { width: 1280, height: 800 } })).newPage();
    await signInInBrowser(page, web[1]?.url ?? '', { email: 'zhang.min@acme.test', password });
    const fresh = `<nodes-${tag}-fresh@customer.test>`;
    await withImap(shared, (client) => client.append('INBOX', rawMail({ to: shared, subject: `Fresh ${tag}`, messageId: fresh })));
    const conversationId = await waitFor(async () => {
      const row = await handle.db
        .selectFrom('messages')
        .innerJoin('conversation_messages', 'conversation_messages.message_id', 'messages.id')
        .select('conversation_messages.conversation_id')
        .where('messages.message_id_header', '=', fresh)
        .executeTakeFirst();
      return row?.conversation_id;
    }, 'the fresh mail to be stored');
    for (const socket of sockets) {
      const pushed = await socket.waitFor(
        (m): m is Extract<LiveServerMessage, { type: 'message.new' }> => m.type === 'message.new' && m.conversationId === conversationId,
      );
      expect(pushed.mailboxIds).toContain(mailbox.id);
    }
    // The list refetches on its own only every 120 s while live: seen within 15 s, it was pushed.
    await expect
      .poll(() => page.getByTestId('conversation-list').textContent(), { timeout: 15_000, interval: 100 })
      .toContain(`Fresh ${tag}`);
    await browser.close();
    browser = undefined;
  }, 120_000);

  it('a worker killed (SIGKILL) mid-send: the reply is never sent again, the other worker settles it within 30 s, and the next reply goes out exactly once', async () => {
    // Two workers again: a second process of the survivor's node (one name, one machine) sees at
    // once from /proc that the other died and frees its job. Its clock moved as far as the survivor's.
    // The survivor holds the IMAP lease; its holder name starts with its node name (node-a or node-b).
    const survivorNode = (await imapHolder())?.split(':')[0] ?? '';
    expect(survivorNode).toMatch(/^node-[ab]$/);
    const replacement = await startPierProcess(database, { PIER_ROLE: 'worker', PIER_NODE_NAME: survivorNode });
    await replacement.advanceClock(leaseMs);
    workers.push(replacement);
    const conversationOf = async (messageId: string) =>
      (
        await handle.db
          .selectFrom('messages')
          .innerJoin('conversation_messages', 'conversation_messages.message_id', 'messages.id')
          .select('conversation_messages.conversation_id')
          .where('messages.message_id_header', '=', messageId)
          .executeTakeFirstOrThrow()
      ).conversation_id;
    const outbox = (id: string) =>
      handle.db.selectFrom('outbox_messages').select(['state', 'error_code', 'attempts']).where('id', '=', id).executeTakeFirstOrThrow();
    const reply = async (client: ApiClient | undefined, order: number) => {
      // The undo window is over for the workers (their clocks, not a sleep). Moved before the reply
      // is written, so both workers' clocks agree when one claims it: moved one after the other
      // while a free job slot had already claimed it, the second saw the first's claim as expired.
      for (const worker of alive()) await worker.advanceClock(60_000);
      const sent = await client?.post<OutboxItem>('/api/outbox', {
        mailboxId: mailbox.id,
        mode: 'reply',
        conversationId: await conversationOf(`<nodes-${tag}-${order}@customer.test>`),
        to: [customer],
        subject: agentReply(order),
        html: '<p>Confirmed, shipping Monday.</p>',
        force: true,
      });
      expect(sent?.status).toBe(202);
      return sent?.body as OutboxItem;
    };

    // Postfix has the first reply; the worker sending it dies before it hears the 250.
    let killed: PierProcess | undefined;
    killSender = async () => {
      const job = await handle.db
        .selectFrom('jobs')
        .select('locked_by')
        .where('name', '=', 'outbox.send')
        .where('locked_by', 'is not', null)
        .executeTakeFirst();
      killed = workers.find((w) => w.process.pid === holderPid(job?.locked_by));
      killed?.process.kill('SIGKILL');
    };
    const first = await reply(clients[0], 1);
    const dead = await waitFor(async () => (killed?.process.signalCode ? killed : undefined), 'the sending worker to be killed', 30_000);
    const killedAt = Date.now();
    expect(dead.process.signalCode).toBe('SIGKILL');
    expect(alive()).toHaveLength(1);
    const settled = await waitFor(
      async () => {
        const row = await outbox(first.id);
        return row.state === 'sending' ? undefined : row;
      },
      'the surviving worker to settle the interrupted send',
      30_000,
    ).catch(async (error: unknown) => {
      // What the survivors were doing, to tell a slow machine from a stuck claim.
      console.info(
        await handle.db
          .selectFrom('jobs')
          .select(['name', 'locked_by', 'locked_until', 'attempts'])
          .where('locked_by', 'is not', null)
          .execute(),
      );
      for (const worker of alive()) console.info(worker.process.pid, worker.output().slice(-4000));
      throw error;
    });
    const settledMs = Date.now() - killedAt;
    expect(settled).toMatchObject({ state: 'uncertain', error_code: 'outbox.interrupted', attempts: 1 });

    // The next reply, written on the other web node, goes out once through the surviving worker.
    const second = await reply(clients[1], 2);
    await waitFor(async () => ((await outbox(second.id)).state === 'sent' ? true : undefined), 'the second reply to be sent', 30_000);
    console.info(`[several-nodes] interrupted send settled ${settledMs} ms after the kill`);
    // Postfix accepted each reply once (automatic replies to the orders pass the proxy too).
    for (const order of [1, 2]) expect(submitted.filter((m) => m.includes(agentReply(order)))).toHaveLength(1);
    await mailDeliveredSoFar(customer);
    expect(await findMail(customer, 'INBOX', agentReply(1))).toHaveLength(1);
    expect(await findMail(customer, 'INBOX', agentReply(2))).toHaveLength(1);
    // One Sent copy of the reply that was sent, none of the one whose outcome is unknown; and one message for each in the database.
    await waitFor(async () => ((await findMail(shared, 'Sent', agentReply(2))).length > 0 ? true : undefined), 'the Sent copy');
    expect(await findMail(shared, 'Sent', agentReply(2))).toHaveLength(1);
    expect(await findMail(shared, 'Sent', agentReply(1))).toHaveLength(0);
    for (const item of [first, second]) {
      const rows = await handle.db.selectFrom('messages').select('id').where('id', '=', item.messageId).execute();
      expect(rows).toHaveLength(1);
    }
  }, 120_000);
});
