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
  }),
});
export type Health = z.infer<typeof HealthSchema>;
