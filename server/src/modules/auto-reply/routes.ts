import { AutoReplySettingsResponseSchema, AutoReplySettingsSchema } from '@pier/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { type Clock, systemClock } from '../../clock.js';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { findMailboxById } from '../mailboxes/index.js';
import { requireAuth } from '../security/index.js';
import { loadAutoReplySettings, saveAutoReplySettings, toSettingsResponse } from './settings.js';

const IdParams = z.object({ id: z.string().min(1).max(64) });
const admins = ['super_admin', 'admin'] as const;
const mailboxFromParams = (request: FastifyRequest) => (request.params as { id?: string }).id;

/** A mailbox's auto-reply: whoever may reply from it reads it (what customers are told); admins who manage it change it. */
export const autoReplyRoutes: FastifyPluginAsyncZod<{ db: Kysely<Database>; clock?: Clock }> = async (app, { db, clock }) => {
  app.get(
    '/api/mailboxes/:id/auto-reply',
    {
      config: { access: { mailbox: { level: 'reply', idFrom: mailboxFromParams } } },
      schema: { params: IdParams, response: { 200: AutoReplySettingsResponseSchema } },
    },
    async (request) => {
      if (!(await findMailboxById(db, request.params.id))) throw new AppError('mailbox.not_found', 404, 'no such mailbox');
      return toSettingsResponse(request.params.id, await loadAutoReplySettings(db, request.params.id));
    },
  );
  app.put(
    '/api/mailboxes/:id/auto-reply',
    {
      config: { access: { roles: admins, mailbox: { level: 'manage', idFrom: mailboxFromParams } } },
      schema: { params: IdParams, body: AutoReplySettingsSchema, response: { 200: AutoReplySettingsResponseSchema } },
    },
    async (request) => {
      if (!(await findMailboxById(db, request.params.id))) throw new AppError('mailbox.not_found', 404, 'no such mailbox');
      const saved = await saveAutoReplySettings(db, {
        mailboxId: request.params.id,
        settings: request.body,
        actorId: requireAuth(request).user.id,
        ip: request.ip,
        now: (clock ?? systemClock).now(),
      });
      return toSettingsResponse(request.params.id, saved);
    },
  );
};
