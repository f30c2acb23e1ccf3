// Preloaded into Pier's processes by bench:api (`node --import`): every 250 ms it writes the process's
// V8 heap and RSS, and the heap's peak so far, to PIER_BENCH_MEMORY_FILE (one JSON object, replaced
// each time), so the bench can report heap per node beside the kernel's RSS figures. A timer that
// does not keep the process alive; without the variable it does nothing.
import { writeFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const file = process.env.PIER_BENCH_MEMORY_FILE;
// Worker threads (the sync's prepare workers) load it too: only the main thread writes.
if (file && isMainThread) {
  let peakHeapUsed = 0;
  let peakHeapTotal = 0;
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    peakHeapUsed = Math.max(peakHeapUsed, m.heapUsed);
    peakHeapTotal = Math.max(peakHeapTotal, m.heapTotal);
    const sample = { t: Date.now(), rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external };
    writeFileSync(file, JSON.stringify({ ...sample, peakHeapUsed, peakHeapTotal }));
  }, 250);
  timer.unref();
}
