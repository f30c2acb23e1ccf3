import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBlobStore, listBlobs, sha256Hex } from './blob-store.js';

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

  it('keeps a blob in one of 256 folders, and still reads, finds and lists blobs of the older two-level layout', async () => {
    const store = newStore();
    const fresh = await store.put(Buffer.from('new mail'), { durable: false });
    expect(readdirSync(path.join(store.root, fresh.sha256.slice(0, 2)))).toEqual([fresh.sha256]);
    // A workspace written before decision 0040: ab/cd/<sha256>.
    const old = Buffer.from('mail stored in 2025');
    const oldSha = sha256Hex(old);
    mkdirSync(path.join(store.root, oldSha.slice(0, 2), oldSha.slice(2, 4)), { recursive: true });
    writeFileSync(path.join(store.root, oldSha.slice(0, 2), oldSha.slice(2, 4), oldSha), old);
    expect((await store.get(oldSha)).equals(old)).toBe(true);
    expect(await store.has(oldSha)).toBe(true);
    // Storing the same bytes again finds the old file and writes no second copy.
    await store.put(old, { durable: false });
    await store.put(old);
    expect(readdirSync(path.join(store.root, oldSha.slice(0, 2))).filter((name) => name.length === 64)).toEqual(
      oldSha.slice(0, 2) === fresh.sha256.slice(0, 2) ? [fresh.sha256] : [],
    );
    const listed: string[] = [];
    for await (const sha256 of listBlobs(store)) listed.push(sha256);
    expect(listed.sort()).toEqual([fresh.sha256, oldSha].sort());
    await expect(store.get(sha256Hex(Buffer.from('never stored')))).rejects.toThrow(/ENOENT/);
  });

  it('flush() fsyncs each blob written without fsync since the last flush (its own files, not the whole file system)', async () => {
    const store = newStore();
    const a = await store.put(Buffer.from('mail a'), { durable: false });
    const b = await store.put(Buffer.alloc(300_000, 'b'), { durable: false }); // over the synchronous-write size
    // A blob already stored counts again: an earlier run may have written it and never flushed.
    await store.put(Buffer.from('mail a'), { durable: false });
    await store.flush();
    await store.flush(); // nothing left to flush
    expect((await store.get(a.sha256)).toString()).toBe('mail a');
    expect((await store.get(b.sha256)).length).toBe(300_000);
    // A file that vanished before its flush (removed by hand) fails the flush: the batch is not committed.
    const c = await store.put(Buffer.from('mail c'), { durable: false });
    rmSync(path.join(store.root, c.sha256.slice(0, 2), c.sha256));
    await expect(store.flush()).rejects.toThrow(/ENOENT/);
  });

  it('refuses a name that is not a SHA-256 digest (no path tricks)', async () => {
    const store = newStore();
    await expect(store.get('../../etc/passwd')).rejects.toThrow(/not a SHA-256/);
  });

  it('reports a writable root as healthy', async () => {
    expect(await newStore().check()).toEqual({ ok: true });
  });
});
