import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/modules/security/index.js';
import { saveSecurityPolicy } from '../../src/modules/security/security-policy.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { startTestPier } from '../support/pier.js';

const password = 'a long enough password';
type Records = { items: { result: string; ip: string | null; email: string }[] };

describe.each(engines)('sign-in hardening on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let boss: ApiClient;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database, { PIER_LOGIN_RATE_LIMIT: '200' });
    const { db } = pier.workspace;
    ids.boss = (await createAccount(db, { email: 'boss@acme.test', name: 'Boss', password, role: 'super_admin' })).id;
    ids.deputy = (await createAccount(db, { email: 'deputy@acme.test', name: 'Deputy', password, role: 'super_admin' })).id;
    ids.admin = (await createAccount(db, { email: 'admin@acme.test', name: 'Admin', password, role: 'admin' })).id;
    ids.guesser = (await createAccount(db, { email: 'guesser@acme.test', name: 'Guesser', password, role: 'agent' })).id;
    boss = pier.api();
    expect((await boss.post('/api/auth/login', { email: 'boss@acme.test', password })).status).toBe(200);
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  it('refuses an admin who removes a super admin’s second factor, and lets another super admin do it', async () => {
    const admin = pier.api();
    expect((await admin.post('/api/auth/login', { email: 'admin@acme.test', password })).status).toBe(200);
    const refused = await admin.request('DELETE', `/api/users/${ids.boss}/two-factor`);
    expect(refused).toMatchObject({
      status: 403,
      body: { error: { code: 'auth.forbidden', message: 'only a super admin can reset the two-factor sign-in of a super admin' } },
    });
    // Nothing changed: the super admin's session lives, the factor stays, the next sign-in asks for it (no re-enrolment).
    expect((await boss.get('/api/session')).status).toBe(200);
    const users = (await boss.get<{ items: { id: string; twoFactor: boolean }[] }>('/api/users')).body.items;
    expect(users.find((u) => u.id === ids.boss)).toMatchObject({ twoFactor: true });
    const again = pier.api({ secondFactor: 'manual' });
    expect((await again.post('/api/auth/login', { email: 'boss@acme.test', password })).body).toMatchObject({ secondFactor: 'verify' });
    expect(await pier.workspace.db.selectFrom('audit_log').select('seq').where('action', '=', 'user.two_factor_reset').execute()).toEqual(
      [],
    );

    const deputy = pier.api();
    expect((await deputy.post('/api/auth/login', { email: 'deputy@acme.test', password })).status).toBe(200);
    const reset = await deputy.request('DELETE', `/api/users/${ids.boss}/two-factor`);
    expect(reset).toMatchObject({ status: 204, body: undefined });
    expect((await boss.get('/api/session')).status).toBe(401);
    const fresh = pier.api({ secondFactor: 'manual' });
    expect((await fresh.post('/api/auth/login', { email: 'boss@acme.test', password })).body).toMatchObject({ secondFactor: 'enrol' });
    boss = pier.api();
    expect((await boss.post('/api/auth/login', { email: 'boss@acme.test', password })).status).toBe(200);
  });

  it('answers a locked account exactly like an unknown address, even with the right password, and tells its owner by alert', async () => {
    const api = pier.api();
    for (let i = 0; i < 5; i++) {
      expect((await api.post('/api/auth/login', { email: 'guesser@acme.test', password: `guess ${i} guess` })).status).toBe(401);
    }
    const unknown = await pier.api().post('/api/auth/login', { email: 'nobody@acme.test', password: 'some guess or other' });
    const lockedRight = await pier.api().post('/api/auth/login', { email: 'guesser@acme.test', password });
    const lockedWrong = await pier.api().post('/api/auth/login', { email: 'guesser@acme.test', password: 'another guess here' });
    const expected = { status: 401, body: { error: { code: 'auth.invalid_credentials', message: 'wrong email or password' } } };
    for (const answer of [unknown, lockedRight, lockedWrong]) expect({ status: answer.status, body: answer.body }).toEqual(expected);
    expect(lockedRight.headers.get('retry-after')).toBeNull();

    // The owner learns why from the locked_out alert (in-app, and by mail when a system mailbox is set).
    const alerts = (await boss.get<{ items: { userEmail: string; kind: string }[] }>('/api/security/alerts')).body.items;
    expect(alerts.filter((a) => a.userEmail === 'guesser@acme.test').map((a) => a.kind)).toContain('locked_out');
    const records = (await boss.get<Records>(`/api/security/logins?userId=${ids.guesser}`)).body.items;
    expect(records.slice(0, 2).map((r) => r.result)).toEqual(['locked', 'locked']);
    const audit = await pier.workspace.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'user.login_failed')
      .where('target_id', '=', ids.guesser ?? '')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details)).toMatchObject({ reason: 'locked' });
  });

  it('ignores a forged X-Forwarded-For while PIER_TRUST_PROXY is unset', async () => {
    const api = pier.api();
    const login = await api.post(
      '/api/auth/login',
      { email: 'admin@acme.test', password },
      { headers: { 'x-forwarded-for': '203.0.113.50' } },
    );
    expect(login.status).toBe(200);
    const records = (await api.get<Records>('/api/me/logins')).body.items;
    expect(records.length).toBeGreaterThan(0);
    expect(new Set(records.map((r) => r.ip))).toEqual(new Set(['127.0.0.1']));
  });
});

describe.each(engines)('behind a reverse proxy (PIER_TRUST_PROXY) on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    // The test process is the proxy, on loopback; three sign-in attempts a minute per client address.
    pier = await startTestPier(database, { PIER_TRUST_PROXY: '127.0.0.1', PIER_LOGIN_RATE_LIMIT: '3' });
    await createAccount(pier.workspace.db, { email: 'admin@acme.test', name: 'Admin', password, role: 'admin' });
    // Sign-in completes with the password (the success record is then the forwarded request's, not a later 2FA step's).
    await saveSecurityPolicy(pier.workspace.db, { requireTwoFactor: false });
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  const from = (ip: string) => ({ headers: { 'x-forwarded-for': ip } });

  it('records the forwarded client address on the login record and the session', async () => {
    const api = pier.api();
    expect((await api.post('/api/auth/login', { email: 'admin@acme.test', password }, from('203.0.113.7'))).status).toBe(200);
    expect((await api.get<Records>('/api/me/logins')).body.items[0]).toMatchObject({ result: 'success', ip: '203.0.113.7' });
    const sessions = (await api.get<{ items: { ip: string; current: boolean }[] }>('/api/me/sessions')).body.items;
    expect(sessions.find((s) => s.current)).toMatchObject({ ip: '203.0.113.7' });
  });

  it('rate-limits sign-in per forwarded client address, not per proxy', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const answer = await pier
        .api()
        .post('/api/auth/login', { email: 'admin@acme.test', password: `wrong ${i} guess` }, from('198.51.100.1'));
      statuses.push(answer.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
    // Another client behind the same proxy still signs in.
    const other = await pier.api().post('/api/auth/login', { email: 'admin@acme.test', password }, from('198.51.100.2'));
    expect(other).toMatchObject({ status: 200, body: { user: { email: 'admin@acme.test' } } });
  });
});
