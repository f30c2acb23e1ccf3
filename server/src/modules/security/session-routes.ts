import {
  ListLimitQuerySchema,
  LoginRecordListSchema,
  PublicUrlSettingSchema,
  SecurityAlertListSchema,
  SecurityPolicySchema,
  SessionListSchema,
  SuperAdminPolicySchema,
  UpdatePublicUrlSchema,
} from '@pier/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listAlerts } from './alerts.js';
import { apiActorOf, clearSessionCookie, requireAuth } from './guard.js';
import { listLoginRecords } from './login-records.js';
import { changePublicUrl, publicUrlSetting } from './public-url.js';
import { admins, type SecurityRouteKit } from './route-support.js';
import { changeSecurityPolicy, loadSecurityPolicy } from './security-policy.js';
import { revokeOtherSessionsAudited, revokeSessionAudited, sessionListOf } from './session-management.js';
import { changeSuperAdminPolicy, loadSuperAdminPolicy } from './super-admin-policy.js';

const SessionIdParams = z.object({ sessionId: z.string().min(1).max(128) });
const UserIdParams = z.object({ userId: z.string().min(1).max(64) });

/** Sessions (yours, and admins: anyone's), login records, unusual-login alerts, the workspace's security settings. */
export const sessionRoutes: FastifyPluginAsyncZod<SecurityRouteKit> = async (app, kit) => {
  const { db } = kit;

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
    async (request) => changeSecurityPolicy(db, request.body, apiActorOf(request)),
  );

  app.get(
    '/api/security/super-admin-policy',
    { config: { access: { roles: admins } }, schema: { response: { 200: SuperAdminPolicySchema } } },
    async () => loadSuperAdminPolicy(db),
  );

  app.put(
    '/api/security/super-admin-policy',
    {
      config: { access: { roles: ['super_admin'], stepUp: true } },
      schema: { body: SuperAdminPolicySchema, response: { 200: SuperAdminPolicySchema } },
    },
    async (request) => changeSuperAdminPolicy(db, request.body, apiActorOf(request)),
  );

  app.get(
    '/api/security/public-url',
    { config: { access: { roles: admins } }, schema: { response: { 200: PublicUrlSettingSchema } } },
    async () => publicUrlSetting(db, kit.publicUrl),
  );

  /** Where mailed links point: a sensitive choice (a wrong address hands out tokens), so super admins with a step-up. */
  app.put(
    '/api/security/public-url',
    {
      config: { access: { roles: ['super_admin'], stepUp: true } },
      schema: { body: UpdatePublicUrlSchema, response: { 200: PublicUrlSettingSchema } },
    },
    async (request) => {
      await changePublicUrl(db, request.body.publicUrl, apiActorOf(request));
      return publicUrlSetting(db, kit.publicUrl);
    },
  );

  app.get('/api/me/sessions', { config: { access: {} }, schema: { response: { 200: SessionListSchema } } }, async (request) => {
    const auth = requireAuth(request);
    return sessionListOf(db, auth.user.id, auth.sessionId);
  });

  app.delete(
    '/api/me/sessions/:sessionId',
    { config: { access: { allowAuditor: true } }, schema: { params: SessionIdParams } },
    async (request, reply) => {
      const auth = requireAuth(request);
      await revokeSessionAudited(db, auth.user.id, request.params.sessionId, apiActorOf(request));
      if (request.params.sessionId === auth.sessionId) clearSessionCookie(reply);
      return reply.code(204).send();
    },
  );

  /** "Sign out everywhere else". */
  app.delete('/api/me/sessions', { config: { access: { allowAuditor: true } } }, async (request) => {
    const auth = requireAuth(request);
    return { revoked: await revokeOtherSessionsAudited(db, auth.user.id, auth.sessionId, apiActorOf(request)) };
  });

  app.get(
    '/api/users/:userId/sessions',
    { config: { access: { roles: admins } }, schema: { params: UserIdParams, response: { 200: SessionListSchema } } },
    async (request) => sessionListOf(db, request.params.userId, requireAuth(request).sessionId),
  );

  app.delete(
    '/api/users/:userId/sessions/:sessionId',
    { config: { access: { roles: admins } }, schema: { params: UserIdParams.extend(SessionIdParams.shape) } },
    async (request, reply) => {
      await revokeSessionAudited(db, request.params.userId, request.params.sessionId, apiActorOf(request));
      return reply.code(204).send();
    },
  );

  app.delete(
    '/api/users/:userId/sessions',
    { config: { access: { roles: admins } }, schema: { params: UserIdParams } },
    async (request) => ({
      revoked: await revokeOtherSessionsAudited(db, request.params.userId, requireAuth(request).sessionId, apiActorOf(request)),
    }),
  );

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
};
