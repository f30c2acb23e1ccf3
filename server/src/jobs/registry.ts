import type { z } from 'zod';

/**
 * The shape of a background job: its name and the schema of its payload. Each module defines its
 * jobs with `defineJob` (e.g. `outboxJobHandlers`, `eventJobHandlers`); compose.ts hands the full list,
 * and the recurring schedules, to the worker, which parses every payload at this edge, so a handler
 * gets typed, validated input and a job without a handler is never claimed.
 */
export type JobHandler<S extends z.ZodType> = {
  name: string;
  payload: S;
  run(payload: z.infer<S>): Promise<void>;
  /**
   * Someone is waiting for it (a reply being sent, a sign-in mail): the worker claims due urgent
   * jobs before any other, so they never queue behind a backlog (decision 0056).
   */
  urgent?: boolean;
  /**
   * Where a worker runs several jobs at once (PIER_JOB_CONCURRENCY, decision 0070), jobs of one
   * serial group run one at a time, in order of due time: while one runs, the worker's other slots
   * do not claim the group's jobs (so a claimed job is still a started job). For handlers that
   * count, decide and write without a lock (the loop guard), or whose crash mid-run leaves a
   * person to decide (a send becomes "uncertain": one at a time, a crash leaves one).
   */
  serialGroup?: string;
};

export type AnyJobHandler = JobHandler<z.ZodType>;

export function defineJob<S extends z.ZodType>(handler: JobHandler<S>): AnyJobHandler {
  return handler as unknown as AnyJobHandler;
}
