import {
  GrantTeamAccessRequestSchema,
  MailboxRouteRequestSchema,
  MailboxRoutesSchema,
  MailboxTeamParamsSchema,
  TeamAwayRequestSchema,
  TeamIdParamsSchema,
  TeamSchema,
} from '@pier/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { findMailboxById } from '../mailboxes/index.js';
import { apiActorOf, requireAuth } from '../security/index.js';
import { grantTeamMailboxAccess, listMailboxRoutes, revokeTeamMailboxAccess, setMailboxRoute } from './mail-groups.js';
import { setMemberAway } from './team-settings.js';
import { listTeams } from './teams.js';

const admins = ['super_admin', 'admin'] as const;
const mailboxFromParams = (request: FastifyRequest) => (request.params as { id?: string }).id;
/** Changing a mailbox's access or routing: admins only, agents never (whatever their grant). */
const manageMailbox = { roles: admins, mailbox: { level: 'manage' as const, idFrom: mailboxFromParams } };

/** Mail groups and the team side of mailbox access (decision 0034). */
export const mailGroupRoutes: FastifyPluginAsyncZod<{ db: Kysely<Database> }> = async (app, { db }) => {
  async function existing(id: string) {
    if (!(await findMailboxById(db, id))) throw new AppError('mailbox.not_found', 404, 'no such mailbox');
  }

  app.get('/api/mailbox-routes', { config: { access: { roles: admins } }, schema: { response: { 200: MailboxRoutesSchema } } }, async () =>
    listMailboxRoutes(db),
  );

  app.put(
    '/api/mailboxes/:id/route',
    { config: { access: manageMailbox }, schema: { params: z.object({ id: z.string().min(1).max(64) }), body: MailboxRouteRequestSchema } },
    async (request, reply) => {
      await existing(request.params.id);
      await setMailboxRoute(db, request.params.id, request.body.teamId, apiActorOf(request));
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/mailboxes/:id/access/teams',
    {
      config: { access: manageMailbox },
      schema: {
        params: z.object({ id: z.string().min(1).max(64) }),
        body: GrantTeamAccessRequestSchema,
        response: { 200: z.object({ granted: z.number().int() }) },
      },
    },
    async (request) => {
      await existing(request.params.id);
      const { teamId, access } = request.body;
      return { granted: await grantTeamMailboxAccess(db, request.params.id, teamId, access, apiActorOf(request)) };
    },
  );

  app.delete(
    '/api/mailboxes/:id/access/teams/:teamId',
    {
      config: { access: manageMailbox },
      schema: { params: MailboxTeamParamsSchema, response: { 200: z.object({ revoked: z.number().int() }) } },
    },
    async (request) => {
      await existing(request.params.id);
      return { revoked: await revokeTeamMailboxAccess(db, request.params.id, request.params.teamId, apiActorOf(request)) };
    },
  );

  // Admins, the member themselves or the team's lead (the handler checks which).
  app.put(
    '/api/teams/:teamId/away',
    { config: { access: {} }, schema: { params: TeamIdParamsSchema, body: TeamAwayRequestSchema, response: { 200: TeamSchema } } },
    async (request) => {
      const auth = requireAuth(request);
      await setMemberAway(db, request.params.teamId, request.body, { ...apiActorOf(request), role: auth.user.role });
      const team = (await listTeams(db)).find((t) => t.id === request.params.teamId);
      if (!team) throw new AppError('team.not_found', 404, 'no such team');
      return team;
    },
  );
};
