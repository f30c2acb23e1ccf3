import { writeFileSync } from 'node:fs';

type Totals = { count: number; userMs: number; sysMs: number; wallMs: number };

/**
 * CPU per job name, for the benchmarks only (bench:api sets PIER_BENCH_JOB_STATS_FILE): the
 * process's user and system CPU across each handler run (and its completion), summed by job name
 * and written to that file as JSON at most every 100 ms. Process-wide, so work running beside a job
 * (an IMAP sync, a web request) counts in it: read it over a span where the worker is what runs.
 */
export function jobCpuRecorder(file = process.env.PIER_BENCH_JOB_STATS_FILE) {
  if (!file) return undefined;
  const totals: Record<string, Totals> = {};
  let dirty = false;
  const write = () => {
    if (!dirty) return;
    dirty = false;
    writeFileSync(file, JSON.stringify(totals));
  };
  setInterval(write, 100).unref();
  return {
    start() {
      const cpu = process.cpuUsage();
      const wall = performance.now();
      return (name: string) => {
        const used = process.cpuUsage(cpu);
        const t = totals[name] ?? { count: 0, userMs: 0, sysMs: 0, wallMs: 0 };
        totals[name] = t;
        t.count += 1;
        t.userMs += used.user / 1000;
        t.sysMs += used.system / 1000;
        t.wallMs += performance.now() - wall;
        dirty = true;
      };
    },
    flush: write,
  };
}
