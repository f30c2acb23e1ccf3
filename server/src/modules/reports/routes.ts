import { OperationsReportQuerySchema, OperationsReportSchema } from '@pier/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { Clock } from '../../clock.js';
import type { Database } from '../../db/schema.js';
import { mailboxIdsWith, requireAuth } from '../security/index.js';
import { operationsReport } from './operations-report.js';

export const reportRoutes: FastifyPluginAsyncZod<{ db: Kysely<Database>; clock: Clock }> = async (app, { db, clock }) => {
  // Every signed-in user; the figures cover only the mailboxes they may read (admins: all).
  app.get(
    '/api/reports/operations',
    { config: { access: {} }, schema: { querystring: OperationsReportQuerySchema, response: { 200: OperationsReportSchema } } },
    async (request) => {
      const auth = requireAuth(request);
      return operationsReport(db, request.query, mailboxIdsWith(auth.scope, 'read'), clock.now());
    },
  );
};
