// Where the sync pipeline waits (decision 0066), for sync-process.mjs with PIER_BENCH_TRACE=FILE:
// each batch's stage edges (fetch, prepared, flush, store) as JSON lines in FILE, and one summary
// line on stderr (`sync-trace {…}`): each thread's idle time from its event loop (the main thread's
// and each prepare worker's; idle = waiting in epoll for something to do), the time the main
// thread spent in write transactions and between them, and each stage's summed duration.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const ms = (x) => Math.round(x);

export function startTrace({ pool }) {
  const events = [];
  let mainStart = null;
  let workersStart = null;
  return {
    event(e) {
      // From the first FETCH on: the workers' module loading before it is not the pipeline's.
      if (mainStart === null) {
        mainStart = performance.eventLoopUtilization();
        workersStart = pool.eventLoops();
      }
      events.push(e);
    },
    finish(file) {
      if (mainStart === null) return;
      const main = performance.eventLoopUtilization(mainStart);
      const workers = pool.eventLoops().map((now, i) => performance.eventLoopUtilization(now, workersStart[i]));
      writeFileSync(file, events.map((e) => JSON.stringify({ ...e, at: ms(e.at) })).join('\n'));
      process.stderr.write(`sync-trace ${JSON.stringify(summarise(events, main, workers))}\n`);
    },
  };
}

function summarise(events, main, workers) {
  const first = events[0].at;
  const last = events[events.length - 1].at;
  const spans = {};
  const open = new Map();
  for (const e of events) {
    const key = `${e.batch}:${e.stage}`;
    if (e.edge === 'start') open.set(key, e.at);
    else if (open.has(key)) {
      spans[e.stage] = (spans[e.stage] ?? 0) + e.at - open.get(key);
      open.delete(key);
    }
  }
  // The main thread between two write transactions: fetching, handing over, waiting for a batch.
  const stores = events.filter((e) => e.stage === 'store');
  let betweenStores = 0;
  for (let i = 1; i + 1 < stores.length; i += 2) betweenStores += stores[i + 1].at - stores[i].at;
  const batches = new Set(events.map((e) => e.batch)).size;
  // From a batch's first literal to its last mail prepared: how long a batch takes to get ready.
  const fetchStart = new Map(events.filter((e) => e.stage === 'fetch' && e.edge === 'start').map((e) => [e.batch, e.at]));
  const ready = events.filter((e) => e.stage === 'prepared').reduce((sum, e) => sum + e.at - (fetchStart.get(e.batch) ?? e.at), 0);
  return {
    batches,
    pipeline_ms: ms(last - first),
    first_store_start_ms: ms((stores[0]?.at ?? first) - first),
    main_idle_ms: ms(main.idle),
    main_active_ms: ms(main.active),
    workers_idle_ms: workers.map((w) => ms(w.idle)),
    workers_active_ms: workers.map((w) => ms(w.active)),
    store_ms: ms(spans.store ?? 0),
    between_stores_ms: ms(betweenStores),
    fetch_ms: ms(spans.fetch ?? 0),
    fetch_to_prepared_ms: ms(ready),
    flush_ms: ms(spans.flush ?? 0),
  };
}
