import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailbox, grantMailboxAccess } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { startTestPier } from '../support/pier.js';

const password = 'a long enough password';
type Detail = { conversation: { subject: string; mailboxes: { address: string }[] } };
const codeOf = (res: { body: unknown }) => (res.body as { error?: { code?: string } } | undefined)?.error?.code;
const subject = 'Order 7781 for sales and accounting';

/**
 * One access answer for a conversation, whichever module asks (decision 0003): no read access
 * is 404 conversation.not_found (as for a conversation that does not exist), read without the
 * level asked for is 403 auth.forbidden. The conversation here is in two mailboxes (one mail to
 * sales@ and accounting@), and users have different levels on each.
 */
describe.each(engines)('one conversation access answer across modules on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  const ids: Record<string, string> = {};
  let conversationId = '';
  let messageId = '';
  type Who = 'reader' | 'replier' | 'stranger';
  const as = {} as Record<Who, ApiClient>;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database);
    const { db } = pier.workspace;
    for (const name of ['sales', 'accounting', 'hr']) {
      ids[name] = (
        await createMailbox(db, {
          address: `${name}@acme.test`,
          displayName: name,
          purpose: name === 'hr' ? 'service' : (name as 'sales' | 'accounting'),
        })
      ).id;
    }
    // reader: read on sales only. replier: read on sales, reply on accounting. stranger: reply on hr only.
    const reader = await createAccount(db, { email: 'reader@acme.test', name: 'Reader', password, role: 'agent' });
    const replier = await createAccount(db, { email: 'replier@acme.test', name: 'Replier', password, role: 'agent' });
    const stranger = await createAccount(db, { email: 'stranger@acme.test', name: 'Stranger', password, role: 'agent' });
    await grantMailboxAccess(db, reader.id, ids.sales ?? '', 'read');
    await grantMailboxAccess(db, replier.id, ids.sales ?? '', 'read');
    await grantMailboxAccess(db, replier.id, ids.accounting ?? '', 'reply');
    await grantMailboxAccess(db, stranger.id, ids.hr ?? '', 'reply');

    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort ?? 0, secure: false, ignoreTLS: true });
    await smtp.sendMail({ from: 'buyer@customer.test', to: ['sales@acme.test', 'accounting@acme.test'], subject, text: 'Please invoice.' });
    smtp.close();
    const conversation = await db.selectFrom('conversations').select('id').where('subject', '=', subject).executeTakeFirstOrThrow();
    conversationId = conversation.id;
    const links = await db
      .selectFrom('conversation_mailboxes')
      .select('mailbox_id')
      .where('conversation_id', '=', conversationId)
      .execute();
    expect(links.map((l) => l.mailbox_id).sort()).toEqual([ids.sales, ids.accounting].sort());
    messageId = (
      await db
        .selectFrom('conversation_messages')
        .select('message_id')
        .where('conversation_id', '=', conversationId)
        .executeTakeFirstOrThrow()
    ).message_id;

    for (const who of ['reader', 'replier', 'stranger'] as const) {
      as[who] = pier.api();
      expect((await as[who].post('/api/auth/login', { email: `${who}@acme.test`, password })).status).toBe(200);
    }
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  // One read and one change per module that answers about a conversation.
  const reads = () => [
    `/api/conversations/${conversationId}`,
    `/api/conversations/${conversationId}/triage`,
    `/api/conversations/${conversationId}/people`,
    `/api/conversations/${conversationId}/fraud`,
    `/api/conversations/${conversationId}/contacts`,
    `/api/conversations/${conversationId}/outbox`,
    `/api/outbox/compose-context?conversationId=${conversationId}&mode=reply`,
  ];
  const changes = (): [string, unknown][] => [
    [`/api/conversations/${conversationId}/priority`, { priority: 'high' }],
    [`/api/conversations/${conversationId}/status`, { status: 'pending' }],
    [`/api/conversations/${conversationId}/notes`, { body: 'checked with finance', mentions: [] }],
    [`/api/conversations/${conversationId}/phone-confirmations`, { contactId: 'no-such-contact', outcome: 'confirmed' }],
    ['/api/drafts', { conversationId, mode: 'reply', html: '<p>draft</p>' }],
  ];

  it('answers 404 conversation.not_found to a user who may read none of its mailboxes, and says nothing about it', async () => {
    for (const path of reads()) {
      const res = await as.stranger.get(path);
      expect({ path, status: res.status, code: codeOf(res) }).toEqual({ path, status: 404, code: 'conversation.not_found' });
      expect(JSON.stringify(res.body)).not.toContain(subject);
    }
    for (const [path, body] of changes()) {
      const res = await as.stranger.post(path, body);
      expect({ path, status: res.status, code: codeOf(res) }).toEqual({ path, status: 404, code: 'conversation.not_found' });
      expect(JSON.stringify(res.body)).not.toContain(subject);
    }
    for (const path of [`/api/messages/${messageId}/raw`, `/api/messages/${messageId}/html`]) {
      expect(await as.stranger.get(path)).toMatchObject({ status: 404, body: { error: { code: 'message.not_found' } } });
    }
  });

  it('lets a user with read access read it everywhere, and answers 403 auth.forbidden to every change', async () => {
    for (const path of reads()) expect({ path, status: (await as.reader.get(path)).status }).toEqual({ path, status: 200 });
    for (const [path, body] of changes()) {
      const res = await as.reader.post(path, body);
      expect({ path, status: res.status, code: codeOf(res) }).toEqual({ path, status: 403, code: 'auth.forbidden' });
      expect(JSON.stringify(res.body)).not.toContain(subject);
    }
    expect((await as.reader.get(`/api/messages/${messageId}/raw`)).status).toBe(200);
    const triage = await as.reader.get<{ state: unknown }>(`/api/conversations/${conversationId}/triage`);
    expect(triage.body.state).toMatchObject({ priority: 'normal', status: 'open' });
  });

  it('lists for a reader only the mailboxes they may read, not the other one the conversation is in', async () => {
    const detail = await as.reader.get<Detail>(`/api/conversations/${conversationId}`);
    expect(detail.body.conversation.subject).toBe(subject);
    expect(detail.body.conversation.mailboxes.map((m) => m.address)).toEqual(['sales@acme.test']);
    expect(detail.body.conversation.mailboxes).toHaveLength(1);
  });

  it('lets a user with reply access on one of the two mailboxes change it, even though the other mailbox is read-only for them', async () => {
    expect(await as.replier.post(`/api/conversations/${conversationId}/priority`, { priority: 'high' })).toMatchObject({
      status: 200,
      body: { priority: 'high' },
    });
    const draft = await as.replier.post('/api/drafts', { conversationId, mode: 'reply', html: '<p>draft</p>' });
    expect(draft).toMatchObject({ status: 200, body: { conversationId } });
    // The phone confirmation passes the access check and fails on the made-up contact instead.
    const call = await as.replier.post(`/api/conversations/${conversationId}/phone-confirmations`, {
      contactId: 'no-such-contact',
      outcome: 'confirmed',
    });
    expect(codeOf(call)).not.toMatch(/^(auth\.forbidden|conversation\.not_found)$/);
    const detail = await as.replier.get<Detail>(`/api/conversations/${conversationId}`);
    expect(detail.body.conversation.mailboxes.map((m) => m.address).sort()).toEqual(['accounting@acme.test', 'sales@acme.test']);
  });
});
