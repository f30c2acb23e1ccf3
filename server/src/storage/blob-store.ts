import { createHash, randomBytes } from 'node:crypto';
import { constants, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { access, type FileHandle, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Content-addressed store for raw mail and attachments: a blob's name is the
 * SHA-256 of its bytes, so storing the same bytes twice is a no-op and a blob
 * can never be half-written (temp file, fsync, rename).
 */
export type BlobStore = {
  /**
   * Stores bytes. `durable: false` skips the per-file fsync for bulk writers
   * (IMAP sync), which call `flush()` once before committing the rows that
   * point at the blobs; a process crash loses nothing either way (the page
   * cache survives it), and flush() covers an OS crash.
   */
  put(bytes: Buffer, options?: { durable?: boolean }): Promise<{ sha256: string; size: number }>;
  /**
   * Streams a blob in without holding it in memory (a large mail while it is received): a temp
   * file in the store's folder, hashed as it is written; `commit()` makes it durable and moves it
   * into place, `abort()` throws it away.
   */
  openWriter(): BlobWriter;
  /**
   * Makes the blobs this store wrote with `durable: false` since the last flush durable: an fsync
   * of each such file and of each folder it was renamed into, run side by side (the file system
   * folds them into few journal commits). Never the whole file system (syncfs), whose cost is
   * whatever else anyone wrote to it (decision 0040).
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
/** Non-durable blobs up to this size are written without leaving the event loop (see putSmallNow). */
const SYNC_WRITE_MAX_BYTES = 256 * 1024;

export function sha256Hex(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function createBlobStore(root: string): BlobStore {
  const tmpDir = path.join(root, 'tmp');
  const knownDirs = new Set<string>();
  /** Files written without fsync since the last flush (by this store: each prepare worker has its own). */
  let unflushed = new Set<string>();
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
  /** The blob's file if it is stored, in either layout. */
  const storedNow = (sha256: string) => candidates(sha256).find((file) => existsSync(file));
  const stored = async (sha256: string) => {
    for (const file of candidates(sha256)) if (await exists(file)) return file;
    return undefined;
  };

  /**
   * Bulk writers store thousands of small blobs: done synchronously, each costs a few system
   * calls instead of five trips through the libuv thread pool (a third of the blob time).
   */
  const putSmallNow = (sha256: string, bytes: Buffer) => {
    const existing = storedNow(sha256);
    // Found, it may still be a file an earlier run wrote and never flushed: this flush covers it too.
    if (existing) return void unflushed.add(existing);
    const target = pathOf(sha256);
    const dir = path.dirname(target);
    if (!knownDirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      knownDirs.add(dir);
    }
    if (!knownDirs.has(tmpDir)) {
      mkdirSync(tmpDir, { recursive: true });
      knownDirs.add(tmpDir);
    }
    const tmp = path.join(tmpDir, `${path.basename(target)}.${randomBytes(6).toString('hex')}`);
    writeFileSync(tmp, bytes, { flag: 'wx', mode: 0o600 });
    try {
      renameSync(tmp, target);
    } catch (error) {
      rmSync(tmp, { force: true });
      throw error;
    }
    unflushed.add(target);
  };

  return {
    root,
    async put(bytes, options = {}) {
      const durable = options.durable ?? true;
      const sha256 = sha256Hex(bytes);
      const target = pathOf(sha256);
      if (!durable && bytes.length <= SYNC_WRITE_MAX_BYTES) {
        putSmallNow(sha256, bytes);
        return { sha256, size: bytes.length };
      }
      const existing = await stored(sha256);
      if (existing) {
        if (!durable) unflushed.add(existing);
        return { sha256, size: bytes.length };
      }
      await ensureDir(path.dirname(target));
      await ensureDir(tmpDir);
      const tmp = path.join(tmpDir, `${sha256}.${randomBytes(6).toString('hex')}`);
      const handle = await open(tmp, 'wx', 0o600);
      try {
        await handle.writeFile(bytes);
        if (durable) await handle.sync();
      } finally {
        await handle.close();
      }
      try {
        await rename(tmp, target);
      } catch (error) {
        await rm(tmp, { force: true });
        throw error;
      }
      if (durable) await syncPath(path.dirname(target));
      else unflushed.add(target);
      return { sha256, size: bytes.length };
    },
    openWriter() {
      const tmp = path.join(tmpDir, `stream.${randomBytes(8).toString('hex')}`);
      const hash = createHash('sha256');
      let handle: FileHandle | undefined;
      let size = 0;
      return {
        async write(chunk) {
          if (!handle) {
            await ensureDir(tmpDir);
            handle = await open(tmp, 'wx', 0o600);
          }
          hash.update(chunk);
          for (let offset = 0; offset < chunk.length; ) offset += (await handle.write(chunk, offset)).bytesWritten;
          size += chunk.length;
        },
        async commit() {
          const sha256 = hash.digest('hex');
          const target = pathOf(sha256);
          if (!handle) throw new Error('nothing was written');
          try {
            await handle.sync();
          } finally {
            await handle.close();
          }
          if ((await stored(sha256)) !== undefined) {
            await rm(tmp, { force: true });
            return { sha256, size };
          }
          await ensureDir(path.dirname(target));
          try {
            await rename(tmp, target);
          } catch (error) {
            await rm(tmp, { force: true });
            throw error;
          }
          await syncPath(path.dirname(target));
          return { sha256, size };
        },
        async abort() {
          await handle?.close().catch(() => undefined);
          await rm(tmp, { force: true });
        },
      };
    },
    async flush() {
      const files = unflushed;
      unflushed = new Set();
      try {
        await Promise.all([...files].map(syncPath));
        // The renames: each folder's entries, once the files they name are on disk.
        await Promise.all([...new Set([...files].map((file) => path.dirname(file)))].map(syncPath));
      } catch (error) {
        for (const file of files) unflushed.add(file); // the next flush tries them again
        throw error;
      }
    },
    async get(sha256) {
      try {
        return await readFile(pathOf(sha256));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        return readFile(legacyPathOf(sha256));
      }
    },
    async has(sha256) {
      return (await stored(sha256)) !== undefined;
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

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
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

/** Every blob's SHA-256, in both layouts (`ab/SHA` and the older `ab/cd/SHA`), each once (for `pier doctor`, not for request paths). */
export async function* listBlobs(store: Pick<BlobStore, 'root'>): AsyncGenerator<string> {
  const entries = async (dir: string) => {
    try {
      return (await readdir(dir)).sort();
    } catch {
      return [];
    }
  };
  for (const first of await entries(store.root)) {
    if (!/^[0-9a-f]{2}$/.test(first)) continue; // tmp/
    const names = await entries(path.join(store.root, first));
    const flat = new Set(names.filter((name) => SHA256_HEX.test(name) && name.startsWith(first)));
    yield* flat;
    for (const second of names.filter((name) => /^[0-9a-f]{2}$/.test(name))) {
      for (const legacy of await entries(path.join(store.root, first, second))) {
        if (SHA256_HEX.test(legacy) && legacy.startsWith(first + second) && !flat.has(legacy)) yield legacy;
      }
    }
  }
}
