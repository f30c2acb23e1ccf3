import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { apiTokenRoutes } from './api-token-routes.js';
import { factorRoutes } from './factor-routes.js';
import { type SecurityRoutesOptions, securityRouteKit } from './route-support.js';
import { sessionRoutes } from './session-routes.js';
import { signInRoutes } from './sign-in-routes.js';
import { userRoutes } from './user-routes.js';

export type { SecurityRoutesOptions } from './route-support.js';

/**
 * Every route of the security module. The files hold thin routes (parse, guard, call one use
 * case, answer); the use cases live in sign-in.ts, factor-management.ts, session-management.ts,
 * account-links.ts, user-lifecycle.ts and security-policy.ts.
 */
export const securityRoutes: FastifyPluginAsyncZod<SecurityRoutesOptions> = async (app, options) => {
  const kit = securityRouteKit(options);
  await app.register(signInRoutes, kit);
  await app.register(factorRoutes, kit);
  await app.register(sessionRoutes, kit);
  await app.register(userRoutes, kit);
  await app.register(apiTokenRoutes, kit);
};
