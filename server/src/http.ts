import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify';
import { hasZodFastifySchemaValidationErrors, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import helmet from 'helmet';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { type Clock, systemClock } from './clock.js';
import type { Engine } from './db/database.js';
import type { Database } from './db/schema.js';
import { AppError } from './errors.js';
import { type HealthProbe, healthRoutes } from './health.js';
import { apiDocsRoutes } from './modules/api-docs/index.js';
import { auditRoutes } from './modules/audit/index.js';
import { autoReplyRoutes } from './modules/auto-reply/index.js';
import { campaignRoutes, campaignsAnsweredBy, signupPublicRoutes, unsubscribeRoutes } from './modules/campaigns/index.js';
import { countCustomersOwnedBy, customerRoutes, handOverCustomers } from './modules/contacts/index.js';
import {
  conversationRoutes,
  conversationsWithContacts,
  deleteMailOnlyIn,
  type PierMessageIds,
  type RecordReopened,
  type TeamActivityCheck,
} from './modules/conversations/index.js';
import { forwardingRoutes } from './modules/forwarding/index.js';
import { customerFraudHistory, fraudRoutes } from './modules/fraud/index.js';
import { knowledgeRoutes } from './modules/knowledge/index.js';
import { type LiveHub, type LivePublisher, liveRoutes } from './modules/live/index.js';
import { mailboxSettingsRoutes } from './modules/mailbox-settings/index.js';
import { type HostGuard, listSessionMailboxes, mailboxAccessRoutes, mailboxCredentials, mailboxRoutes } from './modules/mailboxes/index.js';
import { notificationRoutes } from './modules/notifications/index.js';
import { deliveryStates, outboxRoutes, settleAwaitingApproval } from './modules/outbox/index.js';
import { type PushSender, pushRoutes } from './modules/push/index.js';
import { type DetailSources, readingRoutes } from './modules/reading/index.js';
import { reportRoutes } from './modules/reports/index.js';
import { type BusinessHoursOf, rulesRoutes } from './modules/rules/index.js';
import {
  apiRoutesOf,
  registerGuard,
  resolvePublicUrl,
  type SecretBox,
  type SecurityMailer,
  type SessionTimeouts,
  securityRoutes,
} from './modules/security/index.js';
import { queueMailboxSlaRecompute } from './modules/sla/index.js';
import { importRoutes, syncProgressRoutes } from './modules/sync/index.js';
import { handOverConversations, listNotesAndEvents, openConversationsOf, triageRoutes, triageState } from './modules/triage/index.js';
import { webhookRoutes } from './modules/webhooks/index.js';
import type { BlobStore } from './storage/blob-store.js';

export type HttpOptions = {
  db: Kysely<Database>;
  engine: Engine;
  blobs: BlobStore;
  /** Pier's tagged Message-IDs: written by the outbox, verified by ingest. */
  messageIds: PierMessageIds;
  recordReopened: RecordReopened;
  /** Which conversations the team worked on (triage and outbox), for ingest (decision 0027). */
  teamActivity: TeamActivityCheck;
  logger: Logger;
  webDir: string;
  secureCookies: boolean;
  loginRateLimitPerMinute: number;
  /** Requests per minute per signed-in session (per IP for visitors) on every /api route; 0 turns the limit off. */
  apiRateLimitPerMinute: number;
  health: HealthProbe;
  secrets: SecretBox;
  /** Which addresses mailbox servers and token endpoints may resolve to (PIER_ALLOW_PRIVATE_HOSTS). */
  hosts: HostGuard;
  /** Security mail (alerts, invitations, resets) through the system mailbox, when one is configured. */
  securityMailer: SecurityMailer;
  sessionTimeouts: SessionTimeouts;
  /** The server's time for session expiry and the undo window (tests move it). */
  clock?: Clock;
  publicUrl: string | undefined;
  /** Which proxies' X-Forwarded-For to believe (config.trustProxy); false: the socket's address is the client. */
  trustProxy: false | number | string[];
  /** Called after a mailbox is added, changed or removed (the sync supervisor re-reads them). */
  onMailboxesChanged?: () => void;
  /** Live updates: routes that change conversations call `live.publisher` after commit; the hub serves GET /api/live. */
  live: { publisher: LivePublisher; hub: LiveHub | undefined };
  /** What other domains add to the conversation view (notes, events, tags, delivery state). */
  conversationDetailSources?: DetailSources;
  /** A mailbox's business hours (rules' "inside/outside business hours"); none: open around the clock. */
  businessHoursOf?: BusinessHoursOf;
  /** Web Push: the sender the test button uses (it also pushes created notifications, wired in compose.ts). */
  push: PushSender;
  /** Signs and checks campaign unsubscribe tokens (decision 0051). */
  unsubscribeKey: Buffer;
};

export async function buildHttpApp(options: HttpOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    // One line per request is noise at this scale; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    // PIER_TRUST_PROXY: only then does request.ip come from X-Forwarded-For (login records, lockout, rate limits).
    // A hop count as the function Fastify itself builds for a number (its types accept no number).
    trustProxy: typeof options.trustProxy === 'number' ? trustHops(options.trustProxy) : options.trustProxy,
    bodyLimit: 1024 * 1024,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(toErrorResponse);

  await app.register(fastifyCookie);
  // helmet's headers are the same for every answer (no nonces, no per-request directives), so its
  // middleware runs once, here, and each reply gets the result in one reply.headers(): twelve
  // res.setHeader calls per request were ~3.5 % of a cached list answer's CPU (decision 0076), and
  // before that @fastify/helmet built the middleware anew for every request (~15 %, decision 0014).
  const securityHeaders = headersSetBy(
    helmet({
      // Mail HTML will be rendered in sandboxed frames; the app itself loads only its own files.
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          connectSrc: ["'self'"],
          frameAncestors: ["'none'"],
          formAction: ["'self'"],
          baseUri: ["'none'"],
          objectSrc: ["'none'"],
          // The app's own service worker (sw.js) and manifest; named so no fallback widens them.
          workerSrc: ["'self'"],
          manifestSrc: ["'self'"],
        },
      },
      hsts: options.secureCookies ? { maxAge: 31_536_000 } : false,
    }),
  );
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(securityHeaders);
    done();
  });
  await app.register(fastifyRateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new AppError('auth.rate_limited', 429, `too many attempts: try again in ${Math.ceil(context.ttl / 1000)} s`),
  });
  registerGuard(app, {
    db: options.db,
    secureCookies: options.secureCookies,
    sessionTimeouts: options.sessionTimeouts,
    clock: options.clock,
  });
  registerApiRateLimit(app, options.apiRateLimitPerMinute);

  await app.register(healthRoutes, { probe: options.health });
  await app.register(securityRoutes, {
    db: options.db,
    secrets: options.secrets,
    mailer: options.securityMailer,
    sessionTimeouts: options.sessionTimeouts,
    publicUrl: options.publicUrl,
    secureCookies: options.secureCookies,
    loginRateLimitPerMinute: options.loginRateLimitPerMinute,
    listMailboxesInScope: (scope) => listSessionMailboxes(options.db, scope),
    // Deactivation asks triage to hand the user's conversations over, so events and live updates happen.
    conversationHandover: {
      // The person's customers move with their conversations (issue 19, decision 0048): to the colleague, else to the pool.
      openOf: async (db, userId) => ({ ...(await openConversationsOf(db, userId)), customers: await countCustomersOwnedBy(db, userId) }),
      handOver: async (trx, input) => {
        const conversations = await handOverConversations(trx, input);
        const toUserId = input.to && 'userId' in input.to ? input.to.userId : null;
        const customers = await handOverCustomers(trx, { fromUserId: input.fromUserId, toUserId, actorId: input.actorId, at: Date.now() });
        return { ...conversations, customers };
      },
      changed: (ids) => {
        for (const id of ids) options.live.publisher.publishConversationChanged(id);
      },
    },
  });
  await app.register(mailboxRoutes, {
    db: options.db,
    secrets: options.secrets,
    hosts: options.hosts,
    onChange: options.onMailboxesChanged,
    deleteMail: deleteMailOnlyIn,
  });
  await app.register(mailboxAccessRoutes, { db: options.db });
  await app.register(conversationRoutes, { db: options.db, engine: options.engine });
  await app.register(importRoutes, {
    db: options.db,
    blobs: options.blobs,
    engine: options.engine,
    messageIds: options.messageIds,
    recordReopened: options.recordReopened,
    teamActivity: options.teamActivity,
    onStored: (results) => options.live.publisher.messagesStored(results),
  });
  await app.register(syncProgressRoutes, { db: options.db, now: () => (options.clock ?? systemClock).now() });
  if (options.live.hub) {
    await app.register(fastifyWebsocket, { options: { maxPayload: 16 * 1024 } });
    await app.register(liveRoutes, { hub: options.live.hub });
  }
  await app.register(outboxRoutes, {
    db: options.db,
    blobs: options.blobs,
    engine: options.engine,
    messageIds: options.messageIds,
    recordReopened: options.recordReopened,
    teamActivity: options.teamActivity,
    clock: options.clock,
  });
  await app.register(readingRoutes, {
    db: options.db,
    blobs: options.blobs,
    // The outbox fills the delivery state of outgoing mail (queued, sent, failed, uncertain, bounced).
    // Campaigns name the campaign an incoming reply answers (decision 0058).
    sources: {
      ...triageDetailSources,
      deliverySource: deliveryStates,
      campaignSource: campaignsAnsweredBy,
      ...options.conversationDetailSources,
    },
  });
  await app.register(fraudRoutes, {
    db: options.db,
    blobs: options.blobs,
    settleApproval: settleAwaitingApproval,
    onChanged: (id) => options.live.publisher.publishConversationChanged(id),
  });
  await app.register(customerRoutes, {
    db: options.db,
    clock: options.clock ?? systemClock,
    timeline: { conversations: conversationsWithContacts, fraud: customerFraudHistory },
  });
  await app.register(triageRoutes, { db: options.db, onChanged: (id) => options.live.publisher.publishConversationChanged(id) });
  await app.register(notificationRoutes, { db: options.db });
  // A change of a mailbox's hours or SLA policies recomputes its running clocks (decision 0033).
  await app.register(mailboxSettingsRoutes, { db: options.db, onChanged: queueMailboxSlaRecompute });
  await app.register(reportRoutes, { db: options.db, clock: options.clock ?? systemClock });
  await app.register(pushRoutes, {
    db: options.db,
    secrets: options.secrets,
    hosts: options.hosts,
    clock: options.clock ?? systemClock,
    sender: options.push,
  });
  await app.register(forwardingRoutes, { db: options.db, mailer: options.securityMailer });
  await app.register(rulesRoutes, { db: options.db, blobs: options.blobs, businessHoursOf: options.businessHoursOf ?? (async () => null) });
  await app.register(autoReplyRoutes, { db: options.db, clock: options.clock });
  await app.register(knowledgeRoutes, { db: options.db, clock: options.clock });
  await app.register(campaignRoutes, {
    db: options.db,
    secrets: options.secrets,
    hosts: options.hosts,
    clock: options.clock,
    unsubscribeKey: options.unsubscribeKey,
    publicUrl: () => resolvePublicUrl(options.db, options.publicUrl),
  });
  // Public, outside /api: the one-click unsubscribe (RFC 8058) a mail provider POSTs without cookies.
  await app.register(unsubscribeRoutes, { db: options.db, key: options.unsubscribeKey, clock: options.clock });
  // Public too: a list's sign-up form, posted from the company's website (decision 0071).
  await app.register(signupPublicRoutes, { db: options.db, clock: options.clock });
  await app.register(auditRoutes, {
    db: options.db,
    mailboxCredentials: mailboxCredentials(options.secrets),
    mailer: options.securityMailer,
  });

  await app.register(webhookRoutes, { db: options.db, secrets: options.secrets, hosts: options.hosts });
  await app.register(apiDocsRoutes, { routes: () => apiRoutesOf(app) });

  const hasWeb = existsSync(path.join(options.webDir, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, { root: options.webDir, wildcard: false, index: ['index.html'] });
  }
  app.setNotFoundHandler((request, reply) => {
    // The web app routes on the client: unknown non-API paths get index.html.
    if (hasWeb && request.method === 'GET' && !request.url.startsWith('/api/')) {
      return reply.type('text/html').sendFile('index.html');
    }
    return reply
      .code(404)
      .send({ error: { code: 'request.not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` } });
  });
  return app;
}

/** The headers a (request-independent) Connect-style middleware sets, captured by running it once. */
function headersSetBy(middleware: (req: never, res: never, next: (error?: unknown) => void) => void): Record<string, string> {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string) => {
      headers[name.toLowerCase()] = value;
    },
    removeHeader: () => {},
  };
  let failure: unknown;
  middleware({} as never, res as never, (error) => {
    failure = error;
  });
  if (failure) throw failure instanceof Error ? failure : new Error(String(failure));
  return headers;
}

/** Trusts the nearest `hops` proxies: the client is the address just before them in X-Forwarded-For. */
function trustHops(hops: number) {
  return (_address: string, hop: number) => hop < hops;
}

/** Paths the API limit leaves alone: the live socket (one long request) and the health probe. */
const API_LIMIT_EXEMPT = new Set(['/api/live', '/api/health']);

/**
 * The limit on every /api route (issue #5). It runs after the guard resolved the session
 * (preValidation, registered after registerGuard), so a signed-in user is counted per session
 * — a forged cookie cannot open a fresh bucket — and a visitor per IP. Requests the guard
 * refuses (401/403) are not counted. Sign-in, setup and reset keep their own, stricter limit
 * (the plugin runs one limiter per request, the route's own first).
 */
function registerApiRateLimit(app: FastifyInstance, perMinute: number) {
  if (perMinute <= 0) return;
  const limit = app.rateLimit({
    max: perMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => (request.auth ? `session:${request.auth.sessionId}` : `ip:${request.ip}`),
    errorResponseBuilder: (_request, context) =>
      new AppError('api.rate_limited', 429, `too many requests: try again in ${Math.ceil(context.ttl / 1000)} s`),
  });
  app.addHook('preValidation', async (request, reply) => {
    if (request.routeOptions.config.access === undefined) return; // static files, not found
    const pathname = request.url.split('?')[0] ?? '';
    if (!pathname.startsWith('/api/') || API_LIMIT_EXEMPT.has(pathname)) return;
    await limit.call(app, request, reply);
  });
}

function toErrorResponse(this: FastifyInstance, error: FastifyError | AppError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) {
    return reply.code(error.statusCode).send({ error: { code: error.code, message: error.message, details: error.details } });
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const details = error.validation.map((v) => ({ path: v.instancePath || '/', message: v.message }));
    const summary = details.map((d) => `${d.path.replace(/^\//, '').replaceAll('/', '.') || 'body'} ${d.message}`).join('; ');
    return reply.code(400).send({ error: { code: 'request.invalid', message: summary, details } });
  }
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error instanceof SyntaxError) {
    return reply.code(400).send({ error: { code: 'request.malformed_json', message: 'the request body is not valid JSON' } });
  }
  const status = error.statusCode ?? 500;
  if (status < 500) {
    return reply.code(status).send({ error: { code: 'request.invalid', message: error.message } });
  }
  this.log.error(
    { err: { message: error.message, stack: error.stack }, method: request.method, url: request.url.split('?')[0] },
    'request failed',
  );
  return reply.code(500).send({ error: { code: 'server.error', message: 'internal error: the server log has the details' } });
}

/** Triage's part of GET /api/conversations/:id: notes and events on the timeline, and the triage facets. */
const triageDetailSources: DetailSources = {
  timelineSources: [(db, { conversationId }) => listNotesAndEvents(db, conversationId)],
  facetSources: [
    async (db, { conversationId, reader }) => {
      const { tags, team, following, snoozedUntil, assignee, priority, status } = await triageState(db, conversationId, reader.userId);
      return { tags, team, following, snoozedUntil, assignee, priority, status };
    },
  ],
};
