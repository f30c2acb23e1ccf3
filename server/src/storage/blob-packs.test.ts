import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPackIndex, type PackEntry, readPackIndexSync } from './blob-packs.js';

const sha = (n: number) => createHash('sha256').update(String(n)).digest('hex');

describe('blob pack index', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('finds every blob of many packs, before and after they are merged into the sorted entries, the first pack of a blob winning', () => {
    const index = createPackIndex('/store');
    const perPack = 1000;
    for (let pack = 0; pack < 25; pack++) {
      const entries: PackEntry[] = [];
      for (let i = 0; i < perPack; i++) entries.push({ sha256: sha(pack * perPack + i), offset: i * 7, size: pack + 1 });
      entries.push({ sha256: sha(3), offset: 99, size: 99 }); // the same bytes again, in every pack
      index.add(`${String(pack).padStart(32, '0')}.pack`, entries);
    }
    for (const n of [0, 3, 999, 1000, 8191, 8192, 8193, 16_500, 24_999]) {
      const pack = Math.floor(n / perPack);
      expect(index.get(sha(n))).toEqual({
        file: path.join('/store', 'packs', `${String(pack).padStart(32, '0')}.pack`),
        offset: (n % perPack) * 7,
        size: pack + 1,
      });
    }
    expect(index.get(sha(25_000))).toBeUndefined();
    expect(index.get('0'.repeat(64))).toBeUndefined();
    expect(index.get('f'.repeat(64))).toBeUndefined();
  });

  it('refuses a file that is not a complete pack', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pier-packs-'));
    dirs.push(dir);
    writeFileSync(path.join(dir, 'cut.pack'), Buffer.alloc(100, 1));
    expect(() => readPackIndexSync(path.join(dir, 'cut.pack'))).toThrow(/not a blob pack/);
  });
});
