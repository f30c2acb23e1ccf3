import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { startTestPier } from '../support/pier.js';

const password = 'correct horse battery staple';
const boss = { email: 'boss@acme.test', name: 'Boss', password };
const limit = 40;

describe('PIER_API_RATE_LIMIT parsing', () => {
  it('defaults to 1200 a minute, takes 0 as off and refuses a bad value with a message naming the variable', () => {
    expect(loadConfig({}).apiRateLimitPerMinute).toBe(1200);
    expect(loadConfig({}, { PIER_API_RATE_LIMIT: '0' }).apiRateLimitPerMinute).toBe(0);
    expect(loadConfig({}, { PIER_API_RATE_LIMIT: '300' }).apiRateLimitPerMinute).toBe(300);
    for (const bad of ['-1', '1.5', 'lots']) {
      expect(() => loadConfig({}, { PIER_API_RATE_LIMIT: bad })).toThrow(/PIER_API_RATE_LIMIT/);
    }
  });
});

describe.each(engines)('API rate limit on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let admin: ApiClient;
  let agent: ApiClient;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database, { PIER_API_RATE_LIMIT: String(limit), PIER_LOGIN_RATE_LIMIT: '100' });
    admin = pier.api();
    expect((await admin.post('/api/setup', boss)).status).toBe(201);
    await createAccount(pier.workspace.db, { email: 'agent@acme.test', name: 'Agent', password, role: 'agent' });
    agent = pier.api();
    expect((await agent.post('/api/auth/login', { email: 'agent@acme.test', password })).status).toBe(200);
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  it('answers 429 api.rate_limited once a session exceeds the limit, leaves another user, health and the live socket alone', async () => {
    let last = await admin.get('/api/session');
    expect(last.status).toBe(200);
    expect(last.headers.get('x-ratelimit-limit')).toBe(String(limit));
    for (let i = 0; i < limit + 5 && last.status === 200; i++) last = await admin.get('/api/session');
    expect(last.status).toBe(429);
    expect(last.body).toMatchObject({ error: { code: 'api.rate_limited' } });
    expect(last.headers.get('retry-after')).toMatch(/^\d+$/);
    // Another session (another user) has its own budget.
    expect((await agent.get('/api/session')).status).toBe(200);
    // Health and the live socket's upgrade request are exempt, even for the limited session.
    expect((await admin.get('/api/health')).status).toBe(200);
    const live = await admin.get('/api/live');
    expect(live.status).not.toBe(429);
  });
});

describe.each(engines)('API rate limit turned off on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database, { PIER_API_RATE_LIMIT: '0' });
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  it('serves more than the default 1200 requests a minute to one session when PIER_API_RATE_LIMIT=0', async () => {
    const admin = pier.api();
    expect((await admin.post('/api/setup', boss)).status).toBe(201);
    const statuses = new Map<number, number>();
    for (let batch = 0; batch < 1250 / 25; batch++) {
      const answers = await Promise.all(Array.from({ length: 25 }, () => admin.get('/api/session')));
      for (const { status } of answers) statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    expect(Object.fromEntries(statuses)).toEqual({ 200: 1250 });
    expect((await admin.get('/api/session')).headers.get('x-ratelimit-limit')).toBeNull();
  });
});
