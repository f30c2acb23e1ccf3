import { parentPort, workerData } from 'node:worker_threads';
import { type BlobStoreSettings, openBlobStore } from '../../storage/blob-stores.js';
import { prepareRequestHandler } from './prepare-requests.js';

/** The worker side of prepare-pool.ts: stores blobs (not yet fsynced) and parses, off the main thread; flushes them on request. */
const blobs = openBlobStore((workerData as { blobStore: BlobStoreSettings }).blobStore);

parentPort?.on(
  'message',
  prepareRequestHandler(blobs, (message, transfer) => parentPort?.postMessage(message, transfer)),
);
