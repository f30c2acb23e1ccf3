import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
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
    const fresh = await store.put(Buffer.from('new mail'));
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

  it('puts the blobs of a bulk writer between two flushes in one pack, readable at once by that store and after the flush by any', async () => {
    const store = newStore();
    const put = (text: string | Buffer) => store.put(Buffer.from(text), { durable: false });
    const a = await put('mail a');
    const b = await put('mail b');
    await put('mail a');
    const big = await put(Buffer.alloc(300_000, 'b'));
    expect((await store.get(a.sha256)).toString()).toBe('mail a'); // before the flush: this store only
    expect(await createBlobStore(store.root).has(b.sha256)).toBe(false);
    await store.flush();
    await store.flush(); // nothing left to flush
    expect(readdirSync(path.join(store.root, 'packs'))).toHaveLength(1);
    expect(readdirSync(path.join(store.root, 'tmp'))).toEqual([]);
    expect(readdirSync(store.root).filter((name) => name.length === 2)).toEqual([]); // no blob files
    const other = createBlobStore(store.root);
    expect((await other.get(b.sha256)).toString()).toBe('mail b');
    expect((await other.get(big.sha256)).equals(Buffer.alloc(300_000, 'b'))).toBe(true);
    const listed: string[] = [];
    for await (const sha256 of listBlobs(store)) listed.push(sha256);
    expect(listed.sort()).toEqual([a.sha256, b.sha256, big.sha256].sort());
  });

  it('stores bytes that are already in a pack or a file once, whichever store wrote them', async () => {
    const store = newStore();
    const inFile = await store.put(Buffer.from('received over SMTP'));
    await store.put(Buffer.from('synced earlier'), { durable: false });
    await store.flush();
    const later = createBlobStore(store.root); // another worker, or the next run
    await later.put(Buffer.from('synced earlier'), { durable: false });
    await later.put(Buffer.from('received over SMTP'), { durable: false });
    await later.flush(); // fsyncs the found file and the packs folder again, writes no pack
    expect(readdirSync(path.join(store.root, 'packs'))).toHaveLength(1);
    await later.put(Buffer.from('synced earlier')); // durable: finds it in the pack, writes no file
    expect(readdirSync(path.join(store.root, inFile.sha256.slice(0, 2)))).toEqual([inFile.sha256]);
    expect(readdirSync(store.root).filter((name) => name.length === 2)).toEqual([inFile.sha256.slice(0, 2)]);
  });

  it('finds a pack another store added after this one last looked', async () => {
    const reader = newStore();
    const first = await reader.put(Buffer.from('first'), { durable: false });
    await reader.flush();
    const writer = createBlobStore(reader.root);
    const second = await writer.put(Buffer.from('second'), { durable: false });
    await writer.flush();
    expect((await reader.get(first.sha256)).toString()).toBe('first');
    expect((await reader.get(second.sha256)).toString()).toBe('second');
    expect(await reader.has(second.sha256)).toBe(true);
  });

  it('a failed flush throws its pack away: its blobs are not stored, and a later batch writes them again', async () => {
    const store = newStore();
    const a = await store.put(Buffer.from('mail a'), { durable: false });
    symlinkSync(path.join(store.root, 'nowhere'), path.join(store.root, 'packs')); // packs/ cannot be made
    await expect(store.flush()).rejects.toThrow(/EEXIST|ENOENT/);
    expect(readdirSync(path.join(store.root, 'tmp'))).toEqual([]);
    expect(await createBlobStore(store.root).has(a.sha256)).toBe(false);
    rmSync(path.join(store.root, 'packs'));
    await store.put(Buffer.from('mail a'), { durable: false });
    await store.flush();
    expect((await createBlobStore(store.root).get(a.sha256)).toString()).toBe('mail a');
  });

  it('flush() also fsyncs a file of an earlier run that a bulk writer found instead of writing it', async () => {
    const store = newStore();
    const old = await store.put(Buffer.from('written before the crash'));
    await store.put(Buffer.from('written before the crash'), { durable: false });
    // Removed by hand before the flush: the flush fails, and the batch's rows must not commit.
    rmSync(path.join(store.root, old.sha256.slice(0, 2), old.sha256));
    await expect(store.flush()).rejects.toThrow(/ENOENT/);
  });

  it('removes temp files a killed writer left a day ago when a bulk writer starts its first pack, and no younger ones', async () => {
    const store = newStore();
    mkdirSync(path.join(store.root, 'tmp'));
    const old = path.join(store.root, 'tmp', 'dead-writer.pack');
    const young = path.join(store.root, 'tmp', 'stream.in-progress');
    writeFileSync(old, 'half a batch');
    writeFileSync(young, 'half a large mail');
    const dayAndAMinuteAgo = (Date.now() - 24 * 3600_000 - 60_000) / 1000;
    utimesSync(old, dayAndAMinuteAgo, dayAndAMinuteAgo);
    await store.put(Buffer.from('first synced mail'), { durable: false });
    expect(readdirSync(path.join(store.root, 'tmp'))).toHaveLength(2); // the young file and this store's open pack
    expect(readdirSync(path.join(store.root, 'tmp'))).toContain('stream.in-progress');
    await store.flush();
    expect(readdirSync(path.join(store.root, 'tmp'))).toEqual(['stream.in-progress']);
  });

  it('refuses a name that is not a SHA-256 digest (no path tricks)', async () => {
    const store = newStore();
    await expect(store.get('../../etc/passwd')).rejects.toThrow(/not a SHA-256/);
  });

  it('reports a writable root as healthy', async () => {
    expect(await newStore().check()).toEqual({ ok: true });
  });
});
