import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { constants, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { access, type FileHandle, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

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
  /** Makes every blob written so far durable (one syncfs instead of an fsync per file). */
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
  const ensureDir = async (dir: string) => {
    if (knownDirs.has(dir)) return;
    await mkdir(dir, { recursive: true });
    knownDirs.add(dir);
  };
  const pathOf = (sha256: string) => {
    if (!SHA256_HEX.test(sha256)) throw new Error(`not a SHA-256 hex digest: ${sha256}`);
    return path.join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  };

  /**
   * Bulk writers store thousands of small blobs: done synchronously, each costs a few system
   * calls instead of five trips through the libuv thread pool (a third of the blob time).
   */
  const putSmallNow = (target: string, bytes: Buffer) => {
    if (existsSync(target)) return;
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
  };

  return {
    root,
    async put(bytes, options = {}) {
      const durable = options.durable ?? true;
      const sha256 = sha256Hex(bytes);
      const target = pathOf(sha256);
      if (!durable && bytes.length <= SYNC_WRITE_MAX_BYTES) {
        putSmallNow(target, bytes);
        return { sha256, size: bytes.length };
      }
      if (await exists(target)) return { sha256, size: bytes.length };
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
      if (durable) await syncDirectory(path.dirname(target));
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
          if (await exists(target)) {
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
          await syncDirectory(path.dirname(target));
          return { sha256, size };
        },
        async abort() {
          await handle?.close().catch(() => undefined);
          await rm(tmp, { force: true });
        },
      };
    },
    async flush() {
      await ensureDir(root);
      // syncfs(2) through coreutils' `sync -f`: one call flushes the whole blob filesystem.
      await execFileAsync('sync', ['-f', root]);
    },
    async get(sha256) {
      return readFile(pathOf(sha256));
    },
    async has(sha256) {
      return exists(pathOf(sha256));
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

/** The rename is durable only once its directory entry is on disk. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Every blob's SHA-256, walking the store's two-level fan-out (for `pier doctor`, not for request paths). */
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
    for (const second of await entries(path.join(store.root, first))) {
      for (const name of await entries(path.join(store.root, first, second))) {
        if (SHA256_HEX.test(name) && name.startsWith(first + second)) yield name;
      }
    }
  }
}
