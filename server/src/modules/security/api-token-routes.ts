import { ApiTokenListSchema, CreateApiTokenSchema, CreatedApiTokenSchema } from '@pier/contracts';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createApiToken, listApiTokens, revokeApiToken } from './api-tokens.js';
import { apiActorOf, requireAuth } from './guard.js';
import type { SecurityRouteKit } from './route-support.js';

const isAdmin = (role: string) => role === 'admin' || role === 'super_admin';

/**
 * API tokens (decision 0049): everyone signed in makes and revokes their own; admins see and
 * revoke everyone's. Making one is a step-up action (it is a new way in). Tokens cannot use
 * these routes (api-token-policy.ts).
 */
export const apiTokenRoutes: FastifyPluginAsyncZod<SecurityRouteKit> = async (app, { db }) => {
  app.get(
    '/api/tokens',
    { config: { access: { allowAuditor: true } }, schema: { response: { 200: ApiTokenListSchema } } },
    async (request) => {
      const { user } = requireAuth(request);
      return { tokens: await listApiTokens(db, isAdmin(user.role) ? {} : { userId: user.id }) };
    },
  );

  app.post(
    '/api/tokens',
    {
      config: { access: { allowAuditor: true, stepUp: true } },
      schema: { body: CreateApiTokenSchema, response: { 201: CreatedApiTokenSchema } },
    },
    async (request, reply) => {
      const { user } = requireAuth(request);
      const created = await createApiToken(db, apiActorOf(request), { userId: user.id, ...request.body });
      return reply.code(201).send(created);
    },
  );

  app.delete(
    '/api/tokens/:id',
    { config: { access: { allowAuditor: true } }, schema: { params: z.object({ id: z.string().min(1).max(64) }) } },
    async (request, reply) => {
      const { user } = requireAuth(request);
      await revokeApiToken(db, apiActorOf(request), request.params.id, isAdmin(user.role) ? {} : { ownerId: user.id });
      return reply.code(204).send();
    },
  );
};
