import {
  LoginRequestSchema,
  SESSION_COOKIE,
  type SessionInfo,
  SessionInfoSchema,
  SetupRequestSchema,
  SetupStatusSchema,
  UpdatePreferencesSchema,
} from '@pier/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import type { Database, UserRow } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { auditLoginAttempt, recordAudit } from '../audit/index.js';
import { findUserByEmail, recordLogin, setUserLocale, toUserDto } from '../workspace/index.js';
import { type MailboxScope, mailboxScopeFor } from './access-policy.js';
import { completeSetup, needsSetup } from './accounts.js';
import { clearSessionCookie, requireAuth } from './guard.js';
import { verifyPassword } from './passwords.js';
import { loadMailboxGrants } from './session-queries.js';
import { endSession, SESSION_ABSOLUTE_MS, startSession } from './sessions.js';

export type SecurityRoutesOptions = {
  db: Kysely<Database>;
  secureCookies: boolean;
  loginRateLimitPerMinute: number;
  /** Supplied by the mailboxes module (which depends on security, not the other way round). */
  listMailboxesInScope: (scope: MailboxScope) => Promise<SessionInfo['mailboxes']>;
};

export const securityRoutes: FastifyPluginAsyncZod<SecurityRoutesOptions> = async (app, options) => {
  const { db, secureCookies, loginRateLimitPerMinute } = options;
  // Login and setup share a per-IP budget: guessing passwords is slow however it is tried.
  const rateLimit = { max: loginRateLimitPerMinute, timeWindow: 60_000 };

  async function sessionInfoFor(user: UserRow): Promise<SessionInfo> {
    const grants = await loadMailboxGrants(db, user.id);
    const scope = mailboxScopeFor(user.role, new Map(grants.map((g) => [g.mailbox_id, g.access])));
    return { user: toUserDto(user), mailboxes: await options.listMailboxesInScope(scope) };
  }

  async function signIn(user: UserRow, request: FastifyRequest, reply: FastifyReply) {
    const { token } = await startSession(db, user.id, { ip: request.ip, userAgent: request.headers['user-agent'] ?? null });
    await recordLogin(db, user.id, Date.now());
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: secureCookies,
      maxAge: SESSION_ABSOLUTE_MS / 1000,
    });
  }

  app.get('/api/setup', { config: { access: 'public' }, schema: { response: { 200: SetupStatusSchema } } }, async () => ({
    needsSetup: await needsSetup(db),
  }));

  app.post(
    '/api/setup',
    { config: { access: 'public', rateLimit }, schema: { body: SetupRequestSchema, response: { 201: SessionInfoSchema } } },
    async (request, reply) => {
      const user = await completeSetup(db, request.body);
      await signIn(user, request, reply);
      return reply.code(201).send(await sessionInfoFor(user));
    },
  );

  app.post(
    '/api/auth/login',
    { config: { access: 'public', rateLimit }, schema: { body: LoginRequestSchema, response: { 200: SessionInfoSchema } } },
    async (request, reply) => {
      const user = await findUserByEmail(db, request.body.email);
      const isValid = await verifyPassword(user?.password_hash, request.body.password);
      await recordAudit(db, auditLoginAttempt({ email: request.body.email, user, passwordOk: isValid, ip: request.ip }));
      if (!user || !isValid) throw new AppError('auth.invalid_credentials', 401, 'wrong email or password');
      if (user.status !== 'active') throw new AppError('auth.user_disabled', 403, 'this account is deactivated');
      await signIn(user, request, reply);
      return sessionInfoFor(user);
    },
  );

  app.post('/api/auth/logout', { config: { access: { allowAuditor: true } } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await endSession(db, token);
    clearSessionCookie(reply);
    return reply.code(204).send();
  });

  app.get('/api/session', { config: { access: {} }, schema: { response: { 200: SessionInfoSchema } } }, async (request) =>
    sessionInfoFor(requireAuth(request).user),
  );

  app.put(
    '/api/me/preferences',
    { config: { access: { allowAuditor: true } }, schema: { body: UpdatePreferencesSchema } },
    async (request, reply) => {
      await setUserLocale(db, requireAuth(request).user.id, request.body.locale);
      return reply.code(204).send();
    },
  );
};
