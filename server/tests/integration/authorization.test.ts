import fastifyCookie from '@fastify/cookie';
import Fastify from 'fastify';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailbox, grantMailboxAccess } from '../../src/modules/mailboxes/index.js';
import { createAccount, registerGuard } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD as password } from '../support/users.js';

describe.each(engines)('authorisation by role and mailbox on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  const ids: Record<string, string> = {};
  const as: Record<'admin' | 'agent' | 'auditor' | 'stranger', ApiClient> = {} as never;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database);
    const { db } = pier.workspace;
    await createAccount(db, { email: 'boss@acme.test', name: 'Boss', password, role: 'admin' });
    const agent = await createAccount(db, { email: 'agent@acme.test', name: 'Zhang', password, role: 'agent' });
    const auditor = await createAccount(db, { email: 'audit@acme.test', name: 'Audit', password, role: 'auditor' });
    await createAccount(db, { email: 'nobody@acme.test', name: 'New', password, role: 'agent' });
    for (const [key, address] of [
      ['sales', 'sales@acme.test'],
      ['accounting', 'accounting@acme.test'],
    ] as const) {
      ids[key] = (await createMailbox(db, { address, displayName: key, purpose: key === 'sales' ? 'sales' : 'accounting' })).id;
    }
    await grantMailboxAccess(db, agent.id, ids.sales ?? '', 'reply');
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
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  const subjects = (res: { body: unknown }) => (res.body as { items: { subject: string }[] }).items.map((c) => c.subject).sort();

  it('shows an admin every mailbox and every conversation', async () => {
    expect(subjects(await as.admin.get('/api/conversations'))).toEqual(['Invoice 2026-11', 'RFQ LED panels']);
    const mailboxes = (await as.admin.get('/api/mailboxes')).body as { items: { address: string; openCount: number }[] };
    expect(mailboxes.items.map((m) => [m.address, m.openCount])).toEqual([
      ['accounting@acme.test', 1],
      ['sales@acme.test', 1],
    ]);
  });

  it('never lets an agent without access to accounting@ list or open its conversations', async () => {
    expect(subjects(await as.agent.get('/api/conversations'))).toEqual(['RFQ LED panels']);
    expect(await as.agent.get(`/api/conversations?mailboxId=${ids.accounting}`)).toMatchObject({
      status: 404,
      body: { error: { code: 'mailbox.not_found' } },
    });
    expect(await as.agent.get('/api/conversations?mailboxId=made-up')).toMatchObject({ status: 404 });
    const mailboxes = (await as.agent.get('/api/mailboxes')).body as { items: { address: string }[] };
    expect(mailboxes.items.map((m) => m.address)).toEqual(['sales@acme.test']);
    expect((await as.agent.get('/api/session')).body).toMatchObject({ mailboxes: [{ address: 'sales@acme.test', access: 'reply' }] });
  });

  it('never returns search hits from a mailbox the agent cannot read', async () => {
    expect(subjects(await as.admin.get('/api/conversations?q=payment'))).toEqual(['Invoice 2026-11']);
    expect(subjects(await as.agent.get('/api/conversations?q=payment'))).toEqual([]);
    expect(subjects(await as.agent.get('/api/conversations?q=quote'))).toEqual(['RFQ LED panels']);
    expect(await as.agent.get(`/api/conversations?q=payment&mailboxId=${ids.accounting}`)).toMatchObject({ status: 404 });
  });

  it('shows a user with no mailbox access nothing at all', async () => {
    expect(subjects(await as.stranger.get('/api/conversations'))).toEqual([]);
    expect((await as.stranger.get('/api/mailboxes')).body).toEqual({ items: [] });
  });

  it('lets only admins add a mailbox', async () => {
    const body = { address: 'logistics@acme.test', displayName: 'Logistics', purpose: 'logistics' };
    expect(await as.agent.post('/api/mailboxes', body)).toMatchObject({ status: 403, body: { error: { code: 'auth.forbidden' } } });
    expect((await as.admin.post('/api/mailboxes', body)).status).toBe(201);
    expect(await as.admin.post('/api/mailboxes', body)).toMatchObject({ status: 409, body: { error: { code: 'mailbox.address_taken' } } });
  });

  it('keeps an auditor read-only, capped at read even where manage was granted', async () => {
    expect(subjects(await as.auditor.get('/api/conversations'))).toEqual(['RFQ LED panels']);
    expect((await as.auditor.get('/api/session')).body).toMatchObject({ mailboxes: [{ address: 'sales@acme.test', access: 'read' }] });
    const res = await as.auditor.post('/api/mailboxes', { address: 'x@acme.test', displayName: 'X', purpose: 'sales' });
    expect(res).toMatchObject({ status: 403, body: { error: { code: 'auth.forbidden' } } });
    expect((await as.auditor.post('/api/auth/logout')).status).toBe(204);
  });

  it('refuses every private route to a visitor without a session', async () => {
    const visitor = pier.api();
    for (const path of ['/api/session', '/api/mailboxes', '/api/conversations']) {
      expect(await visitor.get(path)).toMatchObject({ status: 401, body: { error: { code: 'auth.required' } } });
    }
    expect((await visitor.put('/api/me/preferences', { locale: 'en' })).status).toBe(401);
  });
});

describe('the guard', () => {
  it('refuses to register an API route that declares no access rule', async () => {
    const app = Fastify();
    await app.register(fastifyCookie);
    registerGuard(app, { db: undefined as never, secureCookies: false });
    expect(() => app.get('/api/forgotten', async () => ({ secret: true }))).toThrow(/declares no access rule/);
    await app.close();
  });
});
