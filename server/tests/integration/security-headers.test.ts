import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestPier } from '../support/pier.js';

// The security headers are one engine-independent hook (server/src/http.ts): SQLite is enough.
describe('security headers', () => {
  let database: TestDatabase;
  const piers: Awaited<ReturnType<typeof startTestPier>>[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    for (const pier of piers) await pier.stop();
    await database?.drop();
  });

  it('sends a strict CSP (no framing), nosniff and no referrer on every answer; HSTS only when served over https', async () => {
    const plain = await startTestPier(database);
    piers.push(plain);
    // Answers, a refusal (401 through the error handler) and the not-found handler: the headers are set before any of them.
    for (const [path, status] of [
      ['/api/health', 200],
      ['/api/session', 401],
      ['/', 200],
      ['/api/conversations', 401],
      ['/api/nowhere', 404],
    ] as const) {
      const { headers, status: got } = await plain.api().get(path);
      expect(got, path).toBe(status);
      const csp = headers.get('content-security-policy') ?? '';
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).toContain("object-src 'none'");
      expect(csp, path).not.toContain('unsafe-inline');
      expect(headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(headers.get('strict-transport-security'), path).toBeNull();
    }
    await plain.stop();
    piers.pop();

    const secure = await startTestPier(database, { PIER_PUBLIC_URL: 'https://pier.acme.test' });
    piers.push(secure);
    const { headers } = await secure.api().get('/api/health');
    expect(headers.get('strict-transport-security')).toContain('max-age=31536000');
    expect(headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});
