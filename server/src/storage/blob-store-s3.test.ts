import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testS3 } from '../../tests/support/s3.js';
import { sha256Hex } from './blob-store.js';
import { createS3BlobStore, type S3BlobSettings } from './blob-store-s3.js';
import { openBlobStore, storedBlobs } from './blob-stores.js';

// Against a real S3-compatible server (s3rver: the bench's, or one started here), never a mock.
describe('S3 blob store', () => {
  let s3: Awaited<ReturnType<typeof testS3>>;
  beforeAll(async () => {
    s3 = await testS3();
  });
  afterAll(() => s3?.stop());
  const store = (overrides: Partial<S3BlobSettings> = {}) => createS3BlobStore({ ...s3.settings, ...overrides });

  it('names a blob by the SHA-256 of its bytes and gives the same bytes back', async () => {
    const blobs = store();
    const bytes = Buffer.from('Subject: 询价\r\n\r\n\xff\x00 raw 8-bit', 'latin1');
    const { sha256, size } = await blobs.put(bytes);
    expect(sha256).toBe(sha256Hex(bytes));
    expect(size).toBe(bytes.length);
    expect((await blobs.get(sha256)).equals(bytes)).toBe(true);
    expect(await blobs.has(sha256)).toBe(true);
    expect(await blobs.has(sha256Hex('never stored'))).toBe(false);
    await expect(blobs.get(sha256Hex('never stored'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('stores the same bytes once when two nodes write them at the same time', async () => {
    const [a, b] = [store(), store()];
    const bytes = Buffer.from(`same mail ${Date.now()}`);
    const writes = await Promise.all([...Array.from({ length: 3 }, () => a.put(bytes)), ...Array.from({ length: 3 }, () => b.put(bytes))]);
    expect(new Set(writes.map((w) => w.sha256)).size).toBe(1);
    const listed: string[] = [];
    for await (const sha256 of a.list()) listed.push(sha256);
    expect(listed.filter((s) => s === sha256Hex(bytes))).toHaveLength(1);
    expect((await b.get(sha256Hex(bytes))).equals(bytes)).toBe(true);
  });

  it('streams a large mail in chunk by chunk and uploads it under the name of all its bytes', async () => {
    const blobs = store();
    const chunks = [Buffer.alloc(3_000_000, 'a'), Buffer.from('\r\n\xff 8-bit', 'latin1'), Buffer.alloc(700_000, 'b')];
    const whole = Buffer.concat(chunks);
    const writer = blobs.openWriter();
    for (const chunk of chunks) await writer.write(chunk);
    const { sha256, size } = await writer.commit();
    expect(sha256).toBe(sha256Hex(whole));
    expect(size).toBe(whole.length);
    expect((await blobs.get(sha256)).equals(whole)).toBe(true);
    const aborted = blobs.openWriter();
    await aborted.write(Buffer.from('half a mail'));
    await aborted.abort();
    expect(await blobs.has(sha256Hex('half a mail'))).toBe(false);
  });

  it('holds bulk writes until flush, and flush fails when an upload failed', async () => {
    const blobs = store();
    const batch = Array.from({ length: 20 }, (_, i) => Buffer.from(`bulk mail ${i} ${Date.now()}`));
    const written = await Promise.all(batch.map((bytes) => blobs.put(bytes, { durable: false })));
    await blobs.flush();
    for (const { sha256 } of written) expect(await blobs.has(sha256)).toBe(true);

    const wrongKey = store({ secretAccessKey: 'not-the-key' });
    await wrongKey.put(Buffer.from('refused'), { durable: false });
    await expect(wrongKey.flush()).rejects.toThrow(/HTTP 403/);
    await expect(wrongKey.put(Buffer.from('refused'))).rejects.toThrow(/HTTP 403/);
    // /api/health shows check()'s detail to anyone: it names the bucket and the answer, never a key.
    const refused = await wrongKey.check();
    expect(refused.ok).toBe(false);
    expect(refused.detail).toMatch(/HTTP 403/);
    expect(refused.detail).not.toContain('not-the-key');
    expect(refused.detail).not.toContain(s3.settings.accessKeyId);
    expect(await blobs.has(sha256Hex('refused'))).toBe(false);
  });

  it('lists every blob under its own prefix across pages, and checks the bucket', async () => {
    const blobs = store({ prefix: `${s3.settings.prefix}listed/` });
    const made = new Set<string>();
    for (const w of await Promise.all(Array.from({ length: 25 }, (_, i) => blobs.put(Buffer.from(`blob ${i}`))))) made.add(w.sha256);
    const listed: string[] = [];
    for await (const sha256 of storedBlobs(blobs)) listed.push(sha256);
    expect(new Set(listed)).toEqual(made);
    // Pages of 10: three pages prove the continuation token is followed, each blob once.
    const paged: string[] = [];
    for await (const sha256 of blobs.list({ pageSize: 10 })) paged.push(sha256);
    expect(paged.length).toBe(25);
    expect(new Set(paged)).toEqual(made);
    expect(await blobs.check()).toEqual({ ok: true });
    const missing = await store({ bucket: 'no-such-bucket' }).check();
    expect(missing.ok).toBe(false);
    expect(missing.detail).toMatch(/404/);
  });

  it('is selected by its settings, and refuses a name that is not a SHA-256', async () => {
    const blobs = openBlobStore(s3.settings);
    expect(blobs.root).toBe(`s3://${s3.settings.bucket}/${s3.settings.prefix}`);
    await expect(blobs.get('../../etc/passwd')).rejects.toThrow(/not a SHA-256/);
  });
});
