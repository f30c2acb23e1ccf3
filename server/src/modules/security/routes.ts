import {
  ListLimitQuerySchema,
  LoginRecordListSchema,
  LoginRequestSchema,
  PasskeyListSchema,
  PasskeyRegisteredSchema,
  PasskeyRegistrationSchema,
  PasskeyRenameSchema,
  PasskeySchema,
  RecoveryCodesSchema,
  SESSION_COOKIE,
  SecondFactorAnswerSchema,
  SecondFactorRequestSchema,
  SecurityAlertListSchema,
  SecurityPolicySchema,
  type SessionInfo,
  SessionInfoSchema,
  SessionListSchema,
  SetupRequestSchema,
  SetupStatusSchema,
  StepUpRequestSchema,
  TotpEnrolmentSchema,
  TwoFactorStatusSchema,
  UpdatePreferencesSchema,
  WebAuthnOptionsSchema,
} from '@pier/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { recordAuditBy } from '../audit/index.js';
import { setUserLocale, toUserDto } from '../workspace/index.js';
import { type MailboxScope, mailboxScopeFor } from './access-policy.js';
import { completeSetup, needsSetup } from './accounts.js';
import { listAlerts } from './alerts.js';
import { deviceOf } from './device.js';
import { apiActorOf, clearSessionCookie, requireAuth } from './guard.js';
import { type ClientInfo, listLoginRecords } from './login-records.js';
import {
  countPasskeys,
  deletePasskey,
  listPasskeys,
  relyingPartyFor,
  renamePasskey,
  startPasskeyAuthentication,
  startPasskeyRegistration,
} from './passkeys.js';
import type { SecretBox } from './secret-box.js';
import type { SecurityMailer } from './security-mail.js';
import { loadSecurityPolicy, saveSecurityPolicy } from './security-policy.js';
import { loadMailboxGrants } from './session-queries.js';
import {
  type AuthContext,
  endSession,
  listUserSessions,
  revokeAllUserSessions,
  revokeUserSession,
  type SessionTimeouts,
} from './sessions.js';
import {
  confirmEnrolmentStep,
  type OpenedSession,
  openSession,
  registerPasskeyStep,
  type SignInContext,
  signInWithPassword,
  stepUp,
  verifySecondFactorStep,
} from './sign-in.js';
import { hasTotp, hasTwoFactor, remainingRecoveryCodes, removeTwoFactor, replaceRecoveryCodes, startTotpEnrolment } from './two-factor.js';
import type { ConversationHandover } from './user-lifecycle.js';
import { userRoutes } from './user-routes.js';

export type SecurityRoutesOptions = {
  db: Kysely<Database>;
  secrets: SecretBox;
  mailer: SecurityMailer;
  sessionTimeouts: SessionTimeouts;
  secureCookies: boolean;
  loginRateLimitPerMinute: number;
  /** Base URL for links in invitation and reset mails (PIER_PUBLIC_URL, else the request's origin). */
  publicUrl: string | undefined;
  /** Supplied by the mailboxes module (which depends on security, not the other way round). */
  listMailboxesInScope: (scope: MailboxScope) => Promise<SessionInfo['mailboxes']>;
  /** Supplied by triage: a deactivated user's open conversations, counted and handed over. */
  conversationHandover: ConversationHandover;
};

const admins = ['super_admin', 'admin'] as const;
const duringSignIn = ['verify', 'enrol'] as const;
const SessionIdParams = z.object({ sessionId: z.string().min(1).max(128) });
const UserIdParams = z.object({ userId: z.string().min(1).max(64) });
const PasskeyIdParams = z.object({ passkeyId: z.string().min(1).max(64) });

export function clientOf(request: FastifyRequest): ClientInfo {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
}

export const securityRoutes: FastifyPluginAsyncZod<SecurityRoutesOptions> = async (app, options) => {
  const { db, secureCookies, loginRateLimitPerMinute } = options;
  const ctx: SignInContext = { db, secrets: options.secrets, mailer: options.mailer, timeouts: options.sessionTimeouts };
  // Sign-in, its second step, setup and step-up share a per-IP budget: guessing is slow however it is tried.
  const rateLimit = { max: loginRateLimitPerMinute, timeWindow: 60_000 };
  const rpOf = (request: FastifyRequest) => () => relyingPartyFor(request, options.publicUrl);

  async function sessionInfo(auth: Pick<AuthContext, 'user' | 'secondFactor'>): Promise<SessionInfo> {
    const { user, secondFactor } = auth;
    if (secondFactor !== 'done') return { user: toUserDto(user), mailboxes: [], secondFactor };
    const grants = await loadMailboxGrants(db, user.id);
    const scope = mailboxScopeFor(user.role, new Map(grants.map((g) => [g.mailbox_id, g.access])));
    return { user: toUserDto(user), mailboxes: await options.listMailboxesInScope(scope), secondFactor };
  }

  function setSessionCookie(reply: FastifyReply, opened: OpenedSession) {
    reply.setCookie(SESSION_COOKIE, opened.token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: secureCookies,
      maxAge: Math.floor(options.sessionTimeouts.absoluteMs / 1000),
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
      const opened = await openSession(ctx, user, clientOf(request));
      setSessionCookie(reply, opened);
      return reply.code(201).send(await sessionInfo(opened));
    },
  );

  app.post(
    '/api/auth/login',
    { config: { access: 'public', rateLimit }, schema: { body: LoginRequestSchema, response: { 200: SessionInfoSchema } } },
    async (request, reply) => {
      const opened = await signInWithPassword(ctx, request.body, clientOf(request));
      setSessionCookie(reply, opened);
      return sessionInfo(opened);
    },
  );

  app.post(
    '/api/auth/second-factor',
    {
      config: { access: { allowAuditor: true, duringSignIn: ['verify'] }, rateLimit },
      schema: { body: SecondFactorAnswerSchema, response: { 200: SessionInfoSchema } },
    },
    async (request) => {
      const auth = requireAuth(request);
      if (auth.secondFactor !== 'verify') throw new AppError('request.invalid', 409, 'this session has no pending second factor');
      await verifySecondFactorStep(ctx, auth, request.body, clientOf(request), rpOf(request));
      return sessionInfo({ user: auth.user, secondFactor: 'done' });
    },
  );

  /** A challenge for one of the user's passkeys: the second sign-in step, or a step-up. */
  app.post(
    '/api/auth/passkey-challenge',
    {
      config: { access: { allowAuditor: true, duringSignIn: ['verify'] }, rateLimit },
      schema: { response: { 200: WebAuthnOptionsSchema } },
    },
    async (request) => {
      const auth = requireAuth(request);
      return { ...(await startPasskeyAuthentication(db, auth.sessionId, auth.user.id, rpOf(request)())) };
    },
  );

  app.post(
    '/api/auth/step-up',
    { config: { access: { allowAuditor: true }, rateLimit }, schema: { body: StepUpRequestSchema } },
    async (request, reply) => {
      await stepUp(ctx, requireAuth(request), request.body, clientOf(request), rpOf(request));
      return reply.code(204).send();
    },
  );

  app.post('/api/auth/logout', { config: { access: { allowAuditor: true, duringSignIn } } }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await endSession(db, token);
    clearSessionCookie(reply);
    return reply.code(204).send();
  });

  app.get('/api/session', { config: { access: { duringSignIn } }, schema: { response: { 200: SessionInfoSchema } } }, async (request) =>
    sessionInfo(requireAuth(request)),
  );

  app.put(
    '/api/me/preferences',
    { config: { access: { allowAuditor: true, duringSignIn } }, schema: { body: UpdatePreferencesSchema } },
    async (request, reply) => {
      await setUserLocale(db, requireAuth(request).user.id, request.body.locale);
      return reply.code(204).send();
    },
  );

  // Two-factor: enrolment (at sign-in when the policy requires it, or later from "My security").
  app.get(
    '/api/me/two-factor',
    { config: { access: { duringSignIn: ['enrol'] } }, schema: { response: { 200: TwoFactorStatusSchema } } },
    async (request) => {
      const { user } = requireAuth(request);
      return {
        enrolled: await hasTwoFactor(db, user.id),
        totp: await hasTotp(db, user.id),
        passkeys: await countPasskeys(db, user.id),
        recoveryCodesLeft: await remainingRecoveryCodes(db, user.id),
        requiredByPolicy: (await loadSecurityPolicy(db)).requireTwoFactor,
      };
    },
  );

  app.post(
    '/api/me/two-factor/totp',
    { config: { access: { allowAuditor: true, duringSignIn: ['enrol'] } }, schema: { response: { 200: TotpEnrolmentSchema } } },
    async (request) => startTotpEnrolment(db, options.secrets, requireAuth(request).user),
  );

  app.post(
    '/api/me/two-factor/totp/confirm',
    {
      config: { access: { allowAuditor: true, duringSignIn: ['enrol'] }, rateLimit },
      schema: { body: SecondFactorRequestSchema, response: { 200: RecoveryCodesSchema } },
    },
    async (request) => ({ codes: await confirmEnrolmentStep(ctx, requireAuth(request), request.body.code, clientOf(request)) }),
  );

  app.post(
    '/api/me/two-factor/recovery-codes',
    { config: { access: { allowAuditor: true, stepUp: true } }, schema: { response: { 200: RecoveryCodesSchema } } },
    async (request) => {
      const { user } = requireAuth(request);
      if (!(await hasTwoFactor(db, user.id))) throw new AppError('two_factor.not_started', 409, 'set up two-factor sign-in first');
      const codes = await db.transaction().execute(async (trx) => {
        await recordAuditBy(trx, apiActorOf(request), { action: 'user.recovery_codes_regenerated', targetType: 'user', targetId: user.id });
        return replaceRecoveryCodes(trx, user.id);
      });
      return { codes };
    },
  );

  app.delete('/api/me/two-factor', { config: { access: { allowAuditor: true, stepUp: true } } }, async (request, reply) => {
    const { user } = requireAuth(request);
    if ((await loadSecurityPolicy(db)).requireTwoFactor) {
      throw new AppError('two_factor.required_by_policy', 409, 'the workspace requires two-factor sign-in: it cannot be turned off');
    }
    await db.transaction().execute(async (trx) => {
      const removed = await removeTwoFactor(trx, user.id);
      if (!removed) return;
      await recordAuditBy(trx, apiActorOf(request), {
        action: 'user.two_factor_removed',
        targetType: 'user',
        targetId: user.id,
        details: { ...removed },
      });
    });
    return reply.code(204).send();
  });

  app.delete(
    '/api/users/:userId/two-factor',
    { config: { access: { roles: admins, stepUp: true } }, schema: { params: UserIdParams } },
    async (request, reply) => {
      const { userId } = request.params;
      await db.transaction().execute(async (trx) => {
        const removed = await removeTwoFactor(trx, userId);
        if (!removed) throw new AppError('user.not_found', 404, 'no two-factor sign-in to reset for this user');
        // Their sessions go too: the next sign-in enrols again (when the policy requires it).
        const sessions = await revokeAllUserSessions(trx, userId, requireAuth(request).sessionId);
        await recordAuditBy(trx, apiActorOf(request), {
          action: 'user.two_factor_reset',
          targetType: 'user',
          targetId: userId,
          details: { ...removed, sessionsRevoked: sessions },
        });
      });
      return reply.code(204).send();
    },
  );

  // Passkeys: registered at enrolment or from "My security" (step-up once signed in), listed, renamed, removed.
  const passkeyEnrolment = {
    allowAuditor: true,
    duringSignIn: ['enrol'] as const,
    // Adding a factor to a complete session is sensitive (a stolen session would add its own key).
    stepUp: (request: FastifyRequest) => request.auth?.secondFactor === 'done',
  };

  app.get('/api/me/passkeys', { config: { access: {} }, schema: { response: { 200: PasskeyListSchema } } }, async (request) => ({
    items: await listPasskeys(db, requireAuth(request).user.id),
  }));

  app.post(
    '/api/me/passkeys/options',
    { config: { access: passkeyEnrolment, rateLimit }, schema: { response: { 200: WebAuthnOptionsSchema } } },
    async (request) => {
      const auth = requireAuth(request);
      return { ...(await startPasskeyRegistration(db, auth.sessionId, auth.user, rpOf(request)())) };
    },
  );

  app.post(
    '/api/me/passkeys',
    {
      config: { access: passkeyEnrolment, rateLimit },
      schema: { body: PasskeyRegistrationSchema, response: { 201: PasskeyRegisteredSchema } },
    },
    async (request, reply) => {
      const auth = requireAuth(request);
      const registered = await registerPasskeyStep(ctx, auth, request.body, clientOf(request), rpOf(request)());
      return reply.code(201).send(registered);
    },
  );

  app.patch(
    '/api/me/passkeys/:passkeyId',
    {
      config: { access: { allowAuditor: true } },
      schema: { params: PasskeyIdParams, body: PasskeyRenameSchema, response: { 200: PasskeySchema } },
    },
    async (request) => renamePasskey(db, requireAuth(request).user.id, request.params.passkeyId, request.body.name),
  );

  app.delete(
    '/api/me/passkeys/:passkeyId',
    { config: { access: { allowAuditor: true, stepUp: true } }, schema: { params: PasskeyIdParams } },
    async (request, reply) => {
      const { user } = requireAuth(request);
      await db.transaction().execute(async (trx) => {
        const removed = await deletePasskey(trx, user.id, request.params.passkeyId);
        if (!removed) throw new AppError('passkey.not_found', 404, 'no such passkey');
        if (!(await hasTwoFactor(trx, user.id)) && (await loadSecurityPolicy(trx)).requireTwoFactor) {
          throw new AppError('two_factor.required_by_policy', 409, 'this is your last second factor: add another one before removing it');
        }
        await recordAuditBy(trx, apiActorOf(request), {
          action: 'user.passkey_removed',
          targetType: 'user',
          targetId: user.id,
          details: { passkeyId: request.params.passkeyId, name: removed.name },
        });
      });
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/security/policy',
    { config: { access: { roles: admins } }, schema: { response: { 200: SecurityPolicySchema } } },
    async () => loadSecurityPolicy(db),
  );

  app.put(
    '/api/security/policy',
    {
      config: { access: { roles: ['super_admin'], stepUp: true } },
      schema: { body: SecurityPolicySchema, response: { 200: SecurityPolicySchema } },
    },
    async (request) => {
      await db.transaction().execute(async (trx) => {
        const before = await loadSecurityPolicy(trx);
        await saveSecurityPolicy(trx, request.body);
        await recordAuditBy(trx, apiActorOf(request), {
          action: 'security.policy_changed',
          targetType: 'workspace',
          details: { requireTwoFactor: request.body.requireTwoFactor, previous: { requireTwoFactor: before.requireTwoFactor } },
        });
      });
      return loadSecurityPolicy(db);
    },
  );

  // Sessions: your own, and (admins) anyone's.
  const sessionList = async (userId: string, currentId: string) => ({
    items: (await listUserSessions(db, userId)).map((s) => ({
      id: s.id,
      createdAt: s.createdAt,
      lastSeenAt: s.lastSeenAt,
      expiresAt: s.expiresAt,
      ip: s.ip,
      device: deviceOf(s.userAgent),
      current: s.id === currentId,
    })),
  });

  /** One session of a user ends, with its audit record in the same transaction. */
  const revokeAudited = (request: FastifyRequest, userId: string, sessionId: string) =>
    db.transaction().execute(async (trx) => {
      if (!(await revokeUserSession(trx, userId, sessionId))) throw new AppError('session.not_found', 404, 'no such session');
      await recordAuditBy(trx, apiActorOf(request), {
        action: 'session.revoked',
        targetType: 'user',
        targetId: userId,
        // The public handle of the session (its hash), never the cookie token.
        details: { sessionId, count: 1 },
      });
    });

  /** Every session of a user except the caller's own ends; audited when there was any. */
  const revokeAllAudited = (request: FastifyRequest, userId: string) =>
    db.transaction().execute(async (trx) => {
      const count = await revokeAllUserSessions(trx, userId, requireAuth(request).sessionId);
      if (count > 0) {
        await recordAuditBy(trx, apiActorOf(request), {
          action: 'session.revoked',
          targetType: 'user',
          targetId: userId,
          details: { count },
        });
      }
      return count;
    });

  app.get('/api/me/sessions', { config: { access: {} }, schema: { response: { 200: SessionListSchema } } }, async (request) => {
    const auth = requireAuth(request);
    return sessionList(auth.user.id, auth.sessionId);
  });

  app.delete(
    '/api/me/sessions/:sessionId',
    { config: { access: { allowAuditor: true } }, schema: { params: SessionIdParams } },
    async (request, reply) => {
      const auth = requireAuth(request);
      await revokeAudited(request, auth.user.id, request.params.sessionId);
      if (request.params.sessionId === auth.sessionId) clearSessionCookie(reply);
      return reply.code(204).send();
    },
  );

  /** "Sign out everywhere else". */
  app.delete('/api/me/sessions', { config: { access: { allowAuditor: true } } }, async (request) => {
    const auth = requireAuth(request);
    return { revoked: await revokeAllAudited(request, auth.user.id) };
  });

  app.get(
    '/api/users/:userId/sessions',
    { config: { access: { roles: admins } }, schema: { params: UserIdParams, response: { 200: SessionListSchema } } },
    async (request) => sessionList(request.params.userId, requireAuth(request).sessionId),
  );

  app.delete(
    '/api/users/:userId/sessions/:sessionId',
    { config: { access: { roles: admins } }, schema: { params: UserIdParams.extend(SessionIdParams.shape) } },
    async (request, reply) => {
      await revokeAudited(request, request.params.userId, request.params.sessionId);
      return reply.code(204).send();
    },
  );

  app.delete(
    '/api/users/:userId/sessions',
    { config: { access: { roles: admins } }, schema: { params: UserIdParams } },
    async (request) => ({ revoked: await revokeAllAudited(request, request.params.userId) }),
  );

  // Login records and unusual-login alerts.
  app.get(
    '/api/me/logins',
    { config: { access: {} }, schema: { querystring: ListLimitQuerySchema, response: { 200: LoginRecordListSchema } } },
    async (request) => ({ items: await listLoginRecords(db, { userId: requireAuth(request).user.id, limit: request.query.limit }) }),
  );

  app.get(
    '/api/security/logins',
    {
      config: { access: { roles: [...admins, 'auditor'] } },
      schema: {
        querystring: ListLimitQuerySchema.extend({ userId: z.string().max(64).optional() }),
        response: { 200: LoginRecordListSchema },
      },
    },
    async (request) => ({ items: await listLoginRecords(db, { userId: request.query.userId, limit: request.query.limit }) }),
  );

  /** Alerts about you; admins and auditors see everyone's. */
  app.get(
    '/api/security/alerts',
    { config: { access: {} }, schema: { querystring: ListLimitQuerySchema, response: { 200: SecurityAlertListSchema } } },
    async (request) => {
      const { user } = requireAuth(request);
      const everyone = user.role === 'super_admin' || user.role === 'admin' || user.role === 'auditor';
      return { items: await listAlerts(db, { userId: everyone ? undefined : user.id, limit: request.query.limit }) };
    },
  );

  await app.register(userRoutes, { ...options, ctx, setSessionCookie, sessionInfo });
};
