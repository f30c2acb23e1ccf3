import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { copyBlobFolder } from './blob-copy.js';
import { type BlobStore, createBlobStore, listBlobs, sha256Hex } from './blob-store.js';
import { type BlobStoreSettings, openBlobStore, storedBlobs } from './blob-stores.js';

type CopyResult = { copied: number; kept: number; sha256s: Set<string> };

/** A few transfers in flight: the network (S3) or disk stays busy, memory holds a few blobs at most. */
const IN_FLIGHT = 8;

/**
 * A backup's blobs, from whichever store the node uses into the backup folder's `blobs/` (the
 * filesystem layout, `ab/<sha256>`, whatever the source): a backup of an S3 workspace restores into
 * a folder workspace and back. Blobs the folder already holds are kept (content-addressed).
 */
export async function copyBlobsOut(settings: BlobStoreSettings, to: string): Promise<CopyResult> {
  if (settings.kind === 'filesystem') return copyBlobFolder(settings.root, to);
  const store = openBlobStore(settings);
  const result: CopyResult = { copied: 0, kept: 0, sha256s: new Set() };
  const made = new Set<string>();
  const copyOne = async (sha256: string) => {
    const target = path.join(to, sha256.slice(0, 2), sha256);
    if (await stat(target).catch(() => null)) {
      result.kept++;
      return;
    }
    const bytes = await store.get(sha256); // checked against its SHA-256 on the way
    const dir = path.dirname(target);
    if (!made.has(dir)) {
      await mkdir(dir, { recursive: true });
      made.add(dir);
    }
    // A temp name and a rename: an interrupted backup leaves no half blob under a real name.
    await writeFile(`${target}.part`, bytes, { mode: 0o600 });
    await rename(`${target}.part`, target);
    result.copied++;
  };
  await inBatches(storedBlobs(store), async (sha256) => {
    result.sha256s.add(sha256);
    await copyOne(sha256);
  });
  return result;
}

/**
 * A backup folder's blobs into the node's store (restore). Each blob is stored durably through the
 * store's own `put`, which names it by the SHA-256 of the bytes read: a damaged file in the backup
 * lands under its true name and counts as missing, it does not pass for the blob it should be.
 */
export async function copyBlobsIn(from: string, settings: BlobStoreSettings): Promise<CopyResult> {
  if (settings.kind === 'filesystem') return copyBlobFolder(from, settings.root);
  const store: BlobStore = openBlobStore(settings);
  const result: CopyResult = { copied: 0, kept: 0, sha256s: new Set() };
  // The backup folder read as a store: its loose files of both layouts and its packs.
  const backup = createBlobStore(from);
  await inBatches(listBlobs(backup), async (sha256) => {
    if (await store.has(sha256)) {
      result.kept++;
      result.sha256s.add(sha256);
      return;
    }
    const bytes = await backup.get(sha256).catch(() => undefined);
    if (!bytes || sha256Hex(bytes) !== sha256) return; // damaged in the backup: reported as missing
    await store.put(bytes);
    result.copied++;
    result.sha256s.add(sha256);
  });
  return result;
}

async function inBatches<T>(items: AsyncIterable<T>, work: (item: T) => Promise<void>): Promise<void> {
  const queue: Promise<void>[] = [];
  for await (const item of items) {
    queue.push(work(item));
    if (queue.length >= IN_FLIGHT) await Promise.all(queue.splice(0));
  }
  await Promise.all(queue);
}
