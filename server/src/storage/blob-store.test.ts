import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBlobStore, sha256Hex } from './blob-store.js';

describe('blob store', () => {
  const dirs: string[] = [];
  const newStore = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pier-blobs-'));
    dirs.push(dir);
    return createBlobStore(dir);
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('names a blob by the SHA-256 of its bytes and gives the same bytes back', async () => {
    const store = newStore();
    const bytes = Buffer.from('Subject: 询价\r\n\r\n\xff\x00 raw 8-bit', 'latin1');
    const { sha256, size } = await store.put(bytes);
    expect(sha256).toBe(sha256Hex(bytes));
    expect(size).toBe(bytes.length);
    expect((await store.get(sha256)).equals(bytes)).toBe(true);
    expect(await store.has(sha256)).toBe(true);
  });

  it('stores the same bytes once and leaves no temp files behind', async () => {
    const store = newStore();
    const bytes = Buffer.from('same mail');
    const writes = await Promise.all(Array.from({ length: 5 }, () => store.put(bytes)));
    expect(new Set(writes.map((w) => w.sha256)).size).toBe(1);
    expect(readdirSync(path.join(store.root, 'tmp'))).toEqual([]);
  });

  it('streams a blob in chunk by chunk under the name of all its bytes, and once only', async () => {
    const store = newStore();
    const chunks = [Buffer.alloc(300_000, 'a'), Buffer.from('\r\n\xff 8-bit', 'latin1'), Buffer.alloc(70_000, 'b')];
    const whole = Buffer.concat(chunks);
    for (let i = 0; i < 2; i++) {
      const writer = store.openWriter();
      for (const chunk of chunks) await writer.write(chunk);
      expect(await writer.commit()).toEqual({ sha256: sha256Hex(whole), size: whole.length });
    }
    expect((await store.get(sha256Hex(whole))).equals(whole)).toBe(true);
    expect(readdirSync(path.join(store.root, 'tmp'))).toEqual([]);
  });

  it('leaves nothing behind when a streamed blob is aborted', async () => {
    const store = newStore();
    const writer = store.openWriter();
    await writer.write(Buffer.from('half a mail'));
    await writer.abort();
    expect(await store.has(sha256Hex(Buffer.from('half a mail')))).toBe(false);
    expect(readdirSync(path.join(store.root, 'tmp'))).toEqual([]);
  });

  it('refuses a name that is not a SHA-256 digest (no path tricks)', async () => {
    const store = newStore();
    await expect(store.get('../../etc/passwd')).rejects.toThrow(/not a SHA-256/);
  });

  it('reports a writable root as healthy', async () => {
    expect(await newStore().check()).toEqual({ ok: true });
  });
});
