import { z } from 'zod';

export const HealthCheckSchema = z.object({
  ok: z.boolean(),
  detail: z.string().optional(),
});

export const HealthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  checks: z.object({
    database: HealthCheckSchema.extend({ engine: z.enum(['sqlite', 'postgres']) }),
    blobStore: HealthCheckSchema,
    smtpListener: HealthCheckSchema.extend({ port: z.number().int().nullable() }),
    /** This node's clock agrees with PostgreSQL's (always ok on SQLite); off, the node claims no jobs. */
    clock: HealthCheckSchema,
  }),
});
export type Health = z.infer<typeof HealthSchema>;
