import { OperationsReportQuerySchema, OperationsReportSchema } from '@pier/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { mailboxIdsWith, requireAuth } from '../security/index.js';
import { operationsReport } from './operations-report.js';

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const reportRoutes: FastifyPluginAsyncZod<{ db: Kysely<Database>; clock: Clock }> = async (app, { db, clock }) => {
  // Every signed-in user; the figures cover only the mailboxes they may read (admins and auditors: all).
  app.get(
    '/api/reports/operations',
    { config: { access: {} }, schema: { querystring: OperationsReportQuerySchema, response: { 200: OperationsReportSchema } } },
    async (request) => {
      const auth = requireAuth(request);
      if (!isKnownTimeZone(request.query.timeZone)) throw new AppError('request.invalid', 400, 'timeZone: unknown IANA time zone');
      return operationsReport(db, request.query, mailboxIdsWith(auth.scope, 'read'), clock.now());
    },
  );
};
