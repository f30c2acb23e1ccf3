import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from '@pier/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { startTestPier } from '../support/pier.js';
import { knownAuthenticator, nextCode, rememberAuthenticator, totpCode } from '../support/two-factor.js';
import { TEST_PASSWORD as password } from '../support/users.js';

const boss = { email: 'li.wei@acme.test', name: 'Li Wei', password: 'correct horse battery staple' };
const chromeWindows = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

describe.each(engines)('two-factor sign-in, step-up, lockout and unusual logins on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let admin: ApiClient;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database, { PIER_LOGIN_RATE_LIMIT: '200' });
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  /** A sign-in from another address than loopback, straight into the app (the socket would say 127.0.0.1). */
  async function loginFrom(ip: string, email: string, secret: string | null, userAgent = chromeWindows) {
    const headers = { [CSRF_HEADER]: 'csrf-token-for-tests', cookie: `${CSRF_COOKIE}=csrf-token-for-tests`, 'user-agent': userAgent };
    const login = await pier.http.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: ip,
      headers,
      payload: { email, password },
    });
    if (login.statusCode !== 200 || !secret) return login;
    const session = login.cookies.find((c) => c.name === SESSION_COOKIE)?.value;
    return pier.http.inject({
      method: 'POST',
      url: '/api/auth/second-factor',
      remoteAddress: ip,
      headers: { ...headers, cookie: `${headers.cookie}; ${SESSION_COOKIE}=${session}` },
      payload: { code: nextCode(pier.url, email) },
    });
  }

  it('makes the first super admin enrol before anything else, with a QR code and ten recovery codes', async () => {
    admin = pier.api({ secondFactor: 'manual' });
    const setup = await admin.post('/api/setup', boss);
    expect(setup).toMatchObject({ status: 201, body: { secondFactor: 'enrol', mailboxes: [] } });
    expect(await admin.get('/api/conversations')).toMatchObject({ status: 403, body: { error: { code: 'auth.enrolment_required' } } });
    expect(await admin.get('/api/mailboxes')).toMatchObject({ status: 403, body: { error: { code: 'auth.enrolment_required' } } });
    expect((await admin.get('/api/session')).body).toMatchObject({ secondFactor: 'enrol' });
    expect((await admin.post('/api/auth/second-factor', { code: '123456' })).status).toBe(403);

    const enrolment = await admin.post<{ secret: string; otpauthUri: string; qrCodeDataUrl: string }>('/api/me/two-factor/totp');
    expect(enrolment.status).toBe(200);
    expect(enrolment.body.otpauthUri).toMatch(/^otpauth:\/\/totp\/Pier:li\.wei%40acme\.test\?.*secret=/);
    expect(enrolment.body.qrCodeDataUrl).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(enrolment.body.qrCodeDataUrl.split(',')[1] ?? '', 'base64').toString()).toContain('<svg');
    const stored = await pier.workspace.db.selectFrom('totp_factors').select('secret_enc').executeTakeFirstOrThrow();
    expect(stored.secret_enc).not.toContain(enrolment.body.secret);

    const wrong = totpCode(enrolment.body.secret, Date.now() + 10 * 60_000);
    expect(await admin.post('/api/me/two-factor/totp/confirm', { code: wrong })).toMatchObject({
      status: 400,
      body: { error: { code: 'two_factor.invalid_code' } },
    });
    rememberAuthenticator(pier.url, boss.email, enrolment.body.secret);
    const confirmed = await admin.post<{ codes: string[] }>('/api/me/two-factor/totp/confirm', { code: nextCode(pier.url, boss.email) });
    expect(confirmed.status).toBe(200);
    expect(new Set(confirmed.body.codes).size).toBe(10);
    for (const code of confirmed.body.codes) expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    rememberAuthenticator(pier.url, boss.email, enrolment.body.secret, confirmed.body.codes);
    expect((await admin.get('/api/conversations')).status).toBe(200);
    expect((await admin.get('/api/me/two-factor')).body).toEqual({
      enrolled: true,
      totp: true,
      passkeys: 0,
      recoveryCodesLeft: 10,
      requiredByPolicy: true,
    });

    for (const who of ['agent', 'guesser', 'traveller', 'relaxed']) {
      ids[who] = (await createAccount(pier.workspace.db, { email: `${who}@acme.test`, name: who, password, role: 'agent' })).id;
    }
  });

  it('asks an enrolled user for a code at sign-in; each code and each recovery code works once', async () => {
    const api = pier.api({ secondFactor: 'manual' });
    expect((await api.post('/api/auth/login', { email: boss.email, password: boss.password })).body).toMatchObject({
      secondFactor: 'verify',
      mailboxes: [],
    });
    expect(await api.get('/api/conversations')).toMatchObject({ status: 403, body: { error: { code: 'auth.second_factor_required' } } });
    expect((await api.post('/api/me/two-factor/totp')).status).toBe(403);
    expect(await api.post('/api/auth/second-factor', { code: '000000' })).toMatchObject({ status: 400 });
    const code = nextCode(pier.url, boss.email);
    expect(await api.post('/api/auth/second-factor', { code })).toMatchObject({ status: 200, body: { secondFactor: 'done' } });
    expect((await api.get('/api/conversations')).status).toBe(200);

    const replay = pier.api({ secondFactor: 'manual' });
    await replay.post('/api/auth/login', { email: boss.email, password: boss.password });
    expect(await replay.post('/api/auth/second-factor', { code })).toMatchObject({
      status: 400,
      body: { error: { code: 'two_factor.invalid_code' } },
    });
    const recovery = knownAuthenticator(pier.url, boss.email)?.recoveryCodes.pop() ?? '';
    expect((await replay.post('/api/auth/second-factor', { code: recovery.toUpperCase() })).status).toBe(200);
    const again = pier.api({ secondFactor: 'manual' });
    await again.post('/api/auth/login', { email: boss.email, password: boss.password });
    expect((await again.post('/api/auth/second-factor', { code: recovery })).status).toBe(400);
    expect((await admin.get('/api/me/two-factor')).body).toMatchObject({ recoveryCodesLeft: 9 });
  });

  it('needs a fresh step-up (password + code within 10 minutes) for role changes and mailbox credentials', async () => {
    const api = pier.api();
    await api.post('/api/auth/login', { email: boss.email, password: boss.password });
    expect((await api.request('PATCH', `/api/users/${ids.agent}/role`, { json: { role: 'auditor' } })).status).toBe(204);
    // Eleven minutes pass.
    await pier.workspace.db
      .updateTable('sessions')
      .set({ reauth_at: Date.now() - 11 * 60_000 })
      .execute();
    expect(await api.request('PATCH', `/api/users/${ids.agent}/role`, { json: { role: 'agent' } })).toMatchObject({
      status: 403,
      body: { error: { code: 'auth.step_up_required' } },
    });
    const connection = {
      preset: 'other',
      imap: { host: '127.0.0.1', port: 1, tls: 'none', user: 'x@acme.test' },
      smtp: { host: '127.0.0.1', port: 1, tls: 'none', user: 'x@acme.test' },
      authMethod: 'password',
      password: 'mailbox secret',
      syncFolders: ['inbox'],
      syncSinceDays: null,
    };
    const withSecret = { address: 'x@acme.test', displayName: 'X', purpose: 'sales', connection };
    expect(await api.post('/api/mailboxes', withSecret)).toMatchObject({ status: 403, body: { error: { code: 'auth.step_up_required' } } });
    const plain = await api.post<{ id: string }>('/api/mailboxes', { address: 'y@acme.test', displayName: 'Y', purpose: 'sales' });
    expect(plain.status).toBe(201);
    expect((await api.request('PATCH', `/api/mailboxes/${plain.body.id}`, { json: { displayName: 'Y2' } })).status).toBe(200);
    expect((await api.request('PATCH', `/api/mailboxes/${plain.body.id}`, { json: { connection } })).status).toBe(403);

    expect(await api.post('/api/auth/step-up', { password: 'not my password' })).toMatchObject({ status: 400 });
    expect(await api.post('/api/auth/step-up', { password: boss.password })).toMatchObject({
      status: 400,
      body: { error: { code: 'two_factor.invalid_code' } },
    });
    expect((await api.post('/api/auth/step-up', { password: boss.password, code: nextCode(pier.url, boss.email) })).status).toBe(204);
    expect((await api.request('PATCH', `/api/users/${ids.agent}/role`, { json: { role: 'agent' } })).status).toBe(204);
    expect((await api.post('/api/mailboxes', withSecret)).status).toBe(201);
  });

  it('lets an admin reset a user’s second factor: their sessions end and the next sign-in enrols again', async () => {
    const agent = pier.api();
    expect((await agent.post('/api/auth/login', { email: 'agent@acme.test', password })).body).toMatchObject({ secondFactor: 'done' });
    const api = pier.api();
    await api.post('/api/auth/login', { email: boss.email, password: boss.password });
    expect((await api.request('DELETE', `/api/users/${ids.agent}/two-factor`)).status).toBe(204);
    expect((await agent.get('/api/session')).status).toBe(401);
    const fresh = pier.api({ secondFactor: 'manual' });
    expect((await fresh.post('/api/auth/login', { email: 'agent@acme.test', password })).body).toMatchObject({ secondFactor: 'enrol' });
  });

  it('lets the super admin turn the policy off: a user without a second factor then signs in with the password', async () => {
    const api = pier.api();
    await api.post('/api/auth/login', { email: boss.email, password: boss.password });
    expect((await api.get('/api/security/policy')).body).toEqual({ requireTwoFactor: true });
    expect((await api.put('/api/security/policy', { requireTwoFactor: false })).body).toEqual({ requireTwoFactor: false });
    const relaxed = pier.api({ secondFactor: 'manual' });
    expect((await relaxed.post('/api/auth/login', { email: 'relaxed@acme.test', password })).body).toMatchObject({ secondFactor: 'done' });
    expect((await relaxed.get('/api/conversations')).status).toBe(200);
    expect((await relaxed.put('/api/security/policy', { requireTwoFactor: true })).status).toBe(403);
    expect((await api.put('/api/security/policy', { requireTwoFactor: true })).body).toEqual({ requireTwoFactor: true });
    expect((await relaxed.get('/api/session')).body).toMatchObject({ secondFactor: 'done' });
  });

  it('locks an account after five wrong passwords, even for the right one, and alerts', async () => {
    const api = pier.api();
    for (let i = 0; i < 5; i++)
      expect((await api.post('/api/auth/login', { email: 'guesser@acme.test', password: `guess ${i} guess` })).status).toBe(401);
    // Answered like a wrong password (sign-in-hardening.test.ts compares it with an unknown address); the owner gets the alert.
    const locked = await api.post('/api/auth/login', { email: 'guesser@acme.test', password });
    expect(locked).toMatchObject({ status: 401, body: { error: { code: 'auth.invalid_credentials' } } });
    const lock = await pier.workspace.db
      .selectFrom('login_throttles')
      .select('locked_until')
      .where('key', '=', `user:${ids.guesser}`)
      .executeTakeFirstOrThrow();
    expect((lock.locked_until ?? 0) - Date.now()).toBeGreaterThan(50_000);
    expect((lock.locked_until ?? 0) - Date.now()).toBeLessThanOrEqual(60_000);

    const bossApi = pier.api();
    await bossApi.post('/api/auth/login', { email: boss.email, password: boss.password });
    const alerts = (await bossApi.get<{ items: { userEmail: string; kind: string }[] }>('/api/security/alerts')).body.items;
    expect(
      alerts
        .filter((a) => a.userEmail === 'guesser@acme.test')
        .map((a) => a.kind)
        .sort(),
    ).toEqual(['failure_burst', 'locked_out']);
    const records = (await bossApi.get<{ items: { result: string; ip: string }[] }>(`/api/security/logins?userId=${ids.guesser}`)).body
      .items;
    expect(records.map((r) => r.result)).toEqual([
      'locked',
      'bad_password',
      'bad_password',
      'bad_password',
      'bad_password',
      'bad_password',
    ]);
    expect(records[0]?.ip).toBe('127.0.0.1');
    // The user lock is theirs alone: others still sign in from the same address.
    expect((await pier.api().post('/api/auth/login', { email: 'relaxed@acme.test', password })).status).toBe(200);
  });

  it('locks an address after twenty failures, whoever it tries', async () => {
    for (let i = 0; i < 20; i++) expect((await loginFrom('203.0.113.9', `nobody${i}@acme.test`, null)).statusCode).toBe(401);
    const blocked = await loginFrom('203.0.113.9', 'traveller@acme.test', null);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json()).toMatchObject({ error: { code: 'auth.locked_out' } });
    expect((await loginFrom('203.0.113.10', 'relaxed@acme.test', null)).statusCode).toBe(200);
  });

  it('records country and device, and alerts the user and admins about a new country, a new device and impossible travel', async () => {
    const traveller = pier.api();
    await traveller.post('/api/auth/login', { email: 'traveller@acme.test', password }); // enrols, from loopback
    const fromUs = await loginFrom('8.8.8.8', 'traveller@acme.test', 'yes');
    expect(fromUs.statusCode).toBe(200);
    const fromKorea = await loginFrom('123.45.67.8', 'traveller@acme.test', 'yes');
    expect(fromKorea.statusCode).toBe(200);

    const mine = (
      await traveller.get<{ items: { result: string; country: string | null; device: string; anomalies: string[] }[] }>('/api/me/logins')
    ).body.items;
    expect(mine.filter((r) => r.result === 'success').map((r) => [r.country, r.device, r.anomalies])).toEqual([
      ['KR', 'Chrome on Windows', ['new_country', 'impossible_travel']],
      ['US', 'Chrome on Windows', ['new_country', 'new_device']],
      [null, expect.any(String), []],
    ]);
    const ownAlerts = (await traveller.get<{ items: { kind: string; userEmail: string }[] }>('/api/security/alerts')).body.items;
    expect(ownAlerts.map((a) => a.kind).sort()).toEqual(['impossible_travel', 'new_country', 'new_country', 'new_device']);
    expect(new Set(ownAlerts.map((a) => a.userEmail))).toEqual(new Set(['traveller@acme.test']));
    const bossApi = pier.api();
    await bossApi.post('/api/auth/login', { email: boss.email, password: boss.password });
    const everyone = (await bossApi.get<{ items: { userEmail: string }[] }>('/api/security/alerts')).body.items;
    expect(new Set(everyone.map((a) => a.userEmail))).toEqual(new Set(['traveller@acme.test', 'guesser@acme.test']));
  });
});
