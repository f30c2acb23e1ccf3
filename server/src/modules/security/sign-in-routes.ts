import {
  LoginRequestSchema,
  SESSION_COOKIE,
  SecondFactorAnswerSchema,
  SessionInfoSchema,
  SetupRequestSchema,
  SetupStatusSchema,
  StepUpRequestSchema,
  UpdatePreferencesSchema,
  WebAuthnOptionsSchema,
} from '@pier/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../errors.js';
import { setUserLocale } from '../workspace/index.js';
import { completeSetup, needsSetup } from './accounts.js';
import { clearSessionCookie, requireAuth } from './guard.js';
import { startPasskeyAuthentication } from './passkeys.js';
import { resolvePublicUrl } from './public-url.js';
import { clientOf, type SecurityRouteKit } from './route-support.js';
import { endSession } from './sessions.js';
import { openSession, signInWithPassword, stepUp, verifySecondFactorStep } from './sign-in.js';

const duringSignIn = ['verify', 'enrol'] as const;

/** First-run setup, sign-in (password, then the second factor), step-up, sign-out and the session. */
export const signInRoutes: FastifyPluginAsyncZod<SecurityRouteKit> = async (app, kit) => {
  const { db, ctx, rateLimit } = kit;

  app.get('/api/setup', { config: { access: 'public' }, schema: { response: { 200: SetupStatusSchema } } }, async () => ({
    needsSetup: await needsSetup(db),
    publicUrlConfigured: (await resolvePublicUrl(db, kit.publicUrl)) !== undefined,
  }));

  app.post(
    '/api/setup',
    { config: { access: 'public', rateLimit }, schema: { body: SetupRequestSchema, response: { 201: SessionInfoSchema } } },
    async (request, reply) => {
      const user = await completeSetup(db, request.body);
      const opened = await openSession(ctx, user, clientOf(request));
      kit.setSessionCookie(reply, opened);
      return reply.code(201).send(await kit.sessionInfo(opened));
    },
  );

  app.post(
    '/api/auth/login',
    { config: { access: 'public', rateLimit }, schema: { body: LoginRequestSchema, response: { 200: SessionInfoSchema } } },
    async (request, reply) => {
      const opened = await signInWithPassword(ctx, request.body, clientOf(request));
      kit.setSessionCookie(reply, opened);
      return kit.sessionInfo(opened);
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
      await verifySecondFactorStep(ctx, auth, request.body, clientOf(request), await kit.relyingPartyOf(request));
      return kit.sessionInfo({ user: auth.user, secondFactor: 'done' });
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
      const rp = (await kit.relyingPartyOf(request))();
      return { ...(await startPasskeyAuthentication(db, auth.sessionId, auth.user.id, rp)) };
    },
  );

  app.post(
    '/api/auth/step-up',
    { config: { access: { allowAuditor: true }, rateLimit }, schema: { body: StepUpRequestSchema } },
    async (request, reply) => {
      await stepUp(ctx, requireAuth(request), request.body, clientOf(request), await kit.relyingPartyOf(request));
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
    kit.sessionInfo(requireAuth(request)),
  );

  app.put(
    '/api/me/preferences',
    { config: { access: { allowAuditor: true, duringSignIn } }, schema: { body: UpdatePreferencesSchema } },
    async (request, reply) => {
      await setUserLocale(db, requireAuth(request).user.id, request.body.locale);
      return reply.code(204).send();
    },
  );
};
