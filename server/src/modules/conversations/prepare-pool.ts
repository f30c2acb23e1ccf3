import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { EventLoopUtilization } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BlobStore } from '../../storage/blob-store.js';
import { blobStoreSettingsOf } from '../../storage/blob-stores.js';
import type { StorableMail } from './packed-mail.js';
import { prepareMail } from './prepare-mail.js';

/**
 * Bulk ingest (IMAP sync) prepares mail on worker threads: parsing, hashing, blob writes and
 * index text cost about twice the database work, so with them off the main thread the stages
 * overlap. Each worker prepares its mails one at a time in the order given, so the oldest
 * fetched batch is ready first. Blobs are written without fsync; the caller still calls
 * `flush()` before committing rows that point at them.
 *
 * Running from TypeScript sources (tests) there is no compiled worker file: preparing then
 * happens in-process, with the same function.
 */
export type PreparePool = {
  /**
   * `handOver`: the caller gives the bytes away (IMAP sync: a FETCH literal nothing else holds).
   * When they fill an ArrayBuffer of their own it moves to the worker instead of being copied,
   * and the caller's Buffer is left empty (detached); otherwise they are copied as usual.
   * A worker's mail comes back packed (its long texts as UTF-8 bytes, packed-mail.ts).
   */
  prepare(raw: Buffer, options?: { handOver?: boolean }): Promise<StorableMail>;
  /** Makes every blob prepared so far durable: each worker fsyncs the files it wrote (blobs.flush()). */
  flush(): Promise<void>;
  /** Each worker's event loop so far: active vs idle (waiting for mail) milliseconds, for bench:sync (decision 0066). */
  eventLoops(): EventLoopUtilization[];
  close(): Promise<void>;
};

/**
 * Each worker is a V8 heap of its own. Its young generation defaults to 3 × 16 MB semi-spaces,
 * filled with each mail's short-lived parse garbage before a scavenge: capped, scavenges come
 * sooner and cost little (a mail's garbage is small), and the sync's RSS drops (decision 0026).
 * The old generation keeps room for one huge mail (a 48 MB text body is a 48 MB+ string).
 */
const WORKER_LIMITS = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 1024 };

type Reply = { id: number; prepared?: StorableMail; flushed?: boolean; error?: string };

const workerFile = fileURLToPath(new URL('./prepare-worker.js', import.meta.url));

export function createPreparePool(blobs: BlobStore, options: { threads?: number } = {}): PreparePool {
  // As many workers as cores (2–4): the main thread waits for prepared mail more than half of
  // the time, so a core per worker keeps every core busy (on 2 vCPUs, one worker left 30 % idle).
  const threads = options.threads ?? Math.max(2, Math.min(4, availableParallelism()));
  if (!existsSync(workerFile) || threads === 0) {
    return {
      prepare: (raw) => prepareMail(blobs, raw, { durable: false }),
      flush: sharedRuns(() => blobs.flush()),
      eventLoops: () => [],
      close: async () => {},
    };
  }
  const pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void; worker: Worker }>();
  let nextId = 0;
  const workers: Worker[] = [];
  /** Bytes of mail sent to each worker and not yet answered: the next mail goes to the least loaded. */
  const queued = new Map<Worker, number>();
  // A worker that dies (out of memory on a huge mail, say) fails what it was doing and leaves
  // the pool; with none left, mail is prepared in-process. Nothing waits forever.
  const retire = (worker: Worker, error: Error) => {
    const index = workers.indexOf(worker);
    if (index >= 0) workers.splice(index, 1);
    for (const [id, p] of pending) {
      if (p.worker !== worker) continue;
      pending.delete(id);
      p.reject(error);
    }
  };
  for (let i = 0; i < threads; i++) {
    const worker = new Worker(workerFile, {
      workerData: { blobStore: blobStoreSettingsOf(blobs) },
      execArgv: [],
      resourceLimits: WORKER_LIMITS,
    });
    worker.on('message', (reply: Reply) => {
      const waiting = pending.get(reply.id);
      if (!waiting) return;
      pending.delete(reply.id);
      if (reply.error === undefined) waiting.resolve(reply);
      else waiting.reject(new Error(reply.error));
    });
    worker.on('error', (error) => retire(worker, error));
    worker.on('exit', (code) => retire(worker, new Error(`prepare worker exited with code ${code}`)));
    // Idle workers must not keep the process alive (after the listeners: adding one re-refs the port).
    worker.unref();
    workers.push(worker);
  }
  const ask = (worker: Worker, message: { raw?: Uint8Array; flush?: true }, transfer: ArrayBuffer[] = []) => {
    const id = nextId++;
    return new Promise<Reply>((resolve, reject) => {
      pending.set(id, { resolve, reject, worker });
      worker.postMessage({ id, ...message }, transfer);
    });
  };
  return {
    async prepare(raw, options = {}) {
      // Not in turn: a slow mail (the mailparser path, a big attachment) would leave the other
      // worker idle at the end of each batch while this one still has its share queued (0066).
      const worker = leastLoaded(workers, queued);
      if (!worker) return prepareMail(blobs, raw, { durable: false });
      const size = raw.byteLength;
      queued.set(worker, (queued.get(worker) ?? 0) + size);
      try {
        const reply = await ask(worker, ...transferable(raw, options.handOver === true));
        if (!reply.prepared) throw new Error('prepare worker returned nothing');
        return reply.prepared;
      } finally {
        queued.set(worker, (queued.get(worker) ?? 0) - size);
      }
    },
    flush: sharedRuns(async () => {
      // Each worker knows only its own files; mail prepared in-process (no worker left) is the store's.
      await Promise.all([...workers.map((worker) => ask(worker, { flush: true })), blobs.flush()]);
    }),
    eventLoops: () => workers.map((worker) => worker.performance.eventLoopUtilization()),
    async close() {
      const all = [...workers];
      for (const worker of all) retire(worker, new Error('prepare pool closed'));
      await Promise.all(all.map((w) => w.terminate()));
    },
  };
}

/** The worker with the fewest bytes of mail waiting (the first of equals). */
export function leastLoaded<W>(workers: W[], queued: Map<W, number>): W | undefined {
  let best: W | undefined;
  for (const worker of workers) if (best === undefined || (queued.get(worker) ?? 0) < (queued.get(best) ?? 0)) best = worker;
  return best;
}

/**
 * The request carrying a mail's bytes and the buffer moved with it. A handed-over Buffer that is
 * its whole ArrayBuffer (imapflow's literal of a mail over 4 KB) moves as it is: no copy on the
 * main thread (decision 0064). Anything else, a slice of Node's shared pool say, is copied first,
 * so the worker owns what it gets and the caller's other bytes stay.
 */
export function transferable(raw: Buffer, handOver: boolean): [{ raw: Uint8Array }, ArrayBuffer[]] {
  const whole = raw.byteOffset === 0 && raw.byteLength === raw.buffer.byteLength && raw.buffer instanceof ArrayBuffer;
  const bytes = handOver && whole ? new Uint8Array(raw.buffer, 0, raw.byteLength) : new Uint8Array(raw);
  return [{ raw: bytes }, [bytes.buffer as ArrayBuffer]];
}

/**
 * One flush covers every blob written before it started, so callers that overlap share runs:
 * a call waits for a run that starts after it (never one already under way), and all calls made
 * during a run share the next one. Batches prepared ahead then cost one flush, not one each.
 */
export function sharedRuns(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;
  const start = () => {
    const current = run().finally(() => {
      if (running === current) running = null;
    });
    running = current;
    return current;
  };
  return () => {
    if (!running) return start();
    if (!queued) {
      queued = running
        .catch(() => {})
        .then(() => {
          queued = null;
          return start();
        });
    }
    return queued;
  };
}

const pools = new WeakMap<BlobStore, PreparePool>();

/** One pool per blob store for the life of the process (its threads do not keep the process alive). */
export function preparePoolFor(blobs: BlobStore): PreparePool {
  let pool = pools.get(blobs);
  if (!pool) {
    pool = createPreparePool(blobs);
    pools.set(blobs, pool);
  }
  return pool;
}
