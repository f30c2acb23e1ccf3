import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { startTestPier } from '../support/pier.js';
import { testS3 } from '../support/s3.js';

/**
 * /api/health answers unauthenticated callers (load balancers): a failing check says that it
 * fails, never where the infrastructure is (the bucket, its endpoint, a path). The detail is
 * logged for the operator instead.
 */
describe.each(engines)('health on %s with an unreachable bucket', (engine) => {
  let database: TestDatabase;
  let s3: Awaited<ReturnType<typeof testS3>>;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  const logged: string[] = [];
  const bucket = `secret-archive-${engine}-bucket`;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    s3 = await testS3();
    const log = new Writable({
      write(chunk, _encoding, done) {
        logged.push(String(chunk));
        done();
      },
    });
    pier = await startTestPier(
      database,
      {
        // A real S3 server, a bucket it does not have: HeadBucket answers 404 NoSuchBucket.
        PIER_BLOB_S3_ENDPOINT: s3.settings.endpoint,
        PIER_BLOB_S3_BUCKET: bucket,
        PIER_BLOB_S3_ACCESS_KEY_ID: s3.settings.accessKeyId,
        PIER_BLOB_S3_SECRET_ACCESS_KEY: s3.settings.secretAccessKey,
        PIER_BLOB_S3_PREFIX: 'internal-prefix/',
      },
      pino({ level: 'warn' }, log),
    );
  });
  afterAll(async () => {
    await pier?.stop();
    await s3?.stop();
    await database?.drop();
  });

  it('answers 503 with the failing check and no bucket, endpoint or error text; the log has the detail once', async () => {
    const api = pier.api();
    const res = await api.get('/api/health');
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ status: 'degraded', checks: { database: { ok: true }, blobStore: { ok: false } } });
    expect(res.body).toMatchObject({ checks: { blobStore: expect.not.objectContaining({ detail: expect.anything() }) } });
    const body = JSON.stringify(res.body);
    const endpoint = new URL(s3.settings.endpoint);
    for (const secret of [bucket, 'internal-prefix', endpoint.host, endpoint.port, 's3://', 'NoSuchBucket', 'HTTP 404']) {
      expect(body).not.toContain(secret);
    }
    // A second probe (the sidebar polls) does not repeat the same detail in the log.
    expect((await api.get('/api/health')).status).toBe(503);
    const warnings = logged.filter((line) => line.includes('health check failed'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(bucket);
    expect(warnings[0]).toContain('"check":"blobStore"');
  });
});
