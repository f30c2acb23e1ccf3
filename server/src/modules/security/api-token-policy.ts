import type { ApiTokenScope } from '@pier/contracts';
import { AppError } from '../../errors.js';

/**
 * What an API token may do (decision 0049), given the route's access rule. The user's own
 * rights are checked as for a session; this only narrows them.
 *
 * Never with a token: routes that sign in or prove a person (second factor, step-up, passkeys,
 * sessions), that make credentials or standing feeds (tokens, webhooks), or that change who may
 * do what (users, roles, security policy, the public URL in reset links). A token that could do
 * these would outlive its revocation or turn a read token into an admin.
 */
const NEVER: readonly { methods?: readonly string[]; url: RegExp }[] = [
  { url: /^\/api\/auth\// },
  { url: /^\/api\/me\/(two-factor|passkeys|sessions|logins)(\/|$)/ },
  { url: /^\/api\/tokens(\/|$)/ },
  { url: /^\/api\/webhooks(\/|$)/ },
  { url: /^\/api\/users\/:userId\/sessions/ },
  { methods: ['POST', 'PUT', 'PATCH', 'DELETE'], url: /^\/api\/users(\/|$)/ },
  { methods: ['POST', 'PUT', 'PATCH', 'DELETE'], url: /^\/api\/security\// },
  // The live socket authenticates by cookie at upgrade time; an API client polls instead.
  { url: /^\/api\/live$/ },
];

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export type TokenRouteFacts = {
  method: string;
  /** The route's pattern, e.g. /api/users/:userId/role. */
  url: string;
  /** The route needs an admin role, or manage access to a mailbox (administration). */
  administers: boolean;
  /** The route needs a fresh step-up for this request. */
  stepUp: boolean;
};

export function checkTokenUse(scope: ApiTokenScope, route: TokenRouteFacts): void {
  const never = NEVER.some((rule) => rule.url.test(route.url) && (!rule.methods || rule.methods.includes(route.method)));
  // Step-up proves a person typed the password and second factor minutes ago; a token cannot.
  if (never || route.stepUp) {
    throw new AppError('auth.token_not_allowed', 403, 'this route needs a signed-in session: API tokens may not use it');
  }
  if (SAFE.has(route.method)) return;
  if (scope === 'read') throw new AppError('auth.token_scope', 403, 'a read token may only read (GET)');
  if (scope === 'write' && route.administers) {
    throw new AppError('auth.token_scope', 403, 'this route administers Pier: it needs a token with the admin scope');
  }
}

/** The least scope a token needs for a route, or null when no token may use it (for the OpenAPI document). */
export function tokenScopeNeeded(route: TokenRouteFacts): ApiTokenScope | null {
  for (const scope of ['read', 'write', 'admin'] as const) {
    try {
      checkTokenUse(scope, route);
      return scope;
    } catch (error) {
      if (error instanceof AppError && error.code === 'auth.token_not_allowed') return null;
    }
  }
  return null;
}
