import { parentPort, workerData } from 'node:worker_threads';
import { createBlobStore } from '../../storage/blob-store.js';
import { prepareMail } from './prepare-mail.js';

/** The worker side of prepare-pool.ts: stores blobs (not yet fsynced) and parses, off the main thread; flushes them on request. */
const blobs = createBlobStore((workerData as { blobRoot: string }).blobRoot);

parentPort?.on('message', async (request: { id: number; raw?: Uint8Array; flush?: true }) => {
  try {
    if (request.flush || !request.raw) {
      await blobs.flush();
      parentPort?.postMessage({ id: request.id, flushed: true });
      return;
    }
    const raw = Buffer.from(request.raw.buffer, request.raw.byteOffset, request.raw.byteLength);
    const prepared = await prepareMail(blobs, raw, { durable: false });
    parentPort?.postMessage({ id: request.id, prepared });
  } catch (error) {
    parentPort?.postMessage({ id: request.id, error: error instanceof Error ? error.message : String(error) });
  }
});
