import {
  ConnectionSettingsSchema,
  ConnectionTestResultSchema,
  CreateMailboxSchema,
  MailboxDetailSchema,
  MailboxSchema,
  mailboxPresets,
  UpdateMailboxSchema,
} from '@pier/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database, MailboxRow } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { AuditActor } from '../audit/index.js';
import { apiActorOf, requireAuth, type SecretBox } from '../security/index.js';
import { connectionErrorMessage } from './connection-errors.js';
import { testMailboxConnection } from './connection-test.js';
import { type HostGuard, isRefusedHost } from './host-guard.js';
import { findMailboxById } from './mailbox-queries.js';
import {
  connectionColumns,
  createMailbox,
  type DeleteMailOnlyIn,
  listMailboxes,
  removeMailbox,
  toMailboxDetail,
  updateMailbox,
} from './mailboxes.js';

const IdParams = z.object({ id: z.string().min(1).max(64) });
const mailboxFromParams = (request: FastifyRequest) => (request.params as { id?: string }).id;
const admins = ['super_admin', 'admin'] as const;
const actorOf = (request: FastifyRequest): AuditActor => apiActorOf(request);

export const mailboxRoutes: FastifyPluginAsyncZod<{
  db: Kysely<Database>;
  secrets: SecretBox;
  hosts: HostGuard;
  onChange?: () => void;
  deleteMail: DeleteMailOnlyIn;
}> = async (app, { db, secrets, hosts, onChange, deleteMail }) => {
  async function detail(row: MailboxRow) {
    const counts = await listMailboxes(db, { kind: 'all', level: 'manage' });
    return toMailboxDetail(row, counts.find((m) => m.id === row.id)?.openCount ?? 0);
  }
  async function existing(id: string) {
    const row = await findMailboxById(db, id);
    if (!row) throw new AppError('mailbox.not_found', 404, 'no such mailbox');
    return row;
  }

  /**
   * Settings whose servers resolve to a private address are refused when saved, so the admin learns
   * it at once; the same check runs again at every connection (the name may resolve elsewhere later).
   */
  async function refusePrivateHosts(connection: { imap: { host: string }; smtp: { host: string } } | undefined) {
    if (!connection) return;
    for (const host of new Set([connection.imap.host, connection.smtp.host])) {
      if (await isRefusedHost(hosts, host))
        throw new AppError('mailbox.private_host', 400, `${host}: ${connectionErrorMessage('connection.private_host')}`);
    }
  }

  /** Mailbox credentials and servers are sensitive: changing them needs a recent step-up. */
  const changesConnection = (request: FastifyRequest) => (request.body as { connection?: unknown } | undefined)?.connection !== undefined;

  app.get(
    '/api/mailboxes',
    { config: { access: {} }, schema: { response: { 200: z.object({ items: z.array(MailboxSchema) }) } } },
    async (request) => ({
      items: await listMailboxes(db, requireAuth(request).scope),
    }),
  );

  app.get('/api/mailbox-presets', { config: { access: { roles: admins } } }, async () => ({ items: mailboxPresets }));

  app.post(
    '/api/mailboxes',
    {
      config: { access: { roles: admins, stepUp: changesConnection } },
      schema: { body: CreateMailboxSchema, response: { 201: MailboxDetailSchema } },
    },
    async (request, reply) => {
      await refusePrivateHosts(request.body.connection);
      const row = await createMailbox(db, request.body, secrets, actorOf(request));
      onChange?.();
      return reply.code(201).send(await detail(row));
    },
  );

  app.get(
    '/api/mailboxes/:id',
    {
      config: { access: { mailbox: { level: 'manage', idFrom: mailboxFromParams } } },
      schema: { params: IdParams, response: { 200: MailboxDetailSchema } },
    },
    async (request) => detail(await existing(request.params.id)),
  );

  app.patch(
    '/api/mailboxes/:id',
    {
      config: { access: { roles: admins, mailbox: { level: 'manage', idFrom: mailboxFromParams }, stepUp: changesConnection } },
      schema: { params: IdParams, body: UpdateMailboxSchema, response: { 200: MailboxDetailSchema } },
    },
    async (request) => {
      await refusePrivateHosts(request.body.connection);
      const row = await updateMailbox(db, request.params.id, request.body, secrets, actorOf(request));
      onChange?.();
      return detail(row);
    },
  );

  app.delete(
    '/api/mailboxes/:id',
    {
      config: { access: { roles: admins, mailbox: { level: 'manage', idFrom: mailboxFromParams } } },
      schema: { params: IdParams, querystring: z.object({ purge: z.enum(['0', '1', 'true', 'false']).default('0') }) },
    },
    async (request, reply) => {
      await removeMailbox(
        db,
        request.params.id,
        { purge: request.query.purge === '1' || request.query.purge === 'true', deleteMail },
        actorOf(request),
      );
      onChange?.();
      return reply.code(204).send();
    },
  );

  // A test makes the server connect where the settings point and sign in with the stored secret:
  // a recent step-up, like changing the settings.
  app.post(
    '/api/mailboxes/:id/test',
    {
      config: { access: { roles: admins, mailbox: { level: 'manage', idFrom: mailboxFromParams }, stepUp: true } },
      schema: { params: IdParams, response: { 200: ConnectionTestResultSchema } },
    },
    async (request) => testMailboxConnection(await existing(request.params.id), secrets, undefined, db, hosts),
  );

  // Tests settings before they are saved (the "Test connection" button of the add form).
  app.post(
    '/api/mailboxes/test',
    {
      config: { access: { roles: admins, stepUp: true } },
      schema: {
        body: z.object({ address: z.string(), connection: ConnectionSettingsSchema }),
        response: { 200: ConnectionTestResultSchema },
      },
    },
    async (request) => {
      const draft = { ...connectionColumns(request.body.connection, secrets, null), address: request.body.address } as MailboxRow;
      return testMailboxConnection(draft, secrets, undefined, db, hosts);
    },
  );
};
