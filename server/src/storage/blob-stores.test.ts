import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { createBlobStore, sha256Hex } from './blob-store.js';
import { blobStoreSettingsOf, openBlobStore, storedBlobs } from './blob-stores.js';

describe('blob store on a folder several nodes share (PIER_BLOB_DIR)', () => {
  const dirs: string[] = [];
  const newDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pier-shared-blobs-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('lets two nodes write the same mail at once, each way, and read each other’s blobs', async () => {
    const shared = newDir();
    const [a, b] = [openBlobStore({ kind: 'filesystem', root: shared }), openBlobStore({ kind: 'filesystem', root: shared })];
    const mail = Buffer.from(`Subject: RFQ\r\n\r\n${'x'.repeat(400_000)}`);
    const small = Buffer.from('Subject: small\r\n\r\nhi');
    const streamed = async (store: typeof a) => {
      const writer = store.openWriter();
      await writer.write(mail.subarray(0, 100_000));
      await writer.write(mail.subarray(100_000));
      return writer.commit();
    };
    const writes = await Promise.all([
      a.put(mail),
      b.put(mail),
      a.put(mail, { durable: false }),
      b.put(mail, { durable: false }),
      streamed(a),
      streamed(b),
      a.put(small, { durable: false }),
      b.put(small, { durable: false }),
    ]);
    await Promise.all([a.flush(), b.flush()]);
    expect(new Set(writes.map((w) => w.sha256))).toEqual(new Set([sha256Hex(mail), sha256Hex(small)]));
    expect((await b.get(sha256Hex(mail))).equals(mail)).toBe(true);
    expect((await a.get(sha256Hex(small))).equals(small)).toBe(true);
    const listed: string[] = [];
    for await (const sha of storedBlobs(a)) listed.push(sha);
    expect(listed.sort()).toEqual([sha256Hex(mail), sha256Hex(small)].sort());
    // No temp file is left by the losers of each race.
    expect(readdirSync(path.join(shared, 'tmp'))).toEqual([]);
  });

  it('is chosen by PIER_BLOB_DIR, PIER_DATA_DIR/blobs by default, and the S3 store by its endpoint', () => {
    const dataDir = newDir();
    expect(loadConfig({ PIER_DATA_DIR: dataDir }).blobStore).toEqual({ kind: 'filesystem', root: path.join(dataDir, 'blobs') });
    expect(loadConfig({ PIER_DATA_DIR: dataDir, PIER_BLOB_DIR: '/mnt/pier-blobs' }).blobStore).toEqual({
      kind: 'filesystem',
      root: '/mnt/pier-blobs',
    });
    const s3 = loadConfig({
      PIER_DATA_DIR: dataDir,
      PIER_BLOB_S3_ENDPOINT: 'https://s3.example.test',
      PIER_BLOB_S3_BUCKET: 'mail',
      PIER_BLOB_S3_ACCESS_KEY_ID: 'id',
      PIER_BLOB_S3_SECRET_ACCESS_KEY: 'secret',
      PIER_BLOB_S3_PREFIX: 'pier',
      PIER_BLOB_S3_PATH_STYLE: '0',
    }).blobStore;
    expect(s3).toMatchObject({ kind: 's3', bucket: 'mail', prefix: 'pier/', pathStyle: false, region: 'us-east-1' });
    expect(() =>
      loadConfig({ PIER_DATA_DIR: dataDir, PIER_BLOB_S3_ENDPOINT: 'https://s3.example.test', PIER_BLOB_S3_BUCKET: 'mail' }),
    ).toThrow(/PIER_BLOB_S3_ACCESS_KEY_ID is required when PIER_BLOB_S3_ENDPOINT is set/);
    expect(() => loadConfig({ PIER_DATA_DIR: dataDir, PIER_BLOB_S3_ENDPOINT: 'ftp://s3.example.test' })).toThrow(/PIER_BLOB_S3_ENDPOINT/);
  });

  it('gives prepare workers the settings a store was opened from', () => {
    const root = newDir();
    expect(blobStoreSettingsOf(openBlobStore({ kind: 'filesystem', root }))).toEqual({ kind: 'filesystem', root });
    expect(blobStoreSettingsOf(createBlobStore(root))).toEqual({ kind: 'filesystem', root });
  });
});
