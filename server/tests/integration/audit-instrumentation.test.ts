import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/modules/audit/index.js';
import { addMailboxWithCli } from '../support/cli-mailbox.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { startTestPier } from '../support/pier.js';
import { runCli } from '../support/pier-process.js';

const admin = { email: 'li.wei@acme.test', name: 'Li Wei', password: 'correct horse battery staple' };

describe.each(engines)('admin actions leave audit records on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  const records = async () =>
    pier.workspace.db
      .selectFrom('audit_log')
      .select(['seq', 'actor_id', 'action', 'target_type', 'target_id', 'mailbox_id', 'ip', 'details'])
      // The worker makes the scheduled quarterly report at start-up: not what these tests look at.
      .where('action', '!=', 'audit.report_generated')
      .orderBy('seq')
      .execute();

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database, { PIER_LOGIN_RATE_LIMIT: '50' });
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  it('records setup, failed and successful logins with the IP and never the password', async () => {
    const api = pier.api();
    const setup = await api.post<{ user: { id: string } }>('/api/setup', admin);
    expect(setup.status).toBe(201);
    await pier.api().post('/api/auth/login', { email: admin.email, password: 'not the password' });
    await pier.api().post('/api/auth/login', { email: 'Nobody@acme.test', password: 'whatever it is' });
    await pier.api().post('/api/auth/login', { email: admin.email, password: admin.password });
    const rows = await records();
    const userId = setup.body.user.id;
    expect(rows.map((r) => [r.action, r.actor_id, r.target_id, JSON.parse(r.details)])).toEqual([
      ['user.created', userId, userId, { email: admin.email, role: 'super_admin', via: 'setup' }],
      // The test client enrols an authenticator right after setup (2FA is required by default).
      ['user.two_factor_enrolled', userId, userId, { method: 'totp', via: 'api' }],
      ['user.login_failed', null, userId, { email: admin.email, reason: 'wrong_password' }],
      ['user.login_failed', null, null, { email: 'nobody@acme.test', reason: 'unknown_user' }],
      ['user.login', userId, userId, { email: admin.email }],
    ]);
    expect(rows.slice(1).every((r) => r.ip === '127.0.0.1')).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(admin.password);
  });

  it('records mailbox add, edit, pause, resume and removal through the API with the acting admin', async () => {
    const api = pier.api();
    const login = await api.post<{ user: { id: string } }>('/api/auth/login', { email: admin.email, password: admin.password });
    const before = (await records()).length;
    const created = await api.post<{ id: string }>('/api/mailboxes', {
      address: 'sales@acme.test',
      displayName: 'Sales',
      purpose: 'sales',
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await api.request('PATCH', `/api/mailboxes/${id}`, { json: { displayName: 'ACME Sales' } })).status).toBe(200);
    expect((await api.request('PATCH', `/api/mailboxes/${id}`, { json: { status: 'paused' } })).status).toBe(200);
    expect((await api.request('PATCH', `/api/mailboxes/${id}`, { json: { status: 'active' } })).status).toBe(200);
    expect((await api.request('DELETE', `/api/mailboxes/${id}`)).status).toBe(204);
    const rows = (await records()).slice(before);
    expect(rows.map((r) => r.action)).toEqual([
      'mailbox.created',
      'mailbox.updated',
      'mailbox.paused',
      'mailbox.resumed',
      'mailbox.removed',
    ]);
    for (const r of rows) expect(r).toMatchObject({ actor_id: login.body.user.id, target_type: 'mailbox', target_id: id, mailbox_id: id });
    expect(JSON.parse(rows[1]?.details ?? '{}')).toEqual({ address: 'sales@acme.test', changed: ['displayName'], via: 'api' });
    expect(JSON.parse(rows[4]?.details ?? '{}')).toEqual({ address: 'sales@acme.test', purge: false, via: 'api' });
  });

  it('records CLI user creation, mailbox add and access grants, and the chain stays intact', async () => {
    await runCli(database, ['admin', 'create', '--email', 'agent@acme.test', '--password', 'agent password 1', '--role', 'agent']);
    await addMailboxWithCli(database, { address: 'info@acme.test', name: 'Info' });
    await runCli(database, ['admin', 'grant', '--email', 'agent@acme.test', '--mailbox', 'info@acme.test', '--access', 'read']);
    await runCli(database, ['admin', 'grant', '--email', 'agent@acme.test', '--mailbox', 'info@acme.test', '--access', 'reply']);
    const rows = (await records()).slice(-4);
    expect(rows.map((r) => [r.action, r.actor_id, JSON.parse(r.details).via])).toEqual([
      ['user.created', null, 'cli'],
      ['mailbox.created', null, 'cli'],
      ['mailbox_access.granted', null, 'cli'],
      ['mailbox_access.granted', null, 'cli'],
    ]);
    expect(JSON.parse(rows[3]?.details ?? '{}')).toMatchObject({ access: 'reply', previous: 'read' });
    expect(await verifyAuditChain(pier.workspace.db)).toMatchObject({ ok: true, problems: [] });
    // Four CLI processes: each start takes 5–8 s when the machine is loaded.
  }, 90_000);
});
