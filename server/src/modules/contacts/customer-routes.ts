import {
  CompanyDetailSchema,
  CompanyListSchema,
  CompanyUpdateSchema,
  ContactDetailSchema,
  ContactListSchema,
  ContactUpdateSchema,
  CsvImportRequestSchema,
  CsvImportResultSchema,
  CsvPreviewRequestSchema,
  CsvPreviewSchema,
  CustomerListQuerySchema,
  CustomerNoteRequestSchema,
  CustomerPoolSettingsSchema,
  CustomerTimelineSchema,
  MergeContactsRequestSchema,
  MergeContactsResultSchema,
} from '@pier/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import type { Database } from '../../db/schema.js';
import { recordAuditBy } from '../audit/index.js';
import { apiActorOf, requireAuth } from '../security/index.js';
import { listActiveColleagues } from '../workspace/index.js';
import { exportContactsCsv, importContactsCsv, previewCsv } from './customer-csv.js';
import { companyDetail, contactDetail, listCompanies, listContacts } from './customer-directory.js';
import { addCustomerNote, type CustomerActor, updateCompany, updateContact } from './customer-edit.js';
import { mergeContacts } from './customer-merge.js';
import { poolSettings, savePoolSettings } from './customer-pools.js';
import { type CustomerTimelineSources, companyTimeline, contactTimeline } from './customer-timeline.js';

const admins = ['super_admin', 'admin'] as const;
/** Everyone but auditors (who read only). */
const writers = ['super_admin', 'admin', 'agent'] as const;
const ContactParams = z.object({ contactId: z.string().min(1).max(64) });
const CompanyParams = z.object({ companyId: z.string().min(1).max(64) });
const CSV_BODY_LIMIT = 12 * 1024 * 1024;

function actorOf(request: FastifyRequest): CustomerActor {
  const { user } = requireAuth(request);
  return { id: user.id, role: user.role, audit: apiActorOf(request) };
}

/**
 * The customers directory (decision 0048). The directory is the workspace's: everyone signed in
 * sees who the customers are; the timeline shows only the conversations (and their fraud facts)
 * of mailboxes the reader may read. Auditors read; export and import are for admins.
 */
export const customerRoutes: FastifyPluginAsyncZod<{ db: Kysely<Database>; clock: Clock; timeline: CustomerTimelineSources }> = async (
  app,
  { db, clock, timeline },
) => {
  app.get(
    '/api/customers/contacts',
    { config: { access: {} }, schema: { querystring: CustomerListQuerySchema, response: { 200: ContactListSchema } } },
    async (request) => listContacts(db, request.query, requireAuth(request).user.id, clock.now()),
  );
  app.get(
    '/api/customers/companies',
    { config: { access: {} }, schema: { querystring: CustomerListQuerySchema, response: { 200: CompanyListSchema } } },
    async (request) => listCompanies(db, request.query, requireAuth(request).user.id, clock.now()),
  );
  app.get(
    '/api/customers/owners',
    { config: { access: {} }, schema: { response: { 200: z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })) }) } } },
    async () => ({ items: await listActiveColleagues(db) }),
  );
  app.get(
    '/api/customers/contacts/:contactId',
    { config: { access: {} }, schema: { params: ContactParams, response: { 200: ContactDetailSchema } } },
    async (request) => contactDetail(db, request.params.contactId),
  );
  app.patch(
    '/api/customers/contacts/:contactId',
    {
      config: { access: { roles: writers } },
      schema: { params: ContactParams, body: ContactUpdateSchema, response: { 200: ContactDetailSchema } },
    },
    async (request) => {
      await updateContact(db, actorOf(request), request.params.contactId, request.body, clock.now());
      return contactDetail(db, request.params.contactId);
    },
  );
  app.get(
    '/api/customers/contacts/:contactId/timeline',
    { config: { access: {} }, schema: { params: ContactParams, response: { 200: CustomerTimelineSchema } } },
    async (request) => contactTimeline(db, timeline, request.params.contactId, requireAuth(request).scope),
  );
  app.post(
    '/api/customers/contacts/:contactId/notes',
    { config: { access: { roles: writers } }, schema: { params: ContactParams, body: CustomerNoteRequestSchema } },
    async (request, reply) => {
      const id = await addCustomerNote(db, actorOf(request), { contactId: request.params.contactId }, request.body.body, clock.now());
      return reply.code(201).send({ id });
    },
  );
  app.get(
    '/api/customers/companies/:companyId',
    { config: { access: {} }, schema: { params: CompanyParams, response: { 200: CompanyDetailSchema } } },
    async (request) => companyDetail(db, request.params.companyId),
  );
  app.patch(
    '/api/customers/companies/:companyId',
    {
      config: { access: { roles: writers } },
      schema: { params: CompanyParams, body: CompanyUpdateSchema, response: { 200: CompanyDetailSchema } },
    },
    async (request) => {
      await updateCompany(db, actorOf(request), request.params.companyId, request.body, clock.now());
      return companyDetail(db, request.params.companyId);
    },
  );
  app.get(
    '/api/customers/companies/:companyId/timeline',
    { config: { access: {} }, schema: { params: CompanyParams, response: { 200: CustomerTimelineSchema } } },
    async (request) => companyTimeline(db, timeline, request.params.companyId, requireAuth(request).scope),
  );
  app.post(
    '/api/customers/companies/:companyId/notes',
    { config: { access: { roles: writers } }, schema: { params: CompanyParams, body: CustomerNoteRequestSchema } },
    async (request, reply) => {
      const id = await addCustomerNote(db, actorOf(request), { companyId: request.params.companyId }, request.body.body, clock.now());
      return reply.code(201).send({ id });
    },
  );
  app.post(
    '/api/customers/merge',
    { config: { access: { roles: writers } }, schema: { body: MergeContactsRequestSchema, response: { 200: MergeContactsResultSchema } } },
    async (request) => mergeContacts(db, actorOf(request), request.body, clock.now()),
  );
  app.get('/api/customers/pool-settings', { config: { access: {} }, schema: { response: { 200: CustomerPoolSettingsSchema } } }, async () =>
    poolSettings(db),
  );
  app.put(
    '/api/customers/pool-settings',
    { config: { access: { roles: admins } }, schema: { body: CustomerPoolSettingsSchema, response: { 200: CustomerPoolSettingsSchema } } },
    async (request) => {
      await savePoolSettings(db, request.body, apiActorOf(request));
      return poolSettings(db);
    },
  );
  app.get('/api/customers/export.csv', { config: { access: { roles: admins } } }, async (request, reply) => {
    const { csv, rows } = await exportContactsCsv(db);
    await recordAuditBy(db, apiActorOf(request), { action: 'customer.exported', targetType: 'contact', details: { rows } });
    const stamp = new Date(clock.now()).toISOString().slice(0, 10);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="pier-customers-${stamp}.csv"`)
      .header('cache-control', 'no-store')
      .send(csv);
  });
  app.post(
    '/api/customers/import/preview',
    {
      bodyLimit: CSV_BODY_LIMIT,
      config: { access: { roles: admins } },
      schema: { body: CsvPreviewRequestSchema, response: { 200: CsvPreviewSchema } },
    },
    async (request) => previewCsv(request.body.csv),
  );
  app.post(
    '/api/customers/import',
    {
      bodyLimit: CSV_BODY_LIMIT,
      config: { access: { roles: admins } },
      schema: { body: CsvImportRequestSchema, response: { 200: CsvImportResultSchema } },
    },
    async (request) =>
      importContactsCsv(db, {
        csv: request.body.csv,
        mapping: request.body.mapping,
        actor: apiActorOf(request),
        mayAssignOwners: true,
        now: clock.now(),
      }),
  );
};
