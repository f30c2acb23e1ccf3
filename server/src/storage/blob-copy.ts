import { constants } from 'node:fs';
import { copyFile, mkdir, readdir, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { PACKS_DIR, packFiles, readPackIndex } from './blob-packs.js';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Every stored blob of a blob store folder: the files of either layout (`ab/<sha>` and the older
 * `ab/cd/<sha>`) and the packs of `packs/` with the blobs each holds, as paths relative to the
 * folder; the store's `tmp` folder (half-written blobs and packs) holds no blob.
 */
export async function* blobFiles(root: string): AsyncGenerator<{ relative: string; sha256s: string[] }> {
  const level = async function* (dir: string, prefix: string, depth: number): AsyncGenerator<{ relative: string; sha256s: string[] }> {
    let entries: import('node:fs').Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isFile() && SHA256_HEX.test(entry.name)) yield { relative, sha256s: [entry.name] };
      else if (entry.isDirectory() && depth < 2 && /^[0-9a-f]{2}$/.test(entry.name))
        yield* level(path.join(dir, entry.name), relative, depth + 1);
    }
  };
  yield* level(root, '', 0);
  for (const name of await packFiles(root)) {
    const relative = `${PACKS_DIR}/${name}`;
    yield { relative, sha256s: (await readPackIndex(path.join(root, relative))).map((entry) => entry.sha256) };
  }
}

/**
 * Copies a blob store folder into another, file by file (a blob, or a pack of blobs), skipping
 * files the target already holds (a blob's name is its content's hash, and a pack never changes
 * once named), so copying into an earlier copy adds only what is new; `copied` and `kept` count
 * blobs. Each file lands through a temp name and a rename: an interrupted copy leaves no half blob
 * or pack under a real name. Clones the file where the file system can (reflink).
 */
export async function copyBlobFolder(from: string, to: string): Promise<{ copied: number; kept: number; sha256s: Set<string> }> {
  const result = { copied: 0, kept: 0, sha256s: new Set<string>() };
  const made = new Set<string>();
  const queue: Promise<void>[] = [];
  const copyOne = async (relative: string, blobs: number) => {
    const target = path.join(to, relative);
    const existing = await stat(target).catch(() => null);
    const source = await stat(path.join(from, relative));
    if (existing && existing.size === source.size) {
      result.kept += blobs;
      return;
    }
    const dir = path.dirname(target);
    if (!made.has(dir)) {
      await mkdir(dir, { recursive: true });
      made.add(dir);
    }
    const temp = `${target}.part`;
    await copyFile(path.join(from, relative), temp, constants.COPYFILE_FICLONE);
    await rename(temp, target);
    result.copied += blobs;
  };
  for await (const { relative, sha256s } of blobFiles(from)) {
    for (const sha256 of sha256s) result.sha256s.add(sha256);
    queue.push(copyOne(relative, sha256s.length));
    // A few copies in flight keep the disk busy without opening thousands of files at once.
    if (queue.length >= 16) await Promise.all(queue.splice(0));
  }
  await Promise.all(queue);
  return result;
}
