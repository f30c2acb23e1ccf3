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
   * Jobs with the same key run one after another on a worker, in the order it claimed them, where
   * a worker runs several jobs at once (PIER_JOB_CONCURRENCY, decision 0070): for handlers that
   * read, decide and write without a lock (an automatic reply's "once per sender per period").
   */
  orderKey?(payload: z.infer<S>): string;
};

export type AnyJobHandler = JobHandler<z.ZodType>;

export function defineJob<S extends z.ZodType>(handler: JobHandler<S>): AnyJobHandler {
  return handler as unknown as AnyJobHandler;
}
