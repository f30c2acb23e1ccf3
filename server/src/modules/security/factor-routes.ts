import {
  PasskeyListSchema,
  PasskeyRegisteredSchema,
  PasskeyRegistrationSchema,
  PasskeyRenameSchema,
  PasskeySchema,
  RecoveryCodesSchema,
  SecondFactorRequestSchema,
  TotpEnrolmentSchema,
  TwoFactorStatusSchema,
  WebAuthnOptionsSchema,
} from '@pier/contracts';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { regenerateRecoveryCodes, removeOwnPasskey, removeOwnTwoFactor, resetUserTwoFactor, twoFactorStatus } from './factor-management.js';
import { apiActorOf, requireAuth } from './guard.js';
import { listPasskeys, renamePasskey, startPasskeyRegistration } from './passkeys.js';
import { admins, clientOf, type SecurityRouteKit } from './route-support.js';
import { confirmEnrolmentStep, registerPasskeyStep } from './sign-in.js';
import { startTotpEnrolment } from './two-factor.js';

const UserIdParams = z.object({ userId: z.string().min(1).max(64) });
const PasskeyIdParams = z.object({ passkeyId: z.string().min(1).max(64) });

/** Second factors: enrolment (at sign-in when the policy requires it, or later from "My security"), passkeys, resets. */
export const factorRoutes: FastifyPluginAsyncZod<SecurityRouteKit> = async (app, kit) => {
  const { db, ctx, rateLimit } = kit;

  app.get(
    '/api/me/two-factor',
    { config: { access: { duringSignIn: ['enrol'] } }, schema: { response: { 200: TwoFactorStatusSchema } } },
    async (request) => twoFactorStatus(db, requireAuth(request).user.id),
  );

  app.post(
    '/api/me/two-factor/totp',
    { config: { access: { allowAuditor: true, duringSignIn: ['enrol'] } }, schema: { response: { 200: TotpEnrolmentSchema } } },
    async (request) => startTotpEnrolment(db, kit.secrets, requireAuth(request).user),
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
    async (request) => ({ codes: await regenerateRecoveryCodes(db, requireAuth(request).user.id, apiActorOf(request)) }),
  );

  app.delete('/api/me/two-factor', { config: { access: { allowAuditor: true, stepUp: true } } }, async (request, reply) => {
    await removeOwnTwoFactor(db, requireAuth(request).user.id, apiActorOf(request));
    return reply.code(204).send();
  });

  app.delete(
    '/api/users/:userId/two-factor',
    { config: { access: { roles: admins, stepUp: true } }, schema: { params: UserIdParams } },
    async (request, reply) => {
      const auth = requireAuth(request);
      await resetUserTwoFactor(db, auth.user, request.params.userId, apiActorOf(request), auth.sessionId);
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
      const rp = (await kit.relyingPartyOf(request))();
      return { ...(await startPasskeyRegistration(db, auth.sessionId, auth.user, rp)) };
    },
  );

  app.post(
    '/api/me/passkeys',
    {
      config: { access: passkeyEnrolment, rateLimit },
      schema: { body: PasskeyRegistrationSchema, response: { 201: PasskeyRegisteredSchema } },
    },
    async (request, reply) => {
      const rp = (await kit.relyingPartyOf(request))();
      const registered = await registerPasskeyStep(ctx, requireAuth(request), request.body, clientOf(request), rp);
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
      await removeOwnPasskey(db, requireAuth(request).user.id, request.params.passkeyId, apiActorOf(request));
      return reply.code(204).send();
    },
  );
};
