import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openBlobSpool } from './blob-spool.js';
import { sha256Hex } from './blob-store.js';

describe('blob spool (both stores streaming a blob in)', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  const folder = async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pier-spool-'));
    dirs.push(dir);
    return path.join(dir, 'not-yet-made');
  };

  it('hashes the chunks as they are written and leaves every byte in its file', async () => {
    const dir = await folder();
    const spool = openBlobSpool(dir);
    const chunks = [Buffer.from('Subject: 询价\r\n\r\n'), Buffer.alloc(300_000, 0xab), Buffer.from('end')];
    for (const chunk of chunks) await spool.write(chunk);
    const whole = Buffer.concat(chunks);
    const closed = await spool.close({ sync: true });
    expect(closed).toMatchObject({ sha256: sha256Hex(whole), size: whole.length });
    expect(path.dirname(closed.file)).toBe(dir);
    expect((await readFile(closed.file)).equals(whole)).toBe(true);
  });

  it('makes nothing until the first chunk, refuses to close empty, and an abort removes its file', async () => {
    const dir = await folder();
    const empty = openBlobSpool(dir);
    await expect(empty.close({ sync: false })).rejects.toThrow('nothing was written');
    await expect(readdir(dir)).rejects.toMatchObject({ code: 'ENOENT' });
    const aborted = openBlobSpool(dir);
    await aborted.write(Buffer.from('half a mail'));
    expect(await readdir(dir)).toHaveLength(1);
    await aborted.abort();
    expect(await readdir(dir)).toEqual([]);
  });
});
