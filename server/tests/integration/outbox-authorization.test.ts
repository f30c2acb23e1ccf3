import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailbox, grantMailboxAccess } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { invalidateSessionCache } from '../../src/modules/security/session-cache.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD as password } from '../support/users.js';

/**
 * Sending over HTTP, by role and mailbox: writing (send, draft, upload, undo, resend) needs reply
 * access to the mailbox sent from AND to the conversation answered; read access shows the
 * conversation's outbox and nothing more; auditors never write. Agent G may reply in sales@ and
 * only read accounting@; O has no access; U is an auditor granted manage on sales@ (capped at read).
 */
describe.each(engines)('outbox authorisation over HTTP on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  const ids: Record<string, string> = {};
  const as: Record<'admin' | 'agent' | 'auditor' | 'stranger', ApiClient> = {} as never;

  const send = (mailbox: string, conversation: string, html = '<p>Our price is USD 4.20.</p>') => ({
    mailboxId: ids[mailbox],
    mode: 'reply',
    conversationId: ids[conversation],
    to: ['buyer@customer.test'],
    subject: 'Re: quote',
    html,
  });

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database);
    const { db } = pier.workspace;
    await createAccount(db, { email: 'boss@acme.test', name: 'Boss', password, role: 'admin' });
    const agent = await createAccount(db, { email: 'agent@acme.test', name: 'Zhang', password, role: 'agent' });
    const auditor = await createAccount(db, { email: 'audit@acme.test', name: 'Audit', password, role: 'auditor' });
    await createAccount(db, { email: 'nobody@acme.test', name: 'New', password, role: 'agent' });
    for (const key of ['sales', 'accounting'] as const) {
      ids[key] = (await createMailbox(db, { address: `${key}@acme.test`, displayName: key, purpose: key })).id;
    }
    // Outgoing settings pointing at a closed loopback port: nothing leaves, the rows are what is tested.
    await db.updateTable('mailboxes').set({ smtp_host: '127.0.0.1', smtp_port: 1, smtp_tls: 'none' }).execute();
    await grantMailboxAccess(db, agent.id, ids.sales ?? '', 'reply');
    await grantMailboxAccess(db, agent.id, ids.accounting ?? '', 'read');
    await grantMailboxAccess(db, auditor.id, ids.sales ?? '', 'manage');

    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort ?? 0, secure: false, ignoreTLS: true });
    await smtp.sendMail({ from: 'buyer@customer.test', to: 'sales@acme.test', subject: 'RFQ LED panels', text: 'Please quote.' });
    await smtp.sendMail({ from: 'bank@customer.test', to: 'accounting@acme.test', subject: 'Invoice 2026-11', text: 'Payment due.' });
    smtp.close();

    for (const [who, email] of [
      ['admin', 'boss@acme.test'],
      ['agent', 'agent@acme.test'],
      ['auditor', 'audit@acme.test'],
      ['stranger', 'nobody@acme.test'],
    ] as const) {
      as[who] = pier.api();
      expect((await as[who].post('/api/auth/login', { email, password })).status).toBe(200);
    }
    const list = (await as.admin.get('/api/conversations')).body as { items: { id: string; subject: string }[] };
    ids.salesConversation = list.items.find((c) => c.subject === 'RFQ LED panels')?.id ?? '';
    ids.accountingConversation = list.items.find((c) => c.subject === 'Invoice 2026-11')?.id ?? '';
    expect(ids.salesConversation && ids.accountingConversation).toBeTruthy();
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  it('lets an agent send, draft and undo where she has reply access', async () => {
    const queued = await as.agent.post<{ id: string; state: string }>('/api/outbox', send('sales', 'salesConversation'));
    expect(queued).toMatchObject({ status: 202, body: { state: 'scheduled' } });
    expect((await as.agent.get(`/api/outbox/${queued.body.id}`)).status).toBe(200);
    expect((await as.agent.post(`/api/outbox/${queued.body.id}/cancel`)).status).toBe(200);
    const draft = await as.agent.post('/api/drafts', {
      conversationId: ids.salesConversation,
      mailboxId: ids.sales,
      mode: 'reply',
      html: '<p>x</p>',
    });
    expect(draft.status).toBe(200);
  });

  it('refuses to send from, or draft for, a mailbox the agent may only read', async () => {
    // From accounting@ (read only), in its own conversation: the guard answers as if it did not exist.
    expect(await as.agent.post('/api/outbox', send('accounting', 'accountingConversation'))).toMatchObject({
      status: 404,
      body: { error: { code: 'mailbox.not_found' } },
    });
    // From sales@ (reply) into the accounting@ conversation she may only read.
    expect(await as.agent.post('/api/outbox', send('sales', 'accountingConversation'))).toMatchObject({
      status: 403,
      body: { error: { code: 'auth.forbidden' } },
    });
    expect(
      await as.agent.post('/api/drafts', { conversationId: ids.accountingConversation, mode: 'reply', html: '<p>x</p>' }),
    ).toMatchObject({ status: 403, body: { error: { code: 'auth.forbidden' } } });
    expect(await as.agent.post('/api/drafts', { mailboxId: ids.accounting, mode: 'new', html: '<p>x</p>' })).toMatchObject({
      status: 404,
      body: { error: { code: 'mailbox.not_found' } },
    });
    const { db } = pier.workspace;
    const rows = await db
      .selectFrom('outbox_messages')
      .select('id')
      .where('conversation_id', '=', ids.accountingConversation ?? '')
      .execute();
    expect(rows).toHaveLength(0);
  });

  it('shows an agent without any access nothing: sending, drafting and the outbox answer 404', async () => {
    expect(await as.stranger.post('/api/outbox', send('sales', 'salesConversation'))).toMatchObject({ status: 404 });
    expect(await as.stranger.post('/api/drafts', { conversationId: ids.salesConversation, mode: 'reply', html: '<p>x</p>' })).toMatchObject(
      { status: 404, body: { error: { code: 'conversation.not_found' } } },
    );
    expect(await as.stranger.post('/api/drafts', { mailboxId: ids.sales, mode: 'new', html: '<p>x</p>' })).toMatchObject({
      status: 404,
      body: { error: { code: 'mailbox.not_found' } },
    });
    expect(await as.stranger.get(`/api/conversations/${ids.salesConversation}/outbox`)).toMatchObject({ status: 404 });
  });

  it('lets an agent with read access look at outgoing mail, never undo or resend it', async () => {
    const queued = await as.admin.post<{ id: string }>('/api/outbox', send('accounting', 'accountingConversation'));
    expect(queued.status).toBe(202);
    const { db } = pier.workspace;
    await db
      .updateTable('outbox_messages')
      .set({ state: 'failed', error_code: 'outbox.recipients_refused' })
      .where('id', '=', queued.body.id)
      .execute();
    // Reading it is allowed, as in the conversation's outbox list below; changing it is not.
    expect(await as.agent.get(`/api/outbox/${queued.body.id}`)).toMatchObject({
      status: 200,
      body: { id: queued.body.id, state: 'failed' },
    });
    for (const [path, body] of [
      [`/api/outbox/${queued.body.id}/cancel`, undefined],
      [`/api/outbox/${queued.body.id}/resolve`, { action: 'resend' }],
    ] as const) {
      expect(await as.agent.post(path, body)).toMatchObject({ status: 403, body: { error: { code: 'auth.forbidden' } } });
    }
    // Without any access to the mailbox, the mail does not exist.
    for (const [method, path, body] of [
      ['GET', `/api/outbox/${queued.body.id}`, undefined],
      ['POST', `/api/outbox/${queued.body.id}/cancel`, undefined],
      ['POST', `/api/outbox/${queued.body.id}/resolve`, { action: 'resend' }],
    ] as const) {
      expect(await as.stranger.request(method, path, body ? { json: body } : {})).toMatchObject({
        status: 404,
        body: { error: { code: 'outbox.not_found' } },
      });
    }
    expect((await db.selectFrom('outbox_messages').select('state').where('id', '=', queued.body.id).executeTakeFirstOrThrow()).state).toBe(
      'failed',
    );
    // Reading the conversation is allowed: its outbox is part of what she reads.
    const outbox = await as.agent.get<{ items: { id: string; state: string }[] }>(
      `/api/conversations/${ids.accountingConversation}/outbox`,
    );
    expect(outbox).toMatchObject({ status: 200, body: { items: [{ id: queued.body.id, state: 'failed' }] } });
    // The admin may resend it.
    expect(await as.admin.post(`/api/outbox/${queued.body.id}/resolve`, { action: 'resend' })).toMatchObject({ status: 200 });
  });

  it('keeps an auditor read-only: sees the outbox, never sends, drafts, uploads, undoes or resends', async () => {
    const queued = await as.admin.post<{ id: string }>('/api/outbox', send('sales', 'salesConversation'));
    expect(queued.status).toBe(202);
    expect((await as.auditor.get(`/api/conversations/${ids.salesConversation}/outbox`)).status).toBe(200);
    // The same mail, alone: auditors may read (decision 0003), as in the list above.
    expect(await as.auditor.get(`/api/outbox/${queued.body.id}`)).toMatchObject({ status: 200, body: { id: queued.body.id } });
    expect(await as.auditor.post('/api/outbox', send('sales', 'salesConversation'))).toMatchObject({
      status: 403,
      body: { error: { code: 'auth.forbidden' } },
    });
    // Auditors make no state-changing request at all (decision 0003).
    for (const body of [{ conversationId: ids.salesConversation, mode: 'reply' }, { mode: 'new' }]) {
      expect(await as.auditor.post('/api/drafts', { ...body, html: '<p>x</p>' })).toMatchObject({
        status: 403,
        body: { error: { code: 'auth.forbidden' } },
      });
    }
    const upload = await as.auditor.request('POST', '/api/outbox/uploads?filename=a.txt&mime=text/plain', {
      rawBody: 'hello',
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(upload).toMatchObject({ status: 403, body: { error: { code: 'auth.forbidden' } } });
    for (const [path, body] of [
      [`/api/outbox/${queued.body.id}/cancel`, undefined],
      [`/api/outbox/${queued.body.id}/resolve`, { action: 'mark_sent' }],
    ] as const) {
      expect(await as.auditor.post(path, body)).toMatchObject({ status: 403, body: { error: { code: 'auth.forbidden' } } });
    }
    expect((await as.admin.post(`/api/outbox/${queued.body.id}/cancel`)).status).toBe(200);
  });

  it('takes the undo away from the writer whose reply access was taken away after queueing', async () => {
    const { db } = pier.workspace;
    const agent = await db.selectFrom('users').select('id').where('email', '=', 'agent@acme.test').executeTakeFirstOrThrow();
    const queued = await as.agent.post<{ id: string }>('/api/outbox', send('sales', 'salesConversation'));
    expect(queued).toMatchObject({ status: 202 });
    await grantMailboxAccess(db, agent.id, ids.sales ?? '', 'read');
    invalidateSessionCache(); // Pier runs in this process; its guard caches sessions for 2 s
    try {
      expect(await as.agent.post(`/api/outbox/${queued.body.id}/cancel`)).toMatchObject({
        status: 403,
        body: { error: { code: 'auth.forbidden' } },
      });
      expect(
        (await db.selectFrom('outbox_messages').select('state').where('id', '=', queued.body.id).executeTakeFirstOrThrow()).state,
      ).toBe('scheduled');
      await db
        .deleteFrom('mailbox_access')
        .where('user_id', '=', agent.id)
        .where('mailbox_id', '=', ids.sales ?? '')
        .execute();
      invalidateSessionCache();
      expect(await as.agent.post(`/api/outbox/${queued.body.id}/cancel`)).toMatchObject({
        status: 404,
        body: { error: { code: 'outbox.not_found' } },
      });
    } finally {
      await grantMailboxAccess(db, agent.id, ids.sales ?? '', 'reply');
      invalidateSessionCache();
    }
    // Access back: her own undo works again.
    expect((await as.agent.post(`/api/outbox/${queued.body.id}/cancel`)).status).toBe(200);
  });

  it('refuses an empty body with 400 outbox.empty_body', async () => {
    for (const html of ['', '<p></p>', '<p><br></p>']) {
      expect(await as.agent.post('/api/outbox', send('sales', 'salesConversation', html))).toMatchObject({
        status: 400,
        body: { error: { code: 'outbox.empty_body' } },
      });
    }
  });
});
