import { CreateMailboxSchema, MailboxSchema } from '@pier/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { requireAuth } from '../security/index.js';
import { createMailbox, listMailboxes } from './mailboxes.js';

export const mailboxRoutes: FastifyPluginAsyncZod<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get(
    '/api/mailboxes',
    { config: { access: {} }, schema: { response: { 200: z.object({ items: z.array(MailboxSchema) }) } } },
    async (request) => ({
      items: await listMailboxes(db, requireAuth(request).scope),
    }),
  );

  app.post(
    '/api/mailboxes',
    { config: { access: { roles: ['super_admin', 'admin'] } }, schema: { body: CreateMailboxSchema, response: { 201: MailboxSchema } } },
    async (request, reply) => {
      const row = await createMailbox(db, request.body);
      return reply.code(201).send({
        id: row.id,
        address: row.address,
        displayName: row.display_name,
        purpose: request.body.purpose,
        status: row.status,
        openCount: 0,
      });
    },
  );
};
