import { createHash, randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, rm } from 'node:fs/promises';
import path from 'node:path';

/** A blob streamed into a temp file, hashed as it is written: the shared half of both stores' `openWriter`. */
export type BlobSpool = {
  write(chunk: Buffer): Promise<void>;
  /**
   * Closes the temp file (fsynced first when `sync`: the filesystem store renames it into place)
   * and gives its name and the blob's SHA-256. The caller moves or removes the file.
   */
  close(options: { sync: boolean }): Promise<{ sha256: string; size: number; file: string }>;
  /** Throws the temp file away. */
  abort(): Promise<void>;
};

/**
 * Opens a spool in `dir` (made on the first write, by `prepareDir` when the store keeps its own
 * record of the folders it made). Nothing touches the disk until the first chunk arrives.
 */
export function openBlobSpool(
  dir: string,
  prepareDir: (dir: string) => Promise<unknown> = (d) => mkdir(d, { recursive: true }),
): BlobSpool {
  const file = path.join(dir, `stream.${randomBytes(8).toString('hex')}`);
  const hash = createHash('sha256');
  let handle: FileHandle | undefined;
  let size = 0;
  return {
    async write(chunk) {
      if (!handle) {
        await prepareDir(dir);
        handle = await open(file, 'wx', 0o600);
      }
      hash.update(chunk);
      for (let offset = 0; offset < chunk.length; ) offset += (await handle.write(chunk, offset)).bytesWritten;
      size += chunk.length;
    },
    async close({ sync }) {
      if (!handle) throw new Error('nothing was written');
      const sha256 = hash.digest('hex');
      try {
        if (sync) await handle.sync();
      } finally {
        await handle.close();
      }
      return { sha256, size, file };
    },
    async abort() {
      await handle?.close().catch(() => undefined);
      await rm(file, { force: true });
    },
  };
}
