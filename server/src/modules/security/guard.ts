import { randomBytes, timingSafeEqual } from 'node:crypto';
import { CSRF_COOKIE, CSRF_HEADER, type MailboxAccess, type Role, SESSION_COOKIE } from '@pier/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { type Clock, systemClock } from '../../clock.js';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { AuditActor } from '../audit/index.js';
import { accessToMailbox, includesAccess } from './access-policy.js';
import { checkTokenUse } from './api-token-policy.js';
import { bearerTokenOf, resolveApiToken } from './api-tokens.js';
import { invalidateSessionCache } from './session-cache.js';
import {
  type AuthContext,
  defaultSessionTimeouts,
  hasFreshStepUp,
  resolveSessionCached,
  type SecondFactorState,
  type SessionTimeouts,
} from './sessions.js';

/**
 * The one guard every API route goes through. A route declares its access in
 * `config.access`; a route under /api without one refuses to register, so a
 * later feature cannot forget authorisation.
 */
export type RouteAccess =
  | 'public'
  | {
      /** Roles allowed; every signed-in role when omitted. */
      roles?: readonly Role[];
      /** Auditors are read-only: state-changing routes refuse them unless this is set (logout, own preferences). */
      allowAuditor?: boolean;
      /** Requires this access to the mailbox the request names. */
      mailbox?: { level: MailboxAccess; idFrom: (request: FastifyRequest) => string | undefined };
      /**
       * A session still owing its second factor may only use routes that list its state here
       * (sign-out, the session, the verify and enrol steps); every other route refuses it.
       */
      duringSignIn?: readonly Exclude<SecondFactorState, 'done'>[];
      /**
       * Sensitive action: password + second factor must have been checked within the last
       * 10 minutes (POST /api/auth/step-up), else 403 auth.step_up_required. A function
       * decides per request (e.g. only when a mailbox password is being changed).
       */
      stepUp?: boolean | ((request: FastifyRequest) => boolean);
      /**
       * The route administers Pier though not only admins may use it (agents who manage a mailbox
       * edit its rules): an API token needs the admin scope to change anything here (decision 0049).
       * Routes limited to admin roles, or to manage access to a mailbox, count as administering anyway.
       */
      administers?: boolean;
    };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    auth: AuthContext | null;
  }
}

/** `schema` is the route's zod schemas as declared (params, querystring, body, response): the OpenAPI document reads them. */
export type ApiRouteRecord = { method: string; url: string; access: RouteAccess; schema?: Record<string, unknown> };
const registeredRoutes = new WeakMap<FastifyInstance, ApiRouteRecord[]>();

/** Every /api route registered on an app with its access rule (the authorisation matrix test walks them all). */
export function apiRoutesOf(app: FastifyInstance): readonly ApiRouteRecord[] {
  return registeredRoutes.get(app) ?? [];
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function requireAuth(request: FastifyRequest): AuthContext {
  if (!request.auth) throw new AppError('auth.required', 401, 'sign in first');
  return request.auth;
}

/** The signed-in user acting through the API, for audit records. */
export function apiActorOf(request: FastifyRequest): AuditActor {
  const auth = requireAuth(request);
  return { actorId: auth.user.id, ip: request.ip, via: 'api', ...(auth.token ? { tokenId: auth.token.id } : {}) };
}

export function registerGuard(
  app: FastifyInstance,
  options: { db: Kysely<Database>; secureCookies: boolean; sessionTimeouts?: SessionTimeouts; clock?: Clock },
) {
  const timeouts = options.sessionTimeouts ?? defaultSessionTimeouts;
  const apiRoutes: ApiRouteRecord[] = [];
  registeredRoutes.set(app, apiRoutes);
  app.decorateRequest('auth', null);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    if (route.config?.access === undefined) {
      throw new Error(`route ${route.method} ${route.url} declares no access rule (config.access)`);
    }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') {
        apiRoutes.push({
          method,
          url: route.url,
          access: route.config.access,
          schema: route.schema as Record<string, unknown> | undefined,
        });
      }
    }
  });

  // CSRF: a double-submit token. The page reads the pier_csrf cookie and echoes it
  // in a header, which a cross-site form or image cannot do; the Origin check
  // stops the rest. Applies before authentication, so login and setup are covered.
  app.addHook('onRequest', async (request, reply) => {
    let csrfCookie = request.cookies[CSRF_COOKIE];
    if (!csrfCookie) {
      csrfCookie = randomBytes(24).toString('base64url');
      reply.setCookie(CSRF_COOKIE, csrfCookie, { path: '/', sameSite: 'strict', secure: options.secureCookies, httpOnly: false });
      request.cookies[CSRF_COOKIE] = csrfCookie;
    }
    if (!UNSAFE_METHODS.has(request.method) || !request.url.startsWith('/api/')) return;
    // A token request carries its credential in a header that a cross-site page cannot set, and
    // such a request is authenticated by that header alone (the cookie is ignored): no CSRF check.
    if (bearerTokenOf(request.headers.authorization) !== undefined) return;
    const origin = request.headers.origin;
    if (origin && origin !== 'null' && safeHost(origin) !== request.headers.host) {
      throw new AppError('csrf.invalid', 403, 'cross-origin request refused');
    }
    const header = request.headers[CSRF_HEADER];
    if (typeof header !== 'string' || !sameToken(header, csrfCookie)) {
      throw new AppError('csrf.invalid', 403, `missing or wrong ${CSRF_HEADER} header: send the value of the ${CSRF_COOKIE} cookie`);
    }
  });

  // The session cache (session-cache.ts) must not outlive a change made through the API:
  // any state-changing API request clears it once answered (after its commit), whatever it
  // changed — sign-out, revocation, second factor, role, grants, deactivation, mailboxes.
  app.addHook('onResponse', async (request) => {
    if (UNSAFE_METHODS.has(request.method) && request.url.startsWith('/api/')) invalidateSessionCache();
  });

  // preValidation, not preHandler: a caller who may not use a route is refused before its input
  // is validated, so validation errors tell an outsider nothing (and the route matrix test can
  // probe every route without crafting valid bodies). Params, query and JSON body are already parsed.
  app.addHook('preValidation', async (request) => {
    const access = request.routeOptions.config.access;
    if (access === undefined) return; // non-API routes (static files)
    const bearer = bearerTokenOf(request.headers.authorization);
    const token = request.cookies[SESSION_COOKIE];
    if (bearer !== undefined) {
      request.auth = (await resolveApiToken(options.db, bearer, (options.clock ?? systemClock).now())) ?? null;
      if (!request.auth && access !== 'public') throw new AppError('auth.required', 401, 'unknown, revoked or expired API token');
    } else {
      request.auth = token ? ((await resolveSessionCached(options.db, token, timeouts, options.clock)) ?? null) : null;
    }
    if (access === 'public') return;
    const auth = requireAuth(request);
    if (auth.secondFactor !== 'done' && !access.duringSignIn?.includes(auth.secondFactor)) {
      throw auth.secondFactor === 'enrol'
        ? new AppError('auth.enrolment_required', 403, 'set up two-factor sign-in first (required by the workspace policy)')
        : new AppError('auth.second_factor_required', 403, 'enter the code from your authenticator app first');
    }
    // A token's limits first: "tokens may not do this" is the answer whatever the user's role.
    if (auth.token) {
      checkTokenUse(auth.token.scope, {
        method: request.method,
        url: request.routeOptions.url ?? '',
        administers: administers(access),
        stepUp: typeof access.stepUp === 'function' ? access.stepUp(request) : access.stepUp === true,
      });
    }
    if (access.roles && !access.roles.includes(auth.user.role)) {
      throw new AppError('auth.forbidden', 403, 'your role may not do this');
    }
    if (auth.user.role === 'auditor' && UNSAFE_METHODS.has(request.method) && !access.allowAuditor) {
      throw new AppError('auth.forbidden', 403, 'auditors have read-only access');
    }
    if (access.mailbox) {
      const mailboxId = access.mailbox.idFrom(request);
      if (mailboxId !== undefined && !includesAccess(accessToMailbox(auth.scope, mailboxId), access.mailbox.level)) {
        // 404, not 403: a user without access learns nothing about the mailbox.
        throw new AppError('mailbox.not_found', 404, 'no such mailbox');
      }
    }
    const stepUp = typeof access.stepUp === 'function' ? access.stepUp(request) : access.stepUp === true;
    if (stepUp && !hasFreshStepUp(auth)) {
      throw new AppError('auth.step_up_required', 403, 'confirm your password and second factor again to do this');
    }
  });
}

/** Whether a route administers Pier (a token needs the admin scope to change anything there). */
export function administers(access: Exclude<RouteAccess, 'public'>): boolean {
  return (
    access.administers === true || (access.roles !== undefined && !access.roles.includes('agent')) || access.mailbox?.level === 'manage'
  );
}

export function clearSessionCookie(reply: FastifyReply) {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

function safeHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
