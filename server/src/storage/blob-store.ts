import { createHash, randomBytes } from 'node:crypto';
import { closeSync, constants, existsSync, fsync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { access, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  appendToPack,
  createPackIndex,
  type OpenPack,
  openPack,
  PACKS_DIR,
  packFiles,
  readOpenPack,
  readPacked,
  readPackIndex,
  sealPack,
} from './blob-packs.js';
import { openBlobSpool } from './blob-spool.js';

/**
 * Content-addressed store for raw mail and attachments: a blob's name is the
 * SHA-256 of its bytes, so storing the same bytes twice is a no-op and a blob
 * can never be half-written (temp file, fsync, rename).
 */
export type BlobStore = {
  /**
   * Stores bytes. `durable: true` (the default): its own file, fsynced with its folder before this
   * resolves. `durable: false`, for bulk writers (IMAP sync): appended to this store's open pack
   * (decision 0054), made durable by the next `flush()`, which they await before committing the
   * rows that point at the blobs. Until then the blob is readable through this store only.
   */
  put(bytes: Buffer, options?: { durable?: boolean }): Promise<{ sha256: string; size: number }>;
  /**
   * Streams a blob in without holding it in memory (a large mail while it is received): a temp
   * file in the store's folder, hashed as it is written; `commit()` makes it durable and moves it
   * into place, `abort()` throws it away.
   */
  openWriter(): BlobWriter;
  /**
   * Makes the blobs this store took with `durable: false` since the last flush durable: its open
   * pack is sealed, fsynced, renamed into `packs/` and that folder fsynced (and any file of an
   * earlier run found instead of written is fsynced with its folder). Never the whole file system
   * (syncfs), whose cost is whatever else anyone wrote to it (decision 0040). A failed flush
   * throws the pack away: its blobs are not stored, and the rows that name them must not commit.
   */
  flush(): Promise<void>;
  get(sha256: string): Promise<Buffer>;
  has(sha256: string): Promise<boolean>;
  check(): Promise<{ ok: boolean; detail?: string }>;
  root: string;
};

export type BlobWriter = {
  write(chunk: Buffer): Promise<void>;
  commit(): Promise<{ sha256: string; size: number }>;
  abort(): Promise<void>;
};

const SHA256_HEX = /^[0-9a-f]{64}$/;
const fsyncFd = promisify(fsync);

export function sha256Hex(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function createBlobStore(root: string): BlobStore {
  const tmpDir = path.join(root, 'tmp');
  const knownDirs = new Set<string>();
  /** Files of an earlier run found by a `durable: false` put since the last flush: an earlier run may have died before fsyncing them. */
  let unflushed = new Set<string>();
  /** This store's pack of `durable: false` blobs since the last flush (each prepare worker has its own). */
  let pack: OpenPack | undefined;
  /** A `durable: false` put found its blob in a pack of `packs/`, whose rename its writer may not have fsynced yet. */
  let packHit = false;
  const packs = createPackIndex(root);
  let packsRead = false;
  /** Where a blob is in a pack under `packs/`, the packs read once per process and then as flushes add them. */
  const packed = (sha256: string) => {
    if (!packsRead) {
      packs.refresh();
      packsRead = true;
    }
    return packs.get(sha256);
  };
  const ensureDir = async (dir: string) => {
    if (knownDirs.has(dir)) return;
    await mkdir(dir, { recursive: true });
    knownDirs.add(dir);
  };
  /**
   * A blob's file: `ab/<sha256>`, 256 folders in all (decision 0040). Stores written before used
   * `ab/cd/<sha256>` (65,536 folders, a mkdir for most new blobs): those files are still read and
   * still count as stored, so an existing workspace needs no migration.
   */
  const pathOf = (sha256: string) => {
    if (!SHA256_HEX.test(sha256)) throw new Error(`not a SHA-256 hex digest: ${sha256}`);
    return path.join(root, sha256.slice(0, 2), sha256);
  };
  const legacyPathOf = (sha256: string) => path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  /**
   * Top folders (`ab`) seen to hold no folder of the older layout: their blobs are looked up once,
   * not twice (a failed lookup per new blob was a tenth of the bulk blob writes). Read once per
   * folder and process; nothing writes the older layout any more, so the answer cannot go stale.
   */
  const flatOnly = new Set<string>();
  const mayBeLegacy = (sha256: string) => {
    const top = sha256.slice(0, 2);
    if (flatOnly.has(top)) return false;
    let names: string[] = [];
    try {
      names = readdirSync(path.join(root, top));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return true;
    }
    if (names.some((name) => name.length === 2)) return true;
    flatOnly.add(top);
    return false;
  };
  /** Where the blob may be stored: its file, then (in folders that have the older layout) its older file. */
  const candidates = (sha256: string) => (mayBeLegacy(sha256) ? [pathOf(sha256), legacyPathOf(sha256)] : [pathOf(sha256)]);
  const stored = async (sha256: string) => {
    for (const file of candidates(sha256)) if (await exists(file)) return file;
    return packed(sha256)?.file;
  };

  /**
   * A bulk writer's blob, appended to this store's open pack unless it is stored already (found
   * in a file, it may still be one an earlier run wrote and never fsynced: the flush covers it).
   * Synchronous: a few system calls per blob, not trips through the libuv thread pool.
   */
  const putInPack = (sha256: string, bytes: Buffer) => {
    if (pack?.entries.has(sha256)) return;
    if (packed(sha256)) {
      packHit = true;
      return;
    }
    const existing = candidates(sha256).find((file) => existsSync(file));
    if (existing) return void unflushed.add(existing);
    if (!pack) {
      if (!knownDirs.has(tmpDir)) {
        mkdirSync(tmpDir, { recursive: true });
        knownDirs.add(tmpDir);
        removeStaleTemp(tmpDir, Date.now());
      }
      pack = openPack(tmpDir);
    }
    appendToPack(pack, sha256, bytes);
  };

  return {
    root,
    async put(bytes, options = {}) {
      const durable = options.durable ?? true;
      const sha256 = sha256Hex(bytes);
      const target = pathOf(sha256);
      if (!durable) {
        putInPack(sha256, bytes);
        return { sha256, size: bytes.length };
      }
      const existing = await stored(sha256);
      if (existing !== undefined) {
        // Found in a pack: its writer may have died between renaming it into place and fsyncing the folder.
        if (path.dirname(existing) === packs.dir) await syncPath(packs.dir);
        return { sha256, size: bytes.length };
      }
      await ensureDir(path.dirname(target));
      await ensureDir(tmpDir);
      const tmp = path.join(tmpDir, `${sha256}.${randomBytes(6).toString('hex')}`);
      const handle = await open(tmp, 'wx', 0o600);
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await moveIntoPlace(tmp, target);
      return { sha256, size: bytes.length };
    },
    openWriter() {
      const spool = openBlobSpool(tmpDir, ensureDir);
      return {
        write: (chunk) => spool.write(chunk),
        async commit() {
          const { sha256, size, file: tmp } = await spool.close({ sync: true });
          const target = pathOf(sha256);
          if ((await stored(sha256)) !== undefined) {
            await rm(tmp, { force: true });
            return { sha256, size };
          }
          await ensureDir(path.dirname(target));
          await moveIntoPlace(tmp, target);
          return { sha256, size };
        },
        abort: () => spool.abort(),
      };
    },
    async flush() {
      const files = unflushed;
      const sealed = pack;
      const syncPacks = packHit || sealed !== undefined;
      unflushed = new Set();
      pack = undefined;
      packHit = false;
      let open = sealed !== undefined;
      try {
        if (sealed) sealPack(sealed);
        // The pack and the found files side by side (the file system folds them into few journal commits).
        await Promise.all([...(sealed ? [fsyncFd(sealed.fd)] : []), ...[...files].map(syncPath)]);
        if (sealed) {
          closeSync(sealed.fd);
          open = false;
          if (!knownDirs.has(packs.dir)) {
            mkdirSync(packs.dir, { recursive: true });
            knownDirs.add(packs.dir);
          }
          renameSync(sealed.tmp, path.join(packs.dir, sealed.name));
        }
        // The renames: each folder's entries, once the files they name are on disk.
        const folders = new Set([...files].map((file) => path.dirname(file)));
        if (syncPacks) folders.add(packs.dir);
        await Promise.all([...folders].map(syncPath));
      } catch (error) {
        for (const file of files) unflushed.add(file); // the next flush tries them again
        packHit ||= syncPacks;
        if (sealed) {
          if (open) closeSync(sealed.fd);
          rmSync(sealed.tmp, { force: true }); // its blobs are written again if a batch needs them
        }
        throw error;
      }
      if (sealed) packs.add(sealed.name, sealed.entries.values());
      packs.refresh(); // the other writers' packs, so that what they stored is not stored twice
    },
    async get(sha256) {
      const file = pathOf(sha256);
      const pending = pack?.entries.get(sha256);
      if (pack && pending) return readOpenPack(pack, pending);
      const inPack = packed(sha256);
      if (inPack) return readPacked(inPack);
      try {
        return await readFile(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        try {
          return await readFile(legacyPathOf(sha256));
        } catch {
          // A pack another process added since this one last looked (its rows may be newer than that look).
          packs.refresh(true);
          const added = packs.get(sha256);
          if (added) return readPacked(added);
          throw error;
        }
      }
    },
    async has(sha256) {
      pathOf(sha256);
      if (pack?.entries.has(sha256) || (await stored(sha256)) !== undefined) return true;
      packs.refresh(true);
      return packs.get(sha256) !== undefined;
    },
    async check() {
      try {
        await mkdir(root, { recursive: true });
        await access(root, constants.W_OK);
        return { ok: true };
      } catch (error) {
        return { ok: false, detail: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}

/** A day: no temp file of a live writer is that old (a pack lives from one flush to the next). */
const STALE_TEMP_MS = 24 * 3600_000;

/**
 * Removes what writers killed mid-batch left in `tmp/` (a pack is several MB): files untouched for
 * a day. Once per store, when its first pack is opened (bulk writers only).
 */
function removeStaleTemp(tmpDir: string, now: number): void {
  for (const name of readdirSync(tmpDir)) {
    const file = path.join(tmpDir, name);
    try {
      if (now - statSync(file).mtimeMs > STALE_TEMP_MS) rmSync(file, { force: true });
    } catch {
      // gone meanwhile (another store's cleanup): nothing to do
    }
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/** Renames a written, fsynced temp file to its blob's name and makes the rename durable; on failure the temp file goes. */
async function moveIntoPlace(tmp: string, target: string): Promise<void> {
  try {
    await rename(tmp, target);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  await syncPath(path.dirname(target));
}

/** fsync of a file, or of a folder (a rename is durable only once its folder's entry is on disk). */
async function syncPath(file: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Every blob's SHA-256, in files of both layouts (`ab/SHA`, the older `ab/cd/SHA`) and in packs, each once (for `pier doctor`, not for request paths). */
export async function* listBlobs(store: Pick<BlobStore, 'root'>): AsyncGenerator<string> {
  const entries = async (dir: string) => {
    try {
      return (await readdir(dir)).sort();
    } catch {
      return [];
    }
  };
  const seen = new Set<string>();
  const once = (sha256: string) => {
    if (seen.has(sha256)) return false;
    seen.add(sha256);
    return true;
  };
  for (const first of await entries(store.root)) {
    if (!/^[0-9a-f]{2}$/.test(first)) continue; // tmp/, packs/
    const names = await entries(path.join(store.root, first));
    for (const name of names) if (SHA256_HEX.test(name) && name.startsWith(first) && once(name)) yield name;
    for (const second of names.filter((name) => /^[0-9a-f]{2}$/.test(name))) {
      for (const legacy of await entries(path.join(store.root, first, second))) {
        if (SHA256_HEX.test(legacy) && legacy.startsWith(first + second) && once(legacy)) yield legacy;
      }
    }
  }
  for (const name of await packFiles(store.root)) {
    for (const { sha256 } of await readPackIndex(path.join(store.root, PACKS_DIR, name))) if (once(sha256)) yield sha256;
  }
}
