import type { z } from 'zod';

/**
 * Every background job is listed here with the schema of its payload: the
 * payload is parsed at this edge, so a handler gets typed, validated input.
 */
export type JobHandler<S extends z.ZodType> = {
  name: string;
  payload: S;
  run(payload: z.infer<S>): Promise<void>;
};

export type AnyJobHandler = JobHandler<z.ZodType>;

export function defineJob<S extends z.ZodType>(handler: JobHandler<S>): AnyJobHandler {
  return handler as unknown as AnyJobHandler;
}
