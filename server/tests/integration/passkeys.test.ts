import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { startTestPier } from '../support/pier.js';
import { nextCode } from '../support/two-factor.js';
import { TEST_PASSWORD as password } from '../support/users.js';

/** A well-formed answer that no authenticator made: the server must refuse it without a challenge or with a wrong one. */
const forged = {
  id: 'Zm9yZ2Vk',
  rawId: 'Zm9yZ2Vk',
  type: 'public-key',
  response: { clientDataJSON: 'e30', authenticatorData: 'AAAA', signature: 'AAAA' },
  clientExtensionResults: {},
};

/**
 * The passkey API's refusals (the ceremony itself runs in Chromium: browser/passkeys.test.ts).
 * Challenges are per session and single-use; an answer without one is refused before any check.
 */
describe.each(engines)('passkey API refusals on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database, { PIER_LOGIN_RATE_LIMIT: '200' });
    await createAccount(pier.workspace.db, { email: 'wu@acme.test', name: 'Wu', password, role: 'agent' });
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  it('offers registration at enrolment, refuses an answer without its challenge or a forged one, and relying parties off loopback', async () => {
    const api = pier.api({ secondFactor: 'manual' });
    expect((await api.post('/api/auth/login', { email: 'wu@acme.test', password })).body).toMatchObject({ secondFactor: 'enrol' });
    expect(await api.post('/api/me/passkeys', { name: 'Key', response: forged })).toMatchObject({
      status: 400,
      body: { error: { code: 'passkey.challenge_expired' } },
    });
    // Without PIER_PUBLIC_URL only a loopback host is a relying party: a passkey made for a spoofed Host would be useless.
    const elsewhere = await pier.http.inject({
      method: 'POST',
      url: '/api/me/passkeys/options',
      headers: { host: 'pier.example.com', cookie: cookieOf(api.cookies), 'x-csrf-token': csrfOf(api.cookies) },
    });
    expect(elsewhere.json()).toMatchObject({ error: { code: 'passkey.unavailable' } });
    const options = await pier.http.inject({
      method: 'POST',
      url: '/api/me/passkeys/options',
      headers: { host: `localhost:${new URL(pier.url).port}`, cookie: cookieOf(api.cookies), 'x-csrf-token': csrfOf(api.cookies) },
    });
    expect(options.statusCode).toBe(200);
    expect(options.json()).toMatchObject({ rp: { id: 'localhost', name: 'Pier' }, user: { name: 'wu@acme.test' } });
    const registered = await pier.http.inject({
      method: 'POST',
      url: '/api/me/passkeys',
      headers: { host: `localhost:${new URL(pier.url).port}`, cookie: cookieOf(api.cookies), 'x-csrf-token': csrfOf(api.cookies) },
      payload: { name: 'Key', response: forged },
    });
    expect(registered.json()).toMatchObject({ error: { code: 'passkey.invalid' } });
    expect(await pier.workspace.db.selectFrom('passkeys').selectAll().execute()).toEqual([]);
  });

  it('asks for exactly one of code and passkey, and has no challenge for an account without passkeys', async () => {
    const api = pier.api();
    expect((await api.post('/api/auth/login', { email: 'wu@acme.test', password })).status).toBe(200); // enrols TOTP
    const again = pier.api({ secondFactor: 'manual' });
    expect((await again.post('/api/auth/login', { email: 'wu@acme.test', password })).body).toMatchObject({ secondFactor: 'verify' });
    expect(await again.post('/api/auth/second-factor', {})).toMatchObject({ status: 400, body: { error: { code: 'request.invalid' } } });
    expect(await again.post('/api/auth/second-factor', { code: nextCode(pier.url, 'wu@acme.test'), passkey: forged })).toMatchObject({
      status: 400,
      body: { error: { code: 'request.invalid' } },
    });
    expect(await again.post('/api/auth/passkey-challenge')).toMatchObject({ status: 409, body: { error: { code: 'passkey.none' } } });
    // A passkey answer without a challenge is refused; the session still owes its second factor.
    expect(await again.post('/api/auth/second-factor', { passkey: forged })).toMatchObject({
      status: 400,
      body: { error: { code: 'passkey.challenge_expired' } },
    });
    expect((await again.get('/api/conversations')).status).toBe(403);
    expect((await api.get<{ items: unknown[] }>('/api/me/passkeys')).body).toEqual({ items: [] });
    expect(await api.request('DELETE', '/api/me/passkeys/nope')).toMatchObject({
      status: 404,
      body: { error: { code: 'passkey.not_found' } },
    });
    expect(await api.request('PATCH', '/api/me/passkeys/nope', { json: { name: 'x' } })).toMatchObject({ status: 404 });
  });
});

function cookieOf(cookies: Map<string, string>): string {
  return [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}
function csrfOf(cookies: Map<string, string>): string {
  return cookies.get('pier_csrf') ?? '';
}
