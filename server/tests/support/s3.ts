import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { S3BlobSettings } from '../../src/storage/blob-store-s3.js';

/**
 * A real S3-compatible bucket for a test: the test bench's s3rver (scripts/test-env, PIER_TEST_S3_*)
 * when it runs, else an s3rver started in this process on a free loopback port (unit tests run
 * without the bench). Each call gets its own key prefix and spool folder, so tests never see each
 * other's blobs. `stop()` ends the in-process server, if one was started, and removes the folders.
 */
export async function testS3(): Promise<{ settings: S3BlobSettings; stop: () => Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'pier-s3-test-'));
  const prefix = `t-${randomBytes(6).toString('hex')}/`;
  const common = { kind: 's3' as const, region: 'us-east-1', prefix, pathStyle: true, spoolDir: path.join(dir, 'spool') };
  if (process.env.PIER_TEST_S3_ENDPOINT) {
    return {
      settings: {
        ...common,
        endpoint: process.env.PIER_TEST_S3_ENDPOINT,
        bucket: process.env.PIER_TEST_S3_BUCKET ?? 'pier-test',
        accessKeyId: process.env.PIER_TEST_S3_ACCESS_KEY_ID ?? 'S3RVER',
        secretAccessKey: process.env.PIER_TEST_S3_SECRET_ACCESS_KEY ?? 'S3RVER',
      },
      stop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const { default: S3rver } = await import('@20minutes/s3rver');
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    directory: path.join(dir, 'objects'),
    silent: true,
    vhostBuckets: false,
    configureBuckets: [{ name: 'pier-test' }],
  });
  const { port } = (await server.run()) as { port: number };
  return {
    settings: { ...common, endpoint: `http://127.0.0.1:${port}`, bucket: 'pier-test', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    stop: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
