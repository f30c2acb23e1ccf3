import type { Health } from '@pier/contracts';
import { HealthSchema } from '@pier/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { ClockSkewGuard } from './clock-skew.js';
import type { DatabaseHandle } from './db/database.js';
import type { BlobStore } from './storage/blob-store.js';
import type { SmtpListener } from './transports/smtp-listener.js';
import { PIER_VERSION } from './version.js';

export type HealthProbe = () => Promise<Health>;

type Check = { ok: boolean; detail?: string };

/**
 * /api/health answers anyone (load balancers probe it unauthenticated): a failing check shows only
 * `ok: false`. Its detail (a bucket, a path, a database host, a port in use) goes to the log, once
 * each time it changes, so the sidebar's poll does not repeat it every two minutes.
 */
export function createHealthProbe(parts: {
  database: DatabaseHandle;
  blobs: BlobStore;
  smtp: SmtpListener | undefined;
  /** The node's clock against PostgreSQL's (decision 0074). */
  clock: Pick<ClockSkewGuard, 'status'>;
  logger: Pick<Logger, 'warn'>;
}): HealthProbe {
  const lastLogged = new Map<string, string>();
  const publicCheck = <T extends Check>(name: string, check: T): T => {
    if (check.ok) {
      lastLogged.delete(name);
      return check;
    }
    const detail = check.detail ?? '';
    if (lastLogged.get(name) !== detail) {
      lastLogged.set(name, detail);
      parts.logger.warn({ check: name, detail }, `health check failed: ${name}`);
    }
    const { detail: _hidden, ...rest } = check;
    return rest as T;
  };
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
    const { skewMs: _skew, ...clock } = parts.clock.status();
    const isOk = database.ok && blobStore.ok && smtpListener.ok && clock.ok;
    return {
      status: isOk ? 'ok' : 'degraded',
      version: PIER_VERSION,
      checks: {
        database: publicCheck('database', database),
        blobStore: publicCheck('blobStore', blobStore),
        smtpListener: publicCheck('smtpListener', smtpListener),
        clock: publicCheck('clock', clock),
      },
    };
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
