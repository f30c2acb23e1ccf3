import {
  AccountLinkSchema,
  ChangeRoleRequestSchema,
  DeactivateRequestSchema,
  DeactivateResultSchema,
  InviteRequestSchema,
  OpenConversationsSchema,
  PasswordResetRequestSchema,
  type SessionInfo,
  SessionInfoSchema,
  TokenPasswordRequestSchema,
  UserAdminListSchema,
} from '@pier/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { findUserByEmail, findUserById } from '../workspace/index.js';
import { apiActorOf, requireAuth } from './guard.js';
import type { SecurityRoutesOptions } from './routes.js';
import type { AuthContext } from './sessions.js';
import { type OpenedSession, openSession, type SignInContext } from './sign-in.js';
import {
  changeRole,
  deactivateUser,
  INVITE_TTL_MS,
  inviteUser,
  issueAccountToken,
  listUsersForAdmin,
  RESET_TTL_MS,
  reactivateUser,
  setPasswordWithToken,
} from './user-lifecycle.js';

type UserRoutesOptions = SecurityRoutesOptions & {
  ctx: SignInContext;
  setSessionCookie: (reply: FastifyReply, opened: OpenedSession) => void;
  sessionInfo: (auth: Pick<AuthContext, 'user' | 'secondFactor'>) => Promise<SessionInfo>;
};

const admins = ['super_admin', 'admin'] as const;
const UserIdParams = z.object({ userId: z.string().min(1).max(64) });

/** Users and their lifecycle: invitations, roles, password resets, deactivation. */
export const userRoutes: FastifyPluginAsyncZod<UserRoutesOptions> = async (app, options) => {
  const { db, ctx, mailer } = options;
  const rateLimit = { max: options.loginRateLimitPerMinute, timeWindow: 60_000 };

  const linkFor = (request: FastifyRequest, path: string, token: string) => {
    const base = options.publicUrl ?? `${request.protocol}://${request.headers.host ?? 'localhost'}`;
    return new URL(`${path}#token=${token}`, base).toString();
  };

  app.get(
    '/api/users',
    { config: { access: { roles: [...admins, 'auditor'] } }, schema: { response: { 200: UserAdminListSchema } } },
    async () => listUsersForAdmin(db),
  );

  app.post(
    '/api/users/invitations',
    { config: { access: { roles: admins } }, schema: { body: InviteRequestSchema, response: { 201: AccountLinkSchema } } },
    async (request, reply) => {
      const actor = requireAuth(request).user;
      if (request.body.role === 'super_admin' && actor.role !== 'super_admin') {
        throw new AppError('auth.forbidden', 403, 'only a super admin can invite a super admin');
      }
      const user = await inviteUser(db, request.body, apiActorOf(request));
      const { token, expiresAt } = await issueAccountToken(db, {
        userId: user.id,
        purpose: 'invite',
        createdBy: actor.id,
        ttlMs: INVITE_TTL_MS,
      });
      const link = linkFor(request, '/invitation', token);
      await mailer.queue(db, {
        to: user.email,
        subject: 'You are invited to Pier / 邀请您加入 Pier',
        text: `${actor.name} invited you to the shared mailbox in Pier. Choose your password here (valid 7 days):\n${link}\n\n${actor.name} 邀请您使用 Pier 共享邮箱。请在 7 天内通过以上链接设置密码。`,
      });
      return reply.code(201).send({ link, expiresAt, emailed: mailer.enabled });
    },
  );

  app.post(
    '/api/auth/invitation/accept',
    { config: { access: 'public', rateLimit }, schema: { body: TokenPasswordRequestSchema, response: { 200: SessionInfoSchema } } },
    async (request, reply) => {
      const user = await setPasswordWithToken(db, 'invite', request.body.token, request.body.password, { ip: request.ip });
      const opened = await openSession(ctx, user, { ip: request.ip, userAgent: request.headers['user-agent'] ?? null });
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
    { config: { access: { roles: admins, stepUp: true } }, schema: { params: UserIdParams, response: { 201: AccountLinkSchema } } },
    async (request, reply) => {
      const actor = requireAuth(request).user;
      const user = await findUserById(db, request.params.userId);
      if (!user || user.status === 'disabled') throw new AppError('user.not_found', 404, 'no active user with this id');
      if (user.role === 'super_admin' && actor.role !== 'super_admin') {
        throw new AppError('auth.forbidden', 403, 'only a super admin can reset a super admin');
      }
      const { token, expiresAt } = await issueAccountToken(
        db,
        { userId: user.id, purpose: 'reset', createdBy: actor.id, ttlMs: RESET_TTL_MS },
        apiActorOf(request),
      );
      const link = linkFor(request, '/reset-password', token);
      await mailer.queue(db, {
        to: user.email,
        subject: 'Reset your Pier password / 重置 Pier 密码',
        text: `An administrator started a password reset for your Pier account. Choose a new password here (valid 1 hour):\n${link}\n\n管理员为您的 Pier 账户发起了密码重置，请在 1 小时内通过以上链接设置新密码。`,
      });
      return reply.code(201).send({ link, expiresAt, emailed: mailer.enabled });
    },
  );

  /** Self-service: always 202, whether or not the address is known (no account discovery). */
  app.post(
    '/api/auth/password-reset',
    { config: { access: 'public', rateLimit }, schema: { body: PasswordResetRequestSchema } },
    async (request, reply) => {
      const user = await findUserByEmail(db, request.body.email);
      if (user && user.status === 'active' && mailer.enabled) {
        const { token } = await issueAccountToken(
          db,
          { userId: user.id, purpose: 'reset', createdBy: null, ttlMs: RESET_TTL_MS },
          { actorId: null, ip: request.ip, via: 'api' },
        );
        await mailer.queue(db, {
          to: user.email,
          subject: 'Reset your Pier password / 重置 Pier 密码',
          text: `Someone asked to reset the password of this Pier account. If it was you, choose a new password here (valid 1 hour):\n${linkFor(request, '/reset-password', token)}\n\nIf it was not you, ignore this mail.\n\n有人请求重置此 Pier 账户的密码。如是您本人，请在 1 小时内通过以上链接设置新密码；否则请忽略本邮件。`,
        });
      }
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
