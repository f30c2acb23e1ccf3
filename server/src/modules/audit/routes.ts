import { AuditChainStatusSchema, AuditPageSchema, AuditQuerySchema, ForwardingAuditSchema } from '@pier/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { auditCsv } from './audit-csv.js';
import { recordAudit, verifyAuditChain } from './audit-log.js';
import { queryAuditLog } from './audit-queries.js';
import { forwardingAudit } from './forwarding/forwarding-queries.js';
import { type MailboxCredentials, scanAllMailboxSieve } from './forwarding/forwarding-scan.js';

/** Who may read the audit trail: admins and the read-only auditor role; agents may not. */
export const auditReaders = ['super_admin', 'admin', 'auditor'] as const;
/** An export holds at most this many records; narrow the filters for more. */
export const CSV_EXPORT_LIMIT = 100_000;

/**
 * The audit viewer's API. Route access is declared inline (config.access) like every
 * route; the user is read from request.auth, which the guard has set for these roles.
 */
export const auditRoutes: FastifyPluginAsyncZod<{ db: Kysely<Database>; mailboxCredentials: MailboxCredentials }> = async (
  app,
  { db, mailboxCredentials },
) => {
  app.get(
    '/api/audit',
    { config: { access: { roles: auditReaders } }, schema: { querystring: AuditQuerySchema, response: { 200: AuditPageSchema } } },
    async (request) => {
      const { before, limit, ...filters } = request.query;
      const items = await queryAuditLog(db, filters, { before, limit: limit + 1 });
      const more = items.length > limit;
      const page = more ? items.slice(0, limit) : items;
      return { items: page, nextBefore: more ? (page.at(-1)?.seq ?? null) : null };
    },
  );

  app.get(
    '/api/audit.csv',
    { config: { access: { roles: auditReaders } }, schema: { querystring: AuditQuerySchema.omit({ before: true, limit: true }) } },
    async (request, reply) => {
      const filters = request.query;
      const records = await queryAuditLog(db, filters, { limit: CSV_EXPORT_LIMIT });
      // The export is itself an audit event, committed before any byte leaves.
      await recordAudit(db, {
        actorId: request.auth?.user.id ?? null,
        action: 'audit.exported',
        targetType: 'audit_log',
        ip: request.ip,
        details: { format: 'csv', filters, records: records.length, truncated: records.length === CSV_EXPORT_LIMIT },
      });
      const stamp = new Date().toISOString().slice(0, 10);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="pier-audit-${stamp}.csv"`)
        .header('cache-control', 'no-store')
        .send(auditCsv(records));
    },
  );

  app.get(
    '/api/audit/verify',
    { config: { access: { roles: auditReaders } }, schema: { response: { 200: AuditChainStatusSchema } } },
    async () => verifyAuditChain(db),
  );

  app.get(
    '/api/forwarding',
    { config: { access: { roles: auditReaders } }, schema: { response: { 200: ForwardingAuditSchema } } },
    async () => forwardingAudit(db),
  );

  // Reads every mailbox's Sieve scripts now (the daily job does the same); admins only.
  app.post(
    '/api/forwarding/scan',
    { config: { access: { roles: ['super_admin', 'admin'] } }, schema: { response: { 200: ForwardingAuditSchema } } },
    async () => {
      await scanAllMailboxSieve(db, mailboxCredentials);
      return forwardingAudit(db);
    },
  );
};
