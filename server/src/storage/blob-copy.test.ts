import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyBlobFolder } from './blob-copy.js';
import { createBlobStore, sha256Hex } from './blob-store.js';

describe('copying a blob store folder (backup and restore)', () => {
  const dirs: string[] = [];
  const newDir = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pier-blob-copy-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('copies blob files of both layouts and packs, counts their blobs, and then only what is new', async () => {
    const from = createBlobStore(newDir());
    const file = await from.put(Buffer.from('received over SMTP'));
    const old = Buffer.from('stored in 2025');
    const oldSha = sha256Hex(old);
    mkdirSync(path.join(from.root, oldSha.slice(0, 2), oldSha.slice(2, 4)), { recursive: true });
    writeFileSync(path.join(from.root, oldSha.slice(0, 2), oldSha.slice(2, 4), oldSha), old);
    const synced = [
      await from.put(Buffer.from('synced a'), { durable: false }),
      await from.put(Buffer.from('synced b'), { durable: false }),
    ];
    await from.flush();
    await from.put(Buffer.from('half a batch'), { durable: false }); // in tmp/, never flushed: not a blob yet

    const to = newDir();
    const first = await copyBlobFolder(from.root, to);
    expect(first).toMatchObject({ copied: 4, kept: 0 });
    expect([...first.sha256s].sort()).toEqual([file.sha256, oldSha, ...synced.map((s) => s.sha256)].sort());
    const copy = createBlobStore(to);
    for (const sha256 of first.sha256s) expect(sha256Hex(await copy.get(sha256))).toBe(sha256);
    expect(readdirSync(to).sort()).toEqual([...new Set([file.sha256.slice(0, 2), oldSha.slice(0, 2)])].concat('packs').sort());

    const later = await from.put(Buffer.from('synced later'), { durable: false });
    await from.flush(); // a second pack, holding 'half a batch' and 'synced later'
    const again = await copyBlobFolder(from.root, to);
    expect(again).toMatchObject({ copied: 2, kept: 4 });
    expect((await createBlobStore(to).get(later.sha256)).toString()).toBe('synced later');
  });
});
