import type { LiveServerMessage } from '@pier/contracts';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailbox, grantMailboxAccess } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { type LiveTestSocket, openLiveSocket } from '../support/live-socket.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD as password } from '../support/users.js';

const isType =
  <T extends LiveServerMessage['type']>(type: T) =>
  (m: LiveServerMessage): m is Extract<LiveServerMessage, { type: T }> =>
    m.type === type;

describe.each(engines)('live updates over WebSocket on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  const ids: Record<'sales' | 'accounting', string> = { sales: '', accounting: '' };
  const as: Record<'li' | 'zhang' | 'bookkeeper', ApiClient> = {} as never;
  const sockets: LiveTestSocket[] = [];

  const open = async (client: ApiClient | null, options?: { origin?: string | null }) => {
    const socket = await openLiveSocket(pier.url, client, options);
    sockets.push(socket);
    await socket.waitFor(isType('hello'));
    return socket;
  };
  const sendMail = async (to: string, subject: string) => {
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort ?? 0, secure: false, ignoreTLS: true });
    try {
      await smtp.sendMail({ from: 'buyer@customer.test', to, subject, text: 'Please quote 500 pcs.' });
    } finally {
      smtp.close();
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    // A short heartbeat, so session re-checks and heartbeats happen within a test.
    pier = await startTestPier(database, { PIER_LIVE_HEARTBEAT_MS: '400' });
    const { db } = pier.workspace;
    ids.sales = (await createMailbox(db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' })).id;
    ids.accounting = (await createMailbox(db, { address: 'accounting@acme.test', displayName: 'Accounting', purpose: 'accounting' })).id;
    const li = await createAccount(db, { email: 'li@acme.test', name: 'Li Wei', password, role: 'agent' });
    const zhang = await createAccount(db, { email: 'zhang@acme.test', name: 'Zhang Min', password, role: 'agent' });
    const bookkeeper = await createAccount(db, { email: 'books@acme.test', name: 'Bookkeeper', password, role: 'agent' });
    await grantMailboxAccess(db, li.id, ids.sales, 'reply');
    await grantMailboxAccess(db, zhang.id, ids.sales, 'read');
    await grantMailboxAccess(db, bookkeeper.id, ids.accounting, 'reply');
    for (const [who, email] of [
      ['li', 'li@acme.test'],
      ['zhang', 'zhang@acme.test'],
      ['bookkeeper', 'books@acme.test'],
    ] as const) {
      as[who] = pier.api();
      expect((await as[who].post('/api/auth/login', { email, password })).status).toBe(200);
    }
  });
  afterAll(async () => {
    for (const socket of sockets) await socket.close();
    await pier?.stop();
    await database?.drop();
  });

  it('refuses a socket without a session, from another site, or without an Origin', async () => {
    await expect(openLiveSocket(pier.url, null)).rejects.toThrow(/401/);
    await expect(openLiveSocket(pier.url, as.li, { origin: 'https://evil.example' })).rejects.toThrow(/403/);
    await expect(openLiveSocket(pier.url, as.li, { origin: null })).rejects.toThrow(/403/);
  });

  it('pushes a mail stored by the SMTP listener only to sockets that may read its mailbox', async () => {
    const li = await open(as.li);
    const books = await open(as.bookkeeper);
    await sendMail('sales@acme.test', 'RFQ LED panels, live');
    const pushed = await li.waitFor(isType('message.new'));
    expect(pushed.mailboxIds).toEqual([ids.sales]);
    // The event names the conversation the list API now shows first.
    const list = (await as.li.get<{ items: { id: string; subject: string }[] }>('/api/conversations')).body;
    expect(list.items[0]).toMatchObject({ id: pushed.conversationId, subject: 'RFQ LED panels, live' });

    // The accounting-only user heard nothing of it, but does hear accounting mail (so the socket works).
    await sendMail('accounting@acme.test', 'Invoice 2026-11');
    const invoice = await books.waitFor(isType('message.new'));
    expect(invoice.mailboxIds).toEqual([ids.accounting]);
    expect(books.messages.filter((m) => m.type === 'message.new')).toHaveLength(1);
    expect(books.messages.some((m) => JSON.stringify(m).includes(pushed.conversationId))).toBe(false);
    // …and Li, without accounting access, never hears of the invoice.
    await new Promise((r) => setTimeout(r, 200));
    expect(li.messages.filter((m) => m.type === 'message.new').map((m) => (m as { conversationId: string }).conversationId)).toEqual([
      pushed.conversationId,
    ]);
  });

  it('pushes conversation changes published after commit, filtered by mailbox', async () => {
    const zhang = await open(as.zhang);
    const books = await open(as.bookkeeper);
    const conversation = await pier.workspace.db
      .selectFrom('conversations')
      .select('id')
      .where('subject', '=', 'RFQ LED panels, live')
      .executeTakeFirstOrThrow();
    pier.workspace.live.publishConversationChanged(conversation.id);
    expect(await zhang.waitFor(isType('conversation.changed'))).toMatchObject({ conversationId: conversation.id, mailboxIds: [ids.sales] });
    await new Promise((r) => setTimeout(r, 200));
    // Background work (mail facts, SLA clocks) may change the bookkeeper's own conversations: only this one must not reach them.
    expect(
      books.messages.some((m) => m.type === 'conversation.changed' && 'conversationId' in m && m.conversationId === conversation.id),
    ).toBe(false);
  });

  it('pushes a new notification only to the sockets of the user it is for, after its note committed', async () => {
    const li = await open(as.li);
    const zhang = await open(as.zhang);
    const zhangSecondTab = await open(as.zhang);
    const books = await open(as.bookkeeper);
    await sendMail('sales@acme.test', 'Mention Zhang, live');
    await li.waitFor(isType('message.new'));
    const list = (await as.li.get<{ items: { id: string; subject: string }[] }>('/api/conversations')).body;
    const conversationId = list.items.find((c) => c.subject === 'Mention Zhang, live')?.id ?? '';
    const zhangId = (
      await pier.workspace.db.selectFrom('users').select('id').where('email', '=', 'zhang@acme.test').executeTakeFirstOrThrow()
    ).id;
    const note = await as.li.post(`/api/conversations/${conversationId}/notes`, { body: '@Zhang Min please check', mentions: [zhangId] });
    expect(note.status).toBe(201);
    // Both of Zhang's pages hear it; it says only that there is something new (the bell refetches).
    expect(await zhang.waitFor(isType('notification'))).toEqual({ type: 'notification' });
    await zhangSecondTab.waitFor(isType('notification'));
    const unread = await as.zhang.get<{ unread: number }>('/api/notifications');
    expect(unread.body.unread).toBe(1);
    // The author and a user of another mailbox hear nothing of it.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(li.messages.filter(isType('notification'))).toEqual([]);
    expect(books.messages.filter(isType('notification'))).toEqual([]);
    // A note that mentions nobody notifies nobody.
    const plain = await as.li.post(`/api/conversations/${conversationId}/notes`, { body: 'checked myself', mentions: [] });
    expect(plain.status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(zhang.messages.filter(isType('notification'))).toHaveLength(1);
  });

  it('shows presence to a second user and only to users who may read the conversation', async () => {
    const conversation = await pier.workspace.db
      .selectFrom('conversations')
      .select('id')
      .where('subject', '=', 'RFQ LED panels, live')
      .executeTakeFirstOrThrow();
    const li = await open(as.li);
    const zhang = await open(as.zhang);
    const books = await open(as.bookkeeper);
    zhang.send({ type: 'presence', conversationId: conversation.id, state: 'viewing' });
    li.send({ type: 'presence', conversationId: conversation.id, state: 'replying' });
    const seen = await zhang.waitFor((m) => m.type === 'presence' && m.people.some((p) => p.name === 'Li Wei' && p.state === 'replying'));
    expect(seen).toMatchObject({ conversationId: conversation.id });
    // A user without access cannot join the conversation's presence, nor hears of it.
    books.send({ type: 'presence', conversationId: conversation.id, state: 'viewing' });
    await new Promise((r) => setTimeout(r, 300));
    expect(books.messages.some((m) => m.type === 'presence')).toBe(false);
    const latest = [...zhang.messages].reverse().find(isType('presence'));
    expect(latest?.people.map((p) => p.name)).toEqual(['Li Wei', 'Zhang Min']);

    // Closing Li's socket ends Li's presence at once.
    await li.close();
    await zhang.waitFor((m) => m.type === 'presence' && m.people.length === 1 && m.people[0]?.name === 'Zhang Min');
  });

  it('sends heartbeats and closes the socket of a session that was signed out', async () => {
    const client = pier.api();
    expect((await client.post('/api/auth/login', { email: 'zhang@acme.test', password })).status).toBe(200);
    const socket = await openLiveSocket(pier.url, client);
    sockets.push(socket);
    await socket.waitFor(isType('heartbeat'), 3_000);
    const closed = new Promise<number>((resolve) => socket.onClose(resolve));
    expect((await client.post('/api/auth/logout', {})).status).toBeLessThan(300);
    expect(await closed).toBe(4401);
  });

  it('closes a socket that sends garbage or floods the server', async () => {
    const garbage = await open(as.li);
    const garbageClosed = new Promise<number>((resolve) => garbage.onClose(resolve));
    garbage.sendRaw('{"type":"presence","conversationId":""}');
    expect(await garbageClosed).toBe(4400);

    const flood = await open(as.li);
    const floodClosed = new Promise<number>((resolve) => flood.onClose(resolve));
    for (let i = 0; i < 60; i++) flood.send({ type: 'presence', conversationId: `made-up-${i}`, state: 'viewing' });
    expect(await floodClosed).toBe(4429);
  });
});
