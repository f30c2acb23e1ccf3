import { parentPort, workerData } from 'node:worker_threads';
import { type BlobStoreSettings, openBlobStore } from '../../storage/blob-stores.js';
import { prepareMail } from './prepare-mail.js';

/** The worker side of prepare-pool.ts: stores blobs (not yet fsynced) and parses, off the main thread; flushes them on request. */
const blobs = openBlobStore((workerData as { blobStore: BlobStoreSettings }).blobStore);

type Request = { id: number; raw?: Uint8Array; flush?: true };

/**
 * Mails are prepared one after the other, in the order they came. Parsing awaits between its
 * steps, so taking each as it arrives would interleave all queued mails and finish them
 * together: a whole prefetched batch would be ready only when the last one is, and the main
 * thread would wait for it, then the worker for the main thread.
 */
let queue: Promise<void> = Promise.resolve();

/**
 * One turn of the event loop before each mail. Without it the queue runs as one chain of
 * microtasks and the port's next message (a flush) is read only once every mail queued before it
 * is prepared: a batch's flush waited for the batches fetched after it, so batches became ready
 * four at a time and the workers then sat idle while the main thread wrote them (decision 0066).
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

parentPort?.on('message', (request: Request) => {
  // A flush covers the blobs of mails already answered; it need not wait for the queue.
  if (request.flush || !request.raw) {
    void answer(request.id, async () => {
      await blobs.flush();
      return { flushed: true };
    });
    return;
  }
  const raw = Buffer.from(request.raw.buffer, request.raw.byteOffset, request.raw.byteLength);
  queue = queue
    .then(nextTurn)
    .then(() => answer(request.id, async () => ({ prepared: await prepareMail(blobs, raw, { durable: false }) })));
});

async function answer(id: number, work: () => Promise<object>): Promise<void> {
  try {
    parentPort?.postMessage({ id, ...(await work()) });
  } catch (error) {
    parentPort?.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
}
