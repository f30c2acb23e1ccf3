import { AsyncLocalStorage } from 'node:async_hooks';
import type { LogEvent } from 'kysely';

/** The statements one metered piece of work ran: how many, the time spent awaiting them, by SQL text. */
export type QueryMeter = { statements: number; dbMs: number; bySql: Map<string, { n: number; ms: number }> };

const current = new AsyncLocalStorage<QueryMeter>();

/**
 * For the benchmarks only (bench:api sets PIER_BENCH_JOB_STATS_FILE, and the worker meters each job):
 * Kysely's query log, counting each statement and the milliseconds the caller awaited it (the round
 * trip and the server's work; SQLite: the call itself) into the meter of the work it ran for.
 * Undefined otherwise, so a normal run pays nothing.
 */
export function queryMeterLog(enabled = Boolean(process.env.PIER_BENCH_JOB_STATS_FILE)): ((event: LogEvent) => void) | undefined {
  if (!enabled) return undefined;
  return (event) => {
    const meter = current.getStore();
    if (!meter) return;
    meter.statements += 1;
    meter.dbMs += event.queryDurationMillis;
    const text = event.query.sql.slice(0, 160);
    const row = meter.bySql.get(text) ?? { n: 0, ms: 0 };
    meter.bySql.set(text, row);
    row.n += 1;
    row.ms += event.queryDurationMillis;
  };
}

/** Runs `work` with a fresh meter: every statement it (and what it awaits) runs counts there. */
export function withQueryMeter<T>(work: () => Promise<T>): { meter: QueryMeter; done: Promise<T> } {
  const meter: QueryMeter = { statements: 0, dbMs: 0, bySql: new Map() };
  return { meter, done: current.run(meter, work) };
}
