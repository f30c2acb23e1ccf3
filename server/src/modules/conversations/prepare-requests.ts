import type { BlobStore } from '../../storage/blob-store.js';
import { packMail } from './packed-mail.js';
import { prepareMail } from './prepare-mail.js';

/** A request to a prepare worker (prepare-pool.ts): a mail's bytes to prepare, or a flush. */
export type PrepareRequest = { id: number; raw?: Uint8Array; flush?: true };

/**
 * The worker side of the pool's requests, apart from the thread so that a test can drive it
 * through a real MessagePort. Mails are prepared one after the other, in the order they came:
 * parsing awaits between its steps, so taking each as it arrives would interleave all queued
 * mails and finish them together (a prefetched batch would be ready only when the last one is).
 * A flush is answered out of turn: it covers the blobs of mails already answered. A prepared mail
 * goes back packed, its long texts in a buffer that moves with the reply (packed-mail.ts).
 */
export function prepareRequestHandler(
  blobs: BlobStore,
  reply: (message: object, transfer?: ArrayBuffer[]) => void,
): (request: PrepareRequest) => void {
  let queue: Promise<void> = Promise.resolve();
  const answer = async (id: number, work: () => Promise<{ message: object; transfer?: ArrayBuffer[] }>) => {
    try {
      const { message, transfer } = await work();
      reply({ id, ...message }, transfer);
    } catch (error) {
      reply({ id, error: error instanceof Error ? error.message : String(error) });
    }
  };
  return (request) => {
    if (request.flush || !request.raw) {
      void answer(request.id, async () => {
        await blobs.flush();
        return { message: { flushed: true } };
      });
      return;
    }
    const raw = Buffer.from(request.raw.buffer, request.raw.byteOffset, request.raw.byteLength);
    queue = queue.then(nextTurn).then(() =>
      answer(request.id, async () => {
        const { packed, transfer } = packMail(await prepareMail(blobs, raw, { durable: false }));
        return { message: { prepared: packed }, transfer };
      }),
    );
  };
}

/**
 * One turn of the event loop before each mail. Without it the queue runs as one chain of
 * microtasks and the port's next message (a flush) is read only once every mail queued before it
 * is prepared: a batch's flush waited for the batches fetched after it, so batches became ready
 * four at a time and the workers then sat idle while the main thread wrote them (decision 0066).
 */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
