import type { Health } from '@pier/contracts';
import { HealthSchema } from '@pier/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import type { DatabaseHandle } from './db/database.js';
import type { BlobStore } from './storage/blob-store.js';
import type { SmtpListener } from './transports/smtp-listener.js';
import { PIER_VERSION } from './version.js';

export type HealthProbe = () => Promise<Health>;

export function createHealthProbe(parts: { database: DatabaseHandle; blobs: BlobStore; smtp: SmtpListener | undefined }): HealthProbe {
  return async () => {
    const database = await sql`select 1 as ok`
      .execute(parts.database.db)
      .then(() => ({ ok: true, engine: parts.database.engine }))
      .catch((error: unknown) => ({
        ok: false,
        engine: parts.database.engine,
        detail: error instanceof Error ? error.message : String(error),
      }));
    const blobStore = await parts.blobs.check();
    const smtpListener = parts.smtp ? parts.smtp.status() : { ok: true, port: null, detail: 'disabled (PIER_SMTP_ENABLED=0)' };
    const isOk = database.ok && blobStore.ok && smtpListener.ok;
    return { status: isOk ? 'ok' : 'degraded', version: PIER_VERSION, checks: { database, blobStore, smtpListener } };
  };
}

export const healthRoutes: FastifyPluginAsyncZod<{ probe: HealthProbe }> = async (app, { probe }) => {
  app.get(
    '/api/health',
    { config: { access: 'public' }, schema: { response: { 200: HealthSchema, 503: HealthSchema } } },
    async (_request, reply) => {
      const health = await probe();
      return reply.code(health.status === 'ok' ? 200 : 503).send(health);
    },
  );
};
