import type { LiveServerMessage } from '@pier/contracts';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailbox, grantMailboxAccess } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { type LiveTestSocket, openLiveSocket } from '../support/live-socket.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD as password } from '../support/users.js';

/** Two web nodes on one PostgreSQL: events and presence cross nodes through LISTEN/NOTIFY. */
describe('live updates across two nodes on postgres', () => {
  let database: TestDatabase;
  let nodeA: Awaited<ReturnType<typeof startTestPier>>;
  let nodeB: Awaited<ReturnType<typeof startTestPier>>;
  let li: ApiClient;
  let zhang: ApiClient;
  const sockets: LiveTestSocket[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    nodeA = await startTestPier(database, { PIER_ROLE: 'web' });
    nodeB = await startTestPier(database, { PIER_ROLE: 'web' });
    const { db } = nodeA.workspace;
    const sales = await createMailbox(db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' });
    const liUser = await createAccount(db, { email: 'li@acme.test', name: 'Li Wei', password, role: 'agent' });
    const zhangUser = await createAccount(db, { email: 'zhang@acme.test', name: 'Zhang Min', password, role: 'agent' });
    await grantMailboxAccess(db, liUser.id, sales.id, 'reply');
    await grantMailboxAccess(db, zhangUser.id, sales.id, 'reply');
    li = nodeA.api();
    zhang = nodeB.api();
    expect((await li.post('/api/auth/login', { email: 'li@acme.test', password })).status).toBe(200);
    expect((await zhang.post('/api/auth/login', { email: 'zhang@acme.test', password })).status).toBe(200);
  });
  afterAll(async () => {
    for (const socket of sockets) await socket.close();
    await nodeA?.stop();
    await nodeB?.stop();
    await database?.drop();
  });

  it('pushes mail stored on one node to a socket on the other, and presence both ways', async () => {
    const onA = await openLiveSocket(nodeA.url, li);
    const onB = await openLiveSocket(nodeB.url, zhang);
    sockets.push(onA, onB);
    await onA.waitFor((m) => m.type === 'hello');
    await onB.waitFor((m) => m.type === 'hello');

    // Delivered to node B's SMTP listener; Li's socket is on node A.
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: nodeB.smtpPort ?? 0, secure: false, ignoreTLS: true });
    await smtp.sendMail({ from: 'buyer@customer.test', to: 'sales@acme.test', subject: 'Across nodes', text: 'Hello' });
    smtp.close();
    const pushed = (await onA.waitFor((m) => m.type === 'message.new')) as Extract<LiveServerMessage, { type: 'message.new' }>;

    onA.send({ type: 'presence', conversationId: pushed.conversationId, state: 'replying' });
    await onB.waitFor((m) => m.type === 'presence' && m.people.some((p) => p.name === 'Li Wei' && p.state === 'replying'));
    onB.send({ type: 'presence', conversationId: pushed.conversationId, state: 'viewing' });
    await onA.waitFor((m) => m.type === 'presence' && m.people.some((p) => p.name === 'Zhang Min' && p.state === 'viewing'));
  });
});
