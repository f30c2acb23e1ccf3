import {
  AccountLinkSchema,
  ChangeRoleRequestSchema,
  DeactivateRequestSchema,
  DeactivateResultSchema,
  InviteRequestSchema,
  LinkSendersSchema,
  OpenConversationsSchema,
  PasswordResetRequestSchema,
  ResetLinkRequestSchema,
  SessionInfoSchema,
  TokenPasswordRequestSchema,
  UserAdminListSchema,
  WhomToAskSchema,
} from '@pier/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { findUserById } from '../workspace/index.js';
import { inviteWithLink, linkSenders, requestPasswordReset, resetLinkByAdmin } from './account-links.js';
import { whomToAskForAccess } from './accounts.js';
import { apiActorOf, requireAuth } from './guard.js';
import { admins, clientOf, type SecurityRouteKit } from './route-support.js';
import { openSession } from './sign-in.js';
import { changeRole, deactivateUser, listUsersForAdmin, reactivateUser, setPasswordWithToken } from './user-lifecycle.js';

const UserIdParams = z.object({ userId: z.string().min(1).max(64) });
/** The address the admin's browser uses (same-origin by the CSRF check): only for a link shown to them, never mailed. */
const originOf = (request: FastifyRequest) => `${request.protocol}://${request.host}`;

/** Users and their lifecycle: invitations, roles, password resets, deactivation. */
export const userRoutes: FastifyPluginAsyncZod<SecurityRouteKit> = async (app, options) => {
  const { db, ctx, rateLimit } = options;
  const links = { db, mailer: options.mailer, publicUrl: options.publicUrl };

  app.get(
    '/api/users',
    { config: { access: { roles: [...admins, 'auditor'] } }, schema: { response: { 200: UserAdminListSchema } } },
    async () => listUsersForAdmin(db),
  );

  // Any signed-in user: an agent without a mailbox learns whom to ask, by name, and nothing else.
  app.get('/api/access/whom-to-ask', { config: { access: {} }, schema: { response: { 200: WhomToAskSchema } } }, async () => ({
    names: await whomToAskForAccess(db),
  }));
  app.get(
    '/api/users/link-senders',
    { config: { access: { roles: admins } }, schema: { response: { 200: LinkSendersSchema } } },
    async () => linkSenders(links),
  );

  app.post(
    '/api/users/invitations',
    { config: { access: { roles: admins } }, schema: { body: InviteRequestSchema, response: { 201: AccountLinkSchema } } },
    async (request, reply) => {
      const link = await inviteWithLink(links, requireAuth(request).user, request.body, apiActorOf(request), originOf(request));
      return reply.code(201).send(link);
    },
  );

  app.post(
    '/api/auth/invitation/accept',
    { config: { access: 'public', rateLimit }, schema: { body: TokenPasswordRequestSchema, response: { 200: SessionInfoSchema } } },
    async (request, reply) => {
      const user = await setPasswordWithToken(db, 'invite', request.body.token, request.body.password, { ip: request.ip });
      const opened = await openSession(ctx, user, clientOf(request));
      options.setSessionCookie(reply, opened);
      return options.sessionInfo(opened);
    },
  );

  app.patch(
    '/api/users/:userId/role',
    { config: { access: { roles: admins, stepUp: true } }, schema: { params: UserIdParams, body: ChangeRoleRequestSchema } },
    async (request, reply) => {
      await changeRole(db, requireAuth(request).user, request.params.userId, request.body.role, apiActorOf(request));
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/users/:userId/password-reset',
    {
      config: { access: { roles: admins, stepUp: true } },
      schema: { params: UserIdParams, body: ResetLinkRequestSchema, response: { 201: AccountLinkSchema } },
    },
    async (request, reply) => {
      const admin = requireAuth(request).user;
      const link = await resetLinkByAdmin(
        links,
        admin,
        request.params.userId,
        apiActorOf(request),
        originOf(request),
        request.body?.viaMailboxId,
      );
      return reply.code(201).send(link);
    },
  );

  /** Self-service: always 202, whether or not the address is known (no account discovery). */
  app.post(
    '/api/auth/password-reset',
    { config: { access: 'public', rateLimit }, schema: { body: PasswordResetRequestSchema } },
    async (request, reply) => {
      await requestPasswordReset(links, request.body.email, { ip: request.ip });
      return reply.code(202).send({ accepted: true });
    },
  );

  app.post(
    '/api/auth/password-reset/complete',
    { config: { access: 'public', rateLimit }, schema: { body: TokenPasswordRequestSchema } },
    async (request, reply) => {
      await setPasswordWithToken(db, 'reset', request.body.token, request.body.password, { ip: request.ip });
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/users/:userId/open-conversations',
    { config: { access: { roles: admins } }, schema: { params: UserIdParams, response: { 200: OpenConversationsSchema } } },
    async (request) => {
      if (!(await findUserById(db, request.params.userId))) throw new AppError('user.not_found', 404, 'no such user');
      return options.conversationHandover.openOf(db, request.params.userId);
    },
  );

  app.post(
    '/api/users/:userId/deactivate',
    {
      config: { access: { roles: admins, stepUp: true } },
      schema: { params: UserIdParams, body: DeactivateRequestSchema, response: { 200: DeactivateResultSchema } },
    },
    async (request) =>
      deactivateUser(
        db,
        requireAuth(request).user,
        request.params.userId,
        apiActorOf(request),
        options.conversationHandover,
        request.body?.reassignTo,
      ),
  );

  app.post(
    '/api/users/:userId/reactivate',
    { config: { access: { roles: admins, stepUp: true } }, schema: { params: UserIdParams } },
    async (request, reply) => {
      await reactivateUser(db, request.params.userId, apiActorOf(request));
      return reply.code(204).send();
    },
  );
};
