import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/modules/audit/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { startTestPier } from '../support/pier.js';
import { nextCode, rememberAuthenticator } from '../support/two-factor.js';
import { TEST_PASSWORD as password } from '../support/users.js';

type Notifications = { items: { kind: string; data: Record<string, unknown> }[] };

/**
 * Every account and security action writes exactly one audit record, chained, naming who did
 * it (actor) and to whom (target), inside the transaction of the change. Each step below takes
 * the chain head, does one action through the API, and reads what was appended after it.
 */
describe.each(engines)('account and security actions leave one audit record each on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let boss: ApiClient;
  const ids = {} as Record<'boss' | 'admin' | 'agent' | 'target', string>;
  let head = 0;

  /** Records appended since the last call (the scheduled quarterly report is not an account action). */
  async function appended() {
    const rows = await pier.workspace.db
      .selectFrom('audit_log')
      .select(['seq', 'actor_id', 'action', 'target_type', 'target_id', 'ip', 'details'])
      .where('seq', '>', head)
      .where('action', '!=', 'audit.report_generated')
      .orderBy('seq')
      .execute();
    const last = await pier.workspace.db.selectFrom('audit_chain').select('last_seq').executeTakeFirstOrThrow();
    head = Number(last.last_seq);
    return rows.map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
  }

  async function expectOne(action: string, actor: string | null, target: string | null, details: Record<string, unknown> = {}) {
    const rows = await appended();
    expect(rows.map((r) => r.action)).toEqual([action]);
    expect(rows[0]).toMatchObject({ actor_id: actor, target_id: target, ip: '127.0.0.1', details: { via: 'api', ...details } });
  }

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database, { PIER_LOGIN_RATE_LIMIT: '500' });
    const { db } = pier.workspace;
    ids.boss = (await createAccount(db, { email: 'boss@acme.test', name: 'Boss', password, role: 'super_admin' })).id;
    ids.admin = (await createAccount(db, { email: 'admin@acme.test', name: 'Admin', password, role: 'admin' })).id;
    boss = pier.api();
    expect((await boss.post('/api/auth/login', { email: 'boss@acme.test', password })).status).toBe(200);
    await appended();
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  it('records an invitation sent and accepted, and the new user’s enrolment', async () => {
    const invite = await boss.post<{ link: string }>('/api/users/invitations', { email: 'new@acme.test', name: 'New', role: 'agent' });
    expect(invite.status).toBe(201);
    ids.agent = (
      await pier.workspace.db.selectFrom('users').select('id').where('email', '=', 'new@acme.test').executeTakeFirstOrThrow()
    ).id;
    await expectOne('user.invited', ids.boss, ids.agent, { email: 'new@acme.test', role: 'agent' });

    const agent = pier.api({ secondFactor: 'manual' });
    const token = new URL(invite.body.link).hash.replace('#token=', '');
    expect((await agent.post('/api/auth/invitation/accept', { token, password })).body).toMatchObject({ secondFactor: 'enrol' });
    await expectOne('user.invitation_accepted', ids.agent, ids.agent, { issuedBy: ids.boss });

    const enrolment = await agent.post<{ secret: string }>('/api/me/two-factor/totp');
    rememberAuthenticator(pier.url, 'new@acme.test', enrolment.body.secret);
    const confirmed = await agent.post<{ codes: string[] }>('/api/me/two-factor/totp/confirm', {
      code: nextCode(pier.url, 'new@acme.test'),
    });
    expect(confirmed.status).toBe(200);
    rememberAuthenticator(pier.url, 'new@acme.test', enrolment.body.secret, confirmed.body.codes);
    await expectOne('user.two_factor_enrolled', ids.agent, ids.agent, { method: 'totp' });

    expect((await agent.post('/api/me/two-factor/recovery-codes')).status).toBe(200);
    await expectOne('user.recovery_codes_regenerated', ids.agent, ids.agent);
  });

  it('records role changes with the previous role, and nothing when the role stays the same', async () => {
    expect((await boss.request('PATCH', `/api/users/${ids.agent}/role`, { json: { role: 'auditor' } })).status).toBe(204);
    await expectOne('user.role_changed', ids.boss, ids.agent, { role: 'auditor', previous: 'agent' });
    expect((await boss.request('PATCH', `/api/users/${ids.agent}/role`, { json: { role: 'auditor' } })).status).toBe(204);
    expect(await appended()).toEqual([]);
    expect((await boss.request('PATCH', `/api/users/${ids.agent}/role`, { json: { role: 'agent' } })).status).toBe(204);
    await expectOne('user.role_changed', ids.boss, ids.agent, { role: 'agent', previous: 'auditor' });
  });

  it('records session revocations: one, and all of a user’s', async () => {
    const a = pier.api();
    const b = pier.api();
    await a.post('/api/auth/login', { email: 'new@acme.test', password });
    await b.post('/api/auth/login', { email: 'new@acme.test', password });
    await appended(); // the two sign-ins
    const sessions = await boss.get<{ items: { id: string }[] }>(`/api/users/${ids.agent}/sessions`);
    const one = sessions.body.items[0]?.id ?? '';
    expect((await boss.request('DELETE', `/api/users/${ids.agent}/sessions/${one}`)).status).toBe(204);
    await expectOne('session.revoked', ids.boss, ids.agent, { sessionId: one, count: 1 });
    const left = sessions.body.items.length - 1;
    expect(left).toBeGreaterThanOrEqual(1);
    expect((await boss.request('DELETE', `/api/users/${ids.agent}/sessions`)).body).toMatchObject({ revoked: left });
    await expectOne('session.revoked', ids.boss, ids.agent, { count: left });
    // Nothing left to end: nothing recorded.
    expect((await boss.request('DELETE', `/api/users/${ids.agent}/sessions`)).body).toMatchObject({ revoked: 0 });
    expect(await appended()).toEqual([]);
  });

  it('records an admin’s password-reset link and the reset done with it', async () => {
    const reset = await boss.post<{ link: string }>(`/api/users/${ids.agent}/password-reset`);
    expect(reset.status).toBe(201);
    await expectOne('user.password_reset_requested', ids.boss, ids.agent, { by: 'admin' });
    const token = new URL(reset.body.link).hash.replace('#token=', '');
    expect((await pier.api().post('/api/auth/password-reset/complete', { token, password: 'the new agent password' })).status).toBe(204);
    await expectOne('user.password_reset', ids.agent, ids.agent, { issuedBy: ids.boss });
  });

  it('records an admin’s two-factor reset, with the factors removed and the sessions ended', async () => {
    expect((await boss.request('DELETE', `/api/users/${ids.agent}/two-factor`)).status).toBe(204);
    await expectOne('user.two_factor_reset', ids.boss, ids.agent, { totp: true, passkeys: 0, sessionsRevoked: 0 });
  });

  it('records deactivation and reactivation', async () => {
    expect((await boss.post(`/api/users/${ids.agent}/deactivate`)).body).toEqual({ unassigned: 0, reassigned: 0, customers: 0 });
    await expectOne('user.deactivated', ids.boss, ids.agent, { unassigned: 0 });
    expect((await boss.post(`/api/users/${ids.agent}/reactivate`)).status).toBe(204);
    await expectOne('user.reactivated', ids.boss, ids.agent);
  });

  it('records policy changes, and a user removing their own second factor once the policy allows it', async () => {
    expect((await boss.put('/api/security/policy', { requireTwoFactor: false })).status).toBe(200);
    await expectOne('security.policy_changed', ids.boss, null, { requireTwoFactor: false, previous: { requireTwoFactor: true } });
    expect((await boss.request('DELETE', '/api/me/two-factor')).status).toBe(204);
    await expectOne('user.two_factor_removed', ids.boss, ids.boss, { totp: true, passkeys: 0 });
    expect((await boss.put('/api/security/policy', { requireTwoFactor: true })).status).toBe(200);
    await expectOne('security.policy_changed', ids.boss, null, { requireTwoFactor: true, previous: { requireTwoFactor: false } });
  });

  it('tells the user and every admin in-app about an unusual sign-in (a lockout), once each', async () => {
    const { db } = pier.workspace;
    ids.target = (await createAccount(db, { email: 'target@acme.test', name: 'Target', password, role: 'agent' })).id;
    for (let i = 0; i < 5; i++) await pier.api().post('/api/auth/login', { email: 'target@acme.test', password: 'wrong password!!' });
    const alerts = await db.selectFrom('security_alerts').select(['id', 'kind']).where('user_id', '=', ids.target).execute();
    expect(alerts.map((a) => a.kind)).toContain('locked_out');
    const lockout = alerts.find((a) => a.kind === 'locked_out');
    const rows = await db
      .selectFrom('notifications')
      .select(['user_id', 'kind', 'data'])
      .where('kind', '=', 'security_alert')
      .where('data', 'like', `%${lockout?.id}%`)
      .execute();
    expect(rows.map((r) => r.user_id).sort()).toEqual([ids.boss, ids.admin, ids.target].sort());
    // Through the API: the admin sees it among their notifications, about whom and what.
    const admin = pier.api();
    await admin.post('/api/auth/login', { email: 'admin@acme.test', password });
    const listed = await admin.get<Notifications>('/api/notifications');
    expect(listed.body.items.find((n) => n.kind === 'security_alert' && n.data.alertId === lockout?.id)?.data).toMatchObject({
      alertKind: 'locked_out',
      userId: ids.target,
      userEmail: 'target@acme.test',
    });
  });

  it('keeps the chain intact after all of it', async () => {
    expect(await verifyAuditChain(pier.workspace.db)).toMatchObject({ ok: true, problems: [] });
  });
});
