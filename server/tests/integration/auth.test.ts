import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { startTestPier } from '../support/pier.js';

const admin = { email: 'li.wei@acme.test', name: 'Li Wei', password: 'correct horse battery staple' };

describe.each(engines)('sign-in on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database, { PIER_LOGIN_RATE_LIMIT: '20' });
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  it('asks for setup on a new workspace and refuses the session before it', async () => {
    const api = pier.api();
    expect((await api.get('/api/setup')).body).toEqual({ needsSetup: true, publicUrlConfigured: false });
    expect(await api.get('/api/session')).toMatchObject({ status: 401, body: { error: { code: 'auth.required' } } });
  });

  it('rejects a setup password shorter than 12 characters with a message naming the field', async () => {
    const res = await pier.api().post('/api/setup', { ...admin, password: 'short' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'request.invalid' } });
    expect(JSON.stringify(res.body)).toContain('password');
  });

  it('refuses a public address that is not http(s), naming the field', async () => {
    const res = await pier.api().post('/api/setup', { ...admin, publicUrl: 'javascript:alert(1)' });
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'request.invalid', details: [{ path: '/publicUrl' }] } } });
    expect((await pier.api().get('/api/setup')).body).toEqual({ needsSetup: true, publicUrlConfigured: false });
  });

  it('creates the first super admin once with the public address, signs them in, and answers 409 to a second setup', async () => {
    const api = pier.api();
    const res = await api.post('/api/setup', { ...admin, email: 'Li.Wei@ACME.test', publicUrl: 'https://pier.acme.test/' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ user: { email: admin.email, role: 'super_admin', name: 'Li Wei' }, mailboxes: [] });
    expect((await api.get('/api/session')).status).toBe(200);
    expect((await api.get('/api/setup')).body).toEqual({ needsSetup: false, publicUrlConfigured: true });
    expect((await api.get('/api/security/public-url')).body).toEqual({ publicUrl: 'https://pier.acme.test', source: 'workspace' });
    const again = await pier.api().post('/api/setup', { ...admin, email: 'intruder@evil.test' });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'setup.already_done' } } });
  });

  it('stores the password as an argon2id hash, never as given', async () => {
    const row = await pier.workspace.db
      .selectFrom('users')
      .select('password_hash')
      .where('email', '=', admin.email)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain(admin.password);
  });

  it('answers a wrong password with 401 and a clear code, and a right one with the session', async () => {
    const api = pier.api();
    const wrong = await api.post('/api/auth/login', { email: admin.email, password: 'not the password' });
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: 'auth.invalid_credentials', message: 'wrong email or password' } } });
    const unknown = await api.post('/api/auth/login', { email: 'nobody@acme.test', password: 'whatever it is' });
    expect(unknown.body).toEqual(wrong.body);
    const ok = await api.post('/api/auth/login', { email: admin.email.toUpperCase(), password: admin.password });
    expect(ok.status).toBe(200);
    const cookie = ok.headers.getSetCookie().find((c) => c.startsWith('pier_session='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it('answers malformed JSON with 400 request.malformed_json', async () => {
    const res = await pier.api().post('/api/auth/login', undefined, { rawBody: '{"email": "li.wei@acme.test", ' });
    expect(res).toMatchObject({ status: 400, body: { error: { code: 'request.malformed_json' } } });
  });

  it('answers a body of the wrong shape with 400 request.invalid listing the fields', async () => {
    const res = await pier.api().post('/api/auth/login', { email: 'not-an-email', password: 42 });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'request.invalid' } });
    expect(JSON.stringify(res.body)).toMatch(/email/);
    expect(JSON.stringify(res.body)).toMatch(/password/);
  });

  it('refuses a state-changing request without the CSRF token, or from another origin', async () => {
    const api = pier.api();
    await api.post('/api/auth/login', { email: admin.email, password: admin.password });
    const noToken = await api.post('/api/auth/logout', undefined, { csrf: false });
    expect(noToken).toMatchObject({ status: 403, body: { error: { code: 'csrf.invalid' } } });
    const crossSite = await api.post('/api/auth/logout', undefined, { headers: { origin: 'https://evil.example' } });
    expect(crossSite).toMatchObject({ status: 403, body: { error: { code: 'csrf.invalid' } } });
    expect((await api.get('/api/session')).status).toBe(200);
  });

  it('ends the session on logout, server side', async () => {
    const api = pier.api();
    await api.post('/api/auth/login', { email: admin.email, password: admin.password });
    const stolenCookies = new Map(api.cookies);
    expect((await api.post('/api/auth/logout')).status).toBe(204);
    expect((await api.get('/api/session')).status).toBe(401);
    const replay = pier.api();
    for (const [k, v] of stolenCookies) replay.cookies.set(k, v);
    expect((await replay.get('/api/session')).status).toBe(401);
  });

  it('saves the language choice of a signed-in user', async () => {
    const api = pier.api();
    await api.post('/api/auth/login', { email: admin.email, password: admin.password });
    expect((await api.put('/api/me/preferences', { locale: 'en' })).status).toBe(204);
    expect((await api.get('/api/session')).body).toMatchObject({ user: { locale: 'en' } });
    expect((await api.put('/api/me/preferences', { locale: 'fr' })).status).toBe(400);
  });

  it('rate-limits password guessing with 429 auth.rate_limited', async () => {
    const api = pier.api();
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await api.post('/api/auth/login', { email: admin.email, password: `guess ${i}` })).status);
    expect(statuses).toContain(401);
    expect(statuses.at(-1)).toBe(429);
    const limited = await api.post('/api/auth/login', { email: admin.email, password: admin.password });
    expect(limited).toMatchObject({ status: 429, body: { error: { code: 'auth.rate_limited' } } });
  });

  it('reports database, blob store and SMTP listener in /api/health', async () => {
    const res = await pier.api().get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      checks: {
        database: { ok: true, engine },
        blobStore: { ok: true },
        smtpListener: { ok: true, port: pier.smtpPort },
        clock: { ok: true },
      },
    });
  });

  it('answers unknown API paths with 404 request.not_found', async () => {
    expect(await pier.api().get('/api/nope')).toMatchObject({ status: 404, body: { error: { code: 'request.not_found' } } });
  });
});
