import type { ForwardingAudit, PierForwardingRule } from '@pier/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailbox } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { startTestPier } from '../support/pier.js';
import { ageStepUp } from '../support/step-up.js';
import { nextCode } from '../support/two-factor.js';
import { TEST_PASSWORD as password } from '../support/users.js';

const boss = { email: 'boss@acme.test', name: 'Boss', password: 'correct horse battery staple' };

/**
 * Pier's forwarding rules on both engines: admins only, step-up for every change, every change
 * audited, an external target alerts every admin in the app. (Forwarding itself, through Postfix
 * and Dovecot, is server/tests/mail-live/forwarding-rules.test.ts.)
 */
describe.each(engines)('forwarding rules on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let admin: ApiClient;
  let second: ApiClient;
  let agent: ApiClient;
  let auditor: ApiClient;
  let salesId = '';

  const notificationsOf = (email: string) =>
    pier.workspace.db
      .selectFrom('notifications')
      .innerJoin('users', 'users.id', 'notifications.user_id')
      .select(['notifications.kind', 'notifications.data'])
      .where('users.email', '=', email)
      .where('notifications.kind', '=', 'forwarding.external_rule')
      .execute();
  const auditOf = (action: string) =>
    pier.workspace.db
      .selectFrom('audit_log')
      .select(['actor_id', 'target_id', 'mailbox_id', 'details'])
      .where('action', '=', action)
      .execute();
  /** Makes the session's last password + code check 11 minutes old, like an admin who signed in this morning. */
  const staleStepUp = async (email: string) => {
    const user = await pier.workspace.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    await ageStepUp(pier.workspace.db, user.id);
  };

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database, { PIER_LOGIN_RATE_LIMIT: '100' });
    const { db } = pier.workspace;
    admin = pier.api();
    expect((await admin.post('/api/setup', boss)).status).toBe(201);
    salesId = (await createMailbox(db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' })).id;
    await createMailbox(db, { address: 'info@acme-group.test', displayName: 'Info', purpose: 'inquiry' });
    await createAccount(db, { email: 'second@acme.test', name: 'Second', password, role: 'admin' });
    await createAccount(db, { email: 'agent@acme.test', name: 'Agent', password, role: 'agent' });
    await createAccount(db, { email: 'audit@acme.test', name: 'Audit', password, role: 'auditor' });
    second = pier.api();
    agent = pier.api();
    auditor = pier.api();
    for (const [client, email] of [
      [second, 'second@acme.test'],
      [agent, 'agent@acme.test'],
      [auditor, 'audit@acme.test'],
    ] as const) {
      expect((await client.post('/api/auth/login', { email, password })).status).toBe(200);
    }
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  it('refuses an external forward without a fresh step-up, and creates nothing', async () => {
    await staleStepUp(boss.email);
    const res = await admin.post<{ error: { code: string } }>('/api/forwarding/rules', {
      mailboxId: salesId,
      name: 'Copy to my gmail',
      target: 'boss.private@gmail.test',
    });
    expect(res).toMatchObject({ status: 403, body: { error: { code: 'auth.step_up_required' } } });
    expect(await pier.workspace.db.selectFrom('forwarding_rules').select('id').execute()).toEqual([]);
    expect(await notificationsOf(boss.email)).toEqual([]);
    expect(await auditOf('forwarding_rule.created')).toEqual([]);
  });

  it('after step-up creates it, audits it and alerts every admin (not agents)', async () => {
    expect((await admin.post('/api/auth/step-up', { password: boss.password, code: nextCode(pier.url, boss.email) })).status).toBe(204);
    const res = await admin.post<PierForwardingRule>('/api/forwarding/rules', {
      mailboxId: salesId,
      name: 'Copy to my gmail',
      target: 'Boss.Private@gmail.test',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      mailboxAddress: 'sales@acme.test',
      senderDomain: null,
      target: 'boss.private@gmail.test',
      external: true,
      enabled: true,
      createdByName: 'Boss',
      forwarded: 0,
    });
    for (const email of [boss.email, 'second@acme.test']) {
      const alerts = await notificationsOf(email);
      expect(alerts).toHaveLength(1);
      expect(JSON.parse(alerts[0]?.data ?? '{}')).toMatchObject({
        ruleId: res.body.id,
        mailbox: 'sales@acme.test',
        target: 'boss.private@gmail.test',
        by: boss.email,
      });
    }
    expect(await notificationsOf('agent@acme.test')).toEqual([]);
    const [record] = await auditOf('forwarding_rule.created');
    expect(record).toMatchObject({ target_id: res.body.id, mailbox_id: salesId });
    expect(JSON.parse(record?.details ?? '{}')).toMatchObject({
      external: true,
      target: 'boss.private@gmail.test',
      mailbox: 'sales@acme.test',
    });
  });

  it('an internal target (another mailbox domain) alerts nobody; agents and auditors may not make rules', async () => {
    const res = await admin.post<PierForwardingRule>('/api/forwarding/rules', {
      mailboxId: salesId,
      name: 'Orders to info',
      senderDomain: 'Customer.test',
      target: 'info@acme-group.test',
    });
    expect(res).toMatchObject({ status: 201, body: { external: false, senderDomain: 'customer.test' } });
    expect(await notificationsOf('second@acme.test')).toHaveLength(1);
    expect((await agent.post('/api/forwarding/rules', { mailboxId: salesId, name: 'x', target: 'x@evil.test' })).status).toBe(403);
    expect((await auditor.post('/api/forwarding/rules', { mailboxId: salesId, name: 'x', target: 'x@evil.test' })).status).toBe(403);
    expect((await admin.post('/api/forwarding/rules', { mailboxId: salesId, name: 'x', target: 'not an address' })).status).toBe(400);
    expect(
      (await admin.post('/api/forwarding/rules', { mailboxId: salesId, name: 'x', senderDomain: 'no', target: 'a@b.test' })).status,
    ).toBe(400);
  });

  it('the forwarding audit lists every rule with who made it, when and whether it is external; auditors read it', async () => {
    const res = await auditor.get<ForwardingAudit>('/api/forwarding');
    expect(res.status).toBe(200);
    expect(res.body.companyDomains).toEqual(['acme-group.test', 'acme.test']);
    expect(res.body.pierRules.available).toBe(true);
    expect(res.body.pierRules.items.map((r) => [r.name, r.target, r.external, r.createdByName])).toEqual([
      ['Copy to my gmail', 'boss.private@gmail.test', true, 'Boss'],
      ['Orders to info', 'info@acme-group.test', false, 'Boss'],
    ]);
    for (const rule of res.body.pierRules.items) expect(rule.createdAt).toBeGreaterThan(Date.now() - 120_000);
    expect((await agent.get('/api/forwarding')).status).toBe(403);
  });

  it('turning an internal rule external alerts again; edits and removal are audited and need step-up too', async () => {
    const rules = (await admin.get<ForwardingAudit>('/api/forwarding')).body.pierRules.items;
    const internal = rules.find((r) => !r.external);
    const external = rules.find((r) => r.external);
    const edited = await admin.put<PierForwardingRule>(`/api/forwarding/rules/${internal?.id}`, {
      mailboxId: salesId,
      name: 'Orders to the agent',
      senderDomain: 'customer.test',
      target: 'agent@freemail.test',
    });
    expect(edited).toMatchObject({ status: 200, body: { external: true, name: 'Orders to the agent' } });
    expect(await notificationsOf('second@acme.test')).toHaveLength(2);
    const [update] = await auditOf('forwarding_rule.updated');
    expect(JSON.parse(update?.details ?? '{}')).toMatchObject({
      target: 'agent@freemail.test',
      before: { target: 'info@acme-group.test' },
    });

    await staleStepUp(boss.email);
    expect((await admin.request('DELETE', `/api/forwarding/rules/${external?.id}`)).status).toBe(403);
    expect((await admin.post('/api/auth/step-up', { password: boss.password, code: nextCode(pier.url, boss.email) })).status).toBe(204);
    expect((await admin.request('DELETE', `/api/forwarding/rules/${external?.id}`)).status).toBe(204);
    expect((await admin.request('DELETE', `/api/forwarding/rules/${external?.id}`)).status).toBe(404);
    const [removal] = await auditOf('forwarding_rule.removed');
    expect(removal).toMatchObject({ target_id: external?.id, mailbox_id: salesId });
    expect(JSON.parse(removal?.details ?? '{}')).toMatchObject({ target: 'boss.private@gmail.test' });
    const verify = await auditor.get<{ ok: boolean }>('/api/audit/verify');
    expect(verify.body.ok).toBe(true);
  });
});
