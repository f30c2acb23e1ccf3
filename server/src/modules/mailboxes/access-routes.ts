import { GrantAccessRequestSchema, MailboxAccessListSchema, MailboxUserParamsSchema } from '@pier/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { apiActorOf } from '../security/index.js';
import { grantMailboxAccess, listMailboxAccess, revokeMailboxAccess } from './mailbox-access.js';
import { findMailboxById } from './mailbox-queries.js';

const admins = ['super_admin', 'admin'] as const;
const mailboxFromParams = (request: FastifyRequest) => (request.params as { id?: string }).id;
/** Who may see and change a mailbox's access: admins (who see every mailbox) — agents never, whatever their grant. */
const access = { roles: admins, mailbox: { level: 'manage' as const, idFrom: mailboxFromParams } };

/** Settings → mailboxes → access: who may read, reply to or manage a mailbox (decision 0034). */
export const mailboxAccessRoutes: FastifyPluginAsyncZod<{ db: Kysely<Database> }> = async (app, { db }) => {
  async function existing(id: string) {
    if (!(await findMailboxById(db, id))) throw new AppError('mailbox.not_found', 404, 'no such mailbox');
  }

  app.get(
    '/api/mailboxes/:id/access',
    {
      config: { access },
      schema: { params: z.object({ id: z.string().min(1).max(64) }), response: { 200: MailboxAccessListSchema } },
    },
    async (request) => {
      await existing(request.params.id);
      return { people: await listMailboxAccess(db, request.params.id) };
    },
  );

  app.put(
    '/api/mailboxes/:id/access/:userId',
    { config: { access }, schema: { params: MailboxUserParamsSchema, body: GrantAccessRequestSchema } },
    async (request, reply) => {
      await existing(request.params.id);
      await grantMailboxAccess(db, request.params.userId, request.params.id, request.body.access, apiActorOf(request));
      return reply.code(204).send();
    },
  );

  app.delete(
    '/api/mailboxes/:id/access/:userId',
    { config: { access }, schema: { params: MailboxUserParamsSchema } },
    async (request, reply) => {
      await existing(request.params.id);
      await revokeMailboxAccess(db, request.params.userId, request.params.id, apiActorOf(request));
      return reply.code(204).send();
    },
  );
};
