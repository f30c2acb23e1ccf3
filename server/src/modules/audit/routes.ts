import {
  AuditChainStatusSchema,
  AuditPageSchema,
  AuditQuerySchema,
  ForwardingAuditSchema,
  GenerateReportSchema,
  RecordManualCheckSchema,
  ReportListSchema,
  SaveSieveSettingsSchema,
  StoredReportSchema,
} from '@pier/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { auditCsv } from './audit-csv.js';
import { recordAudit, verifyAuditChain } from './audit-log.js';
import { queryAuditLog } from './audit-queries.js';
import { forwardingAudit } from './forwarding/forwarding-queries.js';
import { changeSieveSettings, type MailboxCredentials, scanAllMailboxSieve } from './forwarding/forwarding-scan.js';
import { recordManualForwardingCheck } from './forwarding/manual-checks.js';
import { generateQuarterlyReport, INACTIVE_DAYS, listReports, loadReport, type ReportMailer } from './report/quarterly-report.js';
import { reportCsv, reportPdf } from './report/report-export.js';

const ReportParams = z.object({ id: z.string().min(1).max(64) });
const DAY_MS = 24 * 60 * 60_000;

/** Who may read the audit trail: admins and the read-only auditor role; agents may not. */
export const auditReaders = ['super_admin', 'admin', 'auditor'] as const;
/** An export holds at most this many records; narrow the filters for more. */
export const CSV_EXPORT_LIMIT = 100_000;

/**
 * The audit viewer's API. Route access is declared inline (config.access) like every
 * route; the user is read from request.auth, which the guard has set for these roles.
 */
export const auditRoutes: FastifyPluginAsyncZod<{
  db: Kysely<Database>;
  mailboxCredentials: MailboxCredentials;
  /** Mails reports on request (`mail: true`) when a system mailbox is configured. */
  mailer?: ReportMailer;
}> = async (app, { db, mailboxCredentials, mailer }) => {
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
    // Exports take the log out of Pier: they need a fresh step-up (issue #5), like role changes.
    {
      config: { access: { roles: auditReaders, stepUp: true } },
      schema: { querystring: AuditQuerySchema.omit({ before: true, limit: true }) },
    },
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

  // Where one mailbox's ManageSieve server listens (default: the IMAP host, port 4190), or no scan.
  app.put(
    '/api/forwarding/sieve/:mailboxId',
    {
      config: { access: { roles: ['super_admin', 'admin'] } },
      schema: {
        params: z.object({ mailboxId: z.string().min(1).max(64) }),
        body: SaveSieveSettingsSchema,
        response: { 200: ForwardingAuditSchema },
      },
    },
    async (request) => {
      const mailbox = await db.selectFrom('mailboxes').selectAll().where('id', '=', request.params.mailboxId).executeTakeFirst();
      if (!mailbox?.imap_host) throw new AppError('mailbox.not_found', 404, 'no mailbox with an IMAP server and this id');
      await changeSieveSettings(db, mailbox, request.body, request.auth?.user.id ?? '');
      return forwardingAudit(db);
    },
  );

  // A provider without ManageSieve: an admin records checking its console by hand (issue 18).
  app.post(
    '/api/forwarding/sieve/:mailboxId/manual-check',
    {
      config: { access: { roles: ['super_admin', 'admin'] } },
      schema: {
        params: z.object({ mailboxId: z.string().min(1).max(64) }),
        body: RecordManualCheckSchema,
        response: { 200: ForwardingAuditSchema },
      },
    },
    async (request) => {
      const mailbox = await db
        .selectFrom('mailboxes')
        .select(['id', 'address'])
        .where('id', '=', request.params.mailboxId)
        .executeTakeFirst();
      if (!mailbox) throw new AppError('mailbox.not_found', 404, 'no such mailbox');
      await recordManualForwardingCheck(db, mailbox, request.body, request.auth?.user.id ?? '', Date.now());
      return forwardingAudit(db);
    },
  );

  // A report only reads; auditors may make one (allowAuditor) — it is recorded like any export.
  app.post(
    '/api/audit/reports',
    {
      config: { access: { roles: auditReaders, allowAuditor: true } },
      schema: { body: GenerateReportSchema, response: { 201: StoredReportSchema } },
    },
    async (request, reply) => {
      // Auditors read; sending mail to the admins is an admin's call.
      if (request.body.mail && request.auth?.user.role === 'auditor') {
        throw new AppError('auth.forbidden', 403, 'only admins can mail the report');
      }
      const end = request.body.to ?? Date.now();
      const start = request.body.from ?? end - INACTIVE_DAYS * DAY_MS;
      const stored = await generateQuarterlyReport(db, {
        period: { start, end },
        createdBy: request.auth?.user.id ?? null,
        trigger: 'on_demand',
        ip: request.ip,
        mailer: request.body.mail ? mailer : undefined,
      });
      const { mailedTo: _mailedTo, ...report } = stored;
      return reply.code(201).send(report);
    },
  );

  app.get(
    '/api/audit/reports',
    { config: { access: { roles: auditReaders } }, schema: { response: { 200: ReportListSchema } } },
    async () => ({
      items: await listReports(db),
    }),
  );

  async function existing(id: string) {
    const stored = await loadReport(db, id);
    if (!stored) throw new AppError('request.not_found', 404, 'no such report');
    return stored;
  }

  app.get(
    '/api/audit/reports/:id',
    { config: { access: { roles: auditReaders } }, schema: { params: ReportParams, response: { 200: StoredReportSchema } } },
    async (request) => existing(request.params.id),
  );

  app.get(
    '/api/audit/reports/:id/export',
    {
      config: { access: { roles: auditReaders, stepUp: true } },
      schema: { params: ReportParams, querystring: z.object({ format: z.enum(['csv', 'pdf']) }) },
    },
    async (request, reply) => {
      const stored = await existing(request.params.id);
      const format = request.query.format;
      const file =
        format === 'csv'
          ? { body: reportCsv(stored), cjkFont: null }
          : await (async () => {
              const { pdf, cjkFont } = await reportPdf(stored);
              return { body: pdf, cjkFont };
            })();
      await recordAudit(db, {
        actorId: request.auth?.user.id ?? null,
        action: 'audit.report_exported',
        targetType: 'audit_report',
        targetId: stored.id,
        ip: request.ip,
        details: { format, ...(format === 'pdf' ? { cjkFont: file.cjkFont !== null } : {}) },
      });
      const name = `pier-audit-report-${new Date(stored.report.periodStart).toISOString().slice(0, 10)}.${format}`;
      return reply
        .header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/pdf')
        .header('content-disposition', `attachment; filename="${name}"`)
        .header('cache-control', 'no-store')
        .send(file.body);
    },
  );
};
