import { type BlobStore, createBlobStore, listBlobs } from './blob-store.js';
import { createS3BlobStore, type S3BlobSettings, type S3BlobStore } from './blob-store-s3.js';

/**
 * Which blob store a node uses (decision 0057): a folder (the default, `PIER_DATA_DIR/blobs`, or
 * `PIER_BLOB_DIR`, which several nodes may mount from one shared file system), or an
 * S3-compatible bucket (`PIER_BLOB_S3_*`). Plain data, so prepare workers open the same store.
 */
export type BlobStoreSettings = { kind: 'filesystem'; root: string } | S3BlobSettings;

/** What each opened store was opened from: prepare workers open their own copy of it. */
const opened = new WeakMap<BlobStore, BlobStoreSettings>();

export function openBlobStore(settings: BlobStoreSettings): BlobStore {
  const store = settings.kind === 's3' ? createS3BlobStore(settings) : createBlobStore(settings.root);
  opened.set(store, settings);
  return store;
}

/** The settings a store was opened from; a store made by createBlobStore directly is its folder. */
export function blobStoreSettingsOf(store: BlobStore): BlobStoreSettings {
  return opened.get(store) ?? { kind: 'filesystem', root: store.root };
}

function isS3(store: BlobStore): store is S3BlobStore {
  return typeof (store as Partial<S3BlobStore>).list === 'function';
}

/** Every stored blob's SHA-256, whichever the store (for `pier doctor` and backups, not request paths). */
export async function* storedBlobs(store: BlobStore): AsyncGenerator<string> {
  yield* isS3(store) ? store.list() : listBlobs(store);
}
