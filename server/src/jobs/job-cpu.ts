import { AsyncLocalStorage } from 'node:async_hooks';
import { writeFileSync } from 'node:fs';
import { withQueryMeter } from '../db/query-meter.js';

type Totals = {
  count: number;
  userMs: number;
  sysMs: number;
  wallMs: number;
  /** Statements the jobs ran, and the milliseconds they awaited them (db/query-meter.ts). */
  statements: number;
  dbMs: number;
  /** The statements that took most of that time: SQL text (shortened) → [runs, ms]. */
  sql: Record<string, [number, number]>;
};

type Share = { user: number; sys: number };

type StepRunner = <T>(name: string, work: () => Promise<T>) => Promise<T>;

/** The running job's way to account a step of its own under the step's name (set by the recorder). */
const currentJob = new AsyncLocalStorage<StepRunner>();

/**
 * Runs one step of the current job (a subscriber run inside its event's job, decision 0073) and,
 * when the benchmarks record, accounts its CPU, wall time and statements under `name` instead of
 * the job's: a job of several steps still shows what each costs. Outside a recorded job: just runs.
 */
export function measureJobStep<T>(name: string, work: () => Promise<T>): Promise<T> {
  const step = currentJob.getStore();
  return step ? step(name, work) : work();
}

/**
 * CPU, wall time and statements per job name, for the benchmarks only (bench:api sets
 * PIER_BENCH_JOB_STATS_FILE): summed by job name and written to that file as JSON at most every
 * 100 ms. The process's user and system CPU is split evenly among the jobs running at the time
 * (with PIER_JOB_CONCURRENCY > 1 several do), so the shares add up to the process's CPU over the
 * spans where jobs ran; work beside them (an IMAP sync, a web request, the next claim) counts in
 * them too: read it over a span where the worker is what runs.
 */
export function jobCpuRecorder(file = process.env.PIER_BENCH_JOB_STATS_FILE) {
  if (!file) return undefined;
  const totals: Record<string, Totals> = {};
  const running = new Set<Share>();
  let last = process.cpuUsage();
  let dirty = false;
  const write = () => {
    if (!dirty) return;
    dirty = false;
    writeFileSync(file, JSON.stringify(totals));
  };
  setInterval(write, 100).unref();
  // The CPU used since the last job started or ended, shared among the jobs that ran meanwhile.
  const settle = () => {
    const now = process.cpuUsage();
    for (const share of running) {
      share.user += (now.user - last.user) / 1000 / running.size;
      share.sys += (now.system - last.system) / 1000 / running.size;
    }
    last = now;
  };
  /**
   * Runs `work` and adds what it used to `name`'s totals. A step (`parent` given) takes the CPU
   * from its job while it runs, so the job keeps only its own part (claim aside: its fan-out and
   * completion) and the shares still add up to the process's CPU; the job's wall time includes its steps.
   */
  async function measure<T>(name: string, work: () => Promise<T>, parent?: Share): Promise<T> {
    settle();
    if (parent) running.delete(parent);
    const share: Share = { user: 0, sys: 0 };
    running.add(share);
    const wall = performance.now();
    const step: StepRunner = (stepName, stepWork) => measure(stepName, stepWork, share);
    const { meter, done } = withQueryMeter(() => currentJob.run(step, work));
    try {
      return await done;
    } finally {
      settle();
      running.delete(share);
      if (parent) running.add(parent);
      const t = totals[name] ?? { count: 0, userMs: 0, sysMs: 0, wallMs: 0, statements: 0, dbMs: 0, sql: {} };
      totals[name] = t;
      t.count += 1;
      t.userMs += share.user;
      t.sysMs += share.sys;
      t.wallMs += performance.now() - wall;
      t.statements += meter.statements;
      t.dbMs += meter.dbMs;
      for (const [text, { n, ms }] of meter.bySql) {
        const row = t.sql[text] ?? [0, 0];
        t.sql[text] = [row[0] + n, row[1] + ms];
      }
      dirty = true;
    }
  }
  return {
    /** Runs one job's work (its handler and completion) and adds what it used to its name's totals. */
    measure: <T>(name: string, work: () => Promise<T>) => measure(name, work),
    flush: write,
  };
}
