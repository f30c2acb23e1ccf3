import { CSRF_COOKIE, CSRF_HEADER, type LiveServerMessage, type Role, SESSION_COOKIE } from '@pier/contracts';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestMail } from '../../src/modules/conversations/index.js';
import { createMailbox, grantMailboxAccess, loadOwnAddresses } from '../../src/modules/mailboxes/index.js';
import { apiRoutesOf, createAccount, createApiToken } from '../../src/modules/security/index.js';
import { defaultSessionTimeouts, startSession } from '../../src/modules/security/sessions.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { openLiveSocket } from '../support/live-socket.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD } from '../support/users.js';

/**
 * Every /api route registered in the app × every kind of user. The routes come
 * from the guard's own registry, so a new route is covered the day it is added,
 * and a route missing from the table below fails the test until someone states
 * who may use it.
 *
 * "allowed" means the guard let the request through (whatever the handler then
 * answered: 400 for an empty body, 409, 404 for an unknown session…); "denied"
 * means 401, 403 auth.forbidden, or 404 for the mailbox / its mail. The guard
 * runs before input validation, so empty bodies are enough to probe it.
 *
 * Users: S super admin, A admin, G agent with reply access to the mailbox,
 * U auditor (granted manage there, capped to read), O agent without access to it.
 * Sessions are made with the real startSession (second factor done, fresh
 * step-up): sign-in itself is tested in two-factor.test.ts.
 */
type Who = 'S' | 'A' | 'G' | 'U' | 'O';
const everyone = 'SAGUO';
const expectations: Record<string, 'public' | string> = {
  'GET /api/health': 'public',
  'GET /api/setup': 'public',
  'POST /api/setup': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/invitation/accept': 'public',
  'POST /api/auth/password-reset': 'public',
  'POST /api/auth/password-reset/complete': 'public',
  'POST /api/auth/second-factor': everyone,
  'POST /api/auth/step-up': everyone,
  'POST /api/auth/logout': everyone,
  'GET /api/session': everyone,
  'PUT /api/me/preferences': everyone,
  'GET /api/me/two-factor': everyone,
  'POST /api/me/two-factor/totp': everyone,
  'POST /api/me/two-factor/totp/confirm': everyone,
  'POST /api/me/two-factor/recovery-codes': everyone,
  'DELETE /api/me/two-factor': everyone,
  'POST /api/auth/passkey-challenge': everyone,
  'GET /api/me/passkeys': everyone,
  'POST /api/me/passkeys/options': everyone,
  'POST /api/me/passkeys': everyone,
  'PATCH /api/me/passkeys/:passkeyId': everyone,
  'DELETE /api/me/passkeys/:passkeyId': everyone,
  'GET /api/me/sessions': everyone,
  'DELETE /api/me/sessions': everyone,
  'DELETE /api/me/sessions/:sessionId': everyone,
  'GET /api/me/logins': everyone,
  'GET /api/security/alerts': everyone,
  'GET /api/security/logins': 'SAU',
  'GET /api/security/policy': 'SA',
  'GET /api/security/super-admin-policy': 'SA',
  'PUT /api/security/super-admin-policy': 'S',
  'PUT /api/security/policy': 'S',
  'GET /api/security/public-url': 'SA',
  'PUT /api/security/public-url': 'S',
  'GET /api/users': 'SAU',
  'GET /api/users/link-senders': 'SA',
  'POST /api/users/invitations': 'SA',
  'PATCH /api/users/:userId/role': 'SA',
  'POST /api/users/:userId/password-reset': 'SA',
  'POST /api/users/:userId/deactivate': 'SA',
  'GET /api/users/:userId/open-conversations': 'SA',
  'POST /api/users/:userId/reactivate': 'SA',
  'DELETE /api/users/:userId/two-factor': 'SA',
  'GET /api/users/:userId/sessions': 'SA',
  'DELETE /api/users/:userId/sessions': 'SA',
  'DELETE /api/users/:userId/sessions/:sessionId': 'SA',
  'GET /api/mailboxes': everyone,
  'GET /api/mailbox-presets': 'SA',
  'POST /api/mailboxes': 'SA',
  'POST /api/mailboxes/test': 'SA',
  'GET /api/mailboxes/:id': 'SA',
  'PATCH /api/mailboxes/:id': 'SA',
  'DELETE /api/mailboxes/:id': 'SA',
  'POST /api/mailboxes/:id/test': 'SA',
  'POST /api/mailboxes/:id/import': 'SA',
  'GET /api/mailboxes/:id/sync-progress': 'SAGU',
  'GET /api/conversations': 'SAGU',
  'GET /api/conversations/:id': 'SAGU',
  'GET /api/messages/:id/html': 'SAGU',
  'GET /api/messages/:id/raw': 'SAGU',
  'GET /api/attachments/:id': 'SAGU',
  'GET /api/live': everyone,
  'GET /api/conversations/:id/fraud': 'SAGU',
  'POST /api/conversations/:id/phone-confirmations': 'SAG',
  'POST /api/conversations/:id/fraud/clear': 'SAG',
  'GET /api/fraud/markers': everyone,
  // Trust marks (decision 0041): admins mark and revoke (step-up); the audit reader sees them.
  'GET /api/fraud/trusted-parties': 'SAU',
  'POST /api/fraud/trusted-parties': 'SA',
  'POST /api/fraud/trusted-parties/:id/revoke': 'SA',
  // Sending (decision 0008): reply access to the mailbox; a scheduled mail can be undone by its writer only.
  'GET /api/outbox/compose-context': 'SAGU',
  'POST /api/outbox': 'SAG',
  'GET /api/outbox/:id': 'SAGU',
  'POST /api/outbox/:id/cancel': 'G',
  'POST /api/outbox/:id/resolve': 'SAG',
  'GET /api/conversations/:id/outbox': 'SAGU',
  'POST /api/outbox/uploads': 'SAGO',
  'GET /api/outbox/preferences': everyone,
  'PUT /api/outbox/preferences': 'SAGO',
  'PUT /api/outbox/workspace-settings': 'SA',
  // Drafts are private to their writer (the probed draft is G's), admins included.
  'POST /api/drafts': 'SAG',
  'PUT /api/drafts/:id': 'G',
  'GET /api/drafts/:id': 'G',
  'DELETE /api/drafts/:id': 'G',
  'GET /api/mailboxes/:id/signature': 'SAG',
  'PUT /api/mailboxes/:id/signature': 'SA',
  'GET /api/mailboxes/:id/signature/preview': 'SAG',
  'GET /api/mailboxes/:id/signature/logo': 'SAG',
  'PUT /api/mailboxes/:id/signature/logo': 'SA',
  'DELETE /api/mailboxes/:id/signature/logo': 'SA',
  'GET /api/campaigns': 'SAU',
  'POST /api/campaigns': 'SA',
  'GET /api/campaigns/:id': 'SAU',
  'GET /api/campaigns/:id/links': 'SAU',
  'POST /api/campaigns/:id/pause': 'SA',
  'POST /api/campaigns/:id/resume': 'SA',
  'POST /api/campaigns/:id/cancel': 'SA',
  'POST /api/campaigns/preview': 'SA',
  'POST /api/campaigns/test-send': 'SA',
  'GET /api/campaign-lists': 'SAU',
  'POST /api/campaign-lists': 'SA',
  'POST /api/campaign-lists/import': 'SA',
  'POST /api/campaign-lists/segment-preview': 'SA',
  'GET /api/campaign-lists/:id/preview': 'SAU',
  'PATCH /api/campaign-lists/:id': 'SA',
  'DELETE /api/campaign-lists/:id': 'SA',
  'PUT /api/campaign-lists/:id/double-opt-in': 'SA',
  'GET /api/campaign-lists/:id/members': 'SAU',
  'POST /api/campaign-lists/:id/members': 'SA',
  'POST /api/campaign-lists/:id/opt-in/resend': 'SA',
  'GET /api/campaign-lists/:id/signup': 'SAU',
  'PUT /api/campaign-lists/:id/signup': 'SA',
  'GET /api/campaign-suppressions': 'SAU',
  'POST /api/campaign-suppressions': 'SA',
  'POST /api/campaign-suppressions/lift': 'SA',
  'PATCH /api/campaign-lists/:id/members/:address': 'SA',
  'DELETE /api/campaign-lists/:id/members/:address': 'SA',
  'GET /api/campaign-limits': 'SAU',
  'PUT /api/campaign-limits': 'SA',
  'GET /api/mailboxes/:id/auto-reply': 'SAG',
  'PUT /api/mailboxes/:id/auto-reply': 'SA',
  // Business hours and SLA policies (decision 0033): readers see them, admins who manage the mailbox change them.
  'GET /api/mailboxes/:id/operations-settings': 'SAGU',
  'PUT /api/mailboxes/:id/business-hours': 'SA',
  'PUT /api/mailboxes/:id/sla-policies': 'SA',
  'GET /api/holiday-calendars': everyone,
  // Everyone signed in; the figures cover only the mailboxes they may read.
  'GET /api/reports/operations': everyone,
  'GET /api/saved-replies': everyone,
  'POST /api/saved-replies': 'SA',
  'PUT /api/saved-replies/:id': 'SA',
  'DELETE /api/saved-replies/:id': 'SA',
  'POST /api/saved-replies/:id/render': 'SAG',
  // FAQ library (decision 0050): everyone reads it; people who write mail keep it; admins delete.
  // Suggestions, the faq-draft and inserting check mailbox access in the use case.
  'GET /api/faq': everyone,
  'GET /api/faq/folders': everyone,
  'POST /api/faq/folders': 'SAGO',
  'PUT /api/faq/folders/:id': 'SAGO',
  'DELETE /api/faq/folders/:id': 'SA',
  'GET /api/faq/answers/:id': everyone,
  'POST /api/faq/answers': 'SAGO',
  'PUT /api/faq/answers/:id': 'SAGO',
  'DELETE /api/faq/answers/:id': 'SA',
  'POST /api/faq/answers/:id/render': 'SAG',
  // A POST: the guard keeps auditors read-only (they do not write answers either).
  'POST /api/faq/preview': 'SAGO',
  'GET /api/conversations/:id/faq-suggestions': 'SAGU',
  'GET /api/messages/:id/faq-draft': 'SAG',
  'GET /api/faq/unanswered-questions': everyone,
  // Triage (decision 0011): reading needs read access, changing needs reply access.
  'GET /api/conversations/:id/triage': 'SAGU',
  'GET /api/conversations/:id/people': 'SAGU',
  'POST /api/conversations/:id/assign': 'SAG',
  'POST /api/conversations/:id/status': 'SAG',
  'POST /api/conversations/:id/tags': 'SAG',
  'POST /api/conversations/:id/priority': 'SAG',
  'POST /api/conversations/:id/follow': 'SAG',
  'POST /api/conversations/:id/merge': 'SAG',
  'POST /api/conversations/:id/notes': 'SAG',
  'GET /api/views': everyone,
  'GET /api/teams': everyone,
  'POST /api/teams': 'SA',
  'PATCH /api/teams/:teamId': 'SA',
  'DELETE /api/teams/:teamId': 'SA',
  // Mail groups and access (decision 0034): admins change access and routing; "away" is checked by the handler
  // (admin, the member, the lead); whom to ask is for everyone signed in.
  'PUT /api/teams/:teamId/away': 'SAGO',
  'GET /api/mailboxes/:id/access': 'SA',
  'PUT /api/mailboxes/:id/access/:userId': 'SA',
  'DELETE /api/mailboxes/:id/access/:userId': 'SA',
  'POST /api/mailboxes/:id/access/teams': 'SA',
  'DELETE /api/mailboxes/:id/access/teams/:teamId': 'SA',
  'PUT /api/mailboxes/:id/route': 'SA',
  'GET /api/mailbox-routes': 'SA',
  'GET /api/access/whom-to-ask': everyone,
  'GET /api/notifications': everyone,
  // Customers (decision 0048): the directory is everyone's; auditors only read; export/import and the pool rule are admins'.
  'GET /api/customers/contacts': everyone,
  'GET /api/customers/companies': everyone,
  'GET /api/customers/owners': everyone,
  'GET /api/customers/contacts/:contactId': everyone,
  'PATCH /api/customers/contacts/:contactId': 'SAGO',
  'GET /api/customers/contacts/:contactId/timeline': everyone,
  'POST /api/customers/contacts/:contactId/notes': 'SAGO',
  'GET /api/customers/companies/:companyId': everyone,
  'PATCH /api/customers/companies/:companyId': 'SAGO',
  'GET /api/customers/companies/:companyId/timeline': everyone,
  'POST /api/customers/companies/:companyId/notes': 'SAGO',
  'POST /api/customers/merge': 'SAGO',
  'GET /api/customers/pool-settings': everyone,
  'PUT /api/customers/pool-settings': 'SA',
  'GET /api/customers/export.csv': 'SA',
  'POST /api/customers/import/preview': 'SA',
  'POST /api/customers/import': 'SA',
  'POST /api/notifications/read': everyone,
  // Web Push: each person's own devices and choices (auditors too, decision 0037).
  'GET /api/push': everyone,
  'PUT /api/push/kinds': everyone,
  'POST /api/push/subscriptions': everyone,
  'POST /api/push/unsubscribe': everyone,
  'DELETE /api/push/devices/:id': everyone,
  'POST /api/push/test': everyone,
  // The audit trail (decision 0010): admins and the read-only auditor; reports are made by auditors too.
  'GET /api/audit': 'SAU',
  'GET /api/audit.csv': 'SAU',
  'GET /api/audit/verify': 'SAU',
  'GET /api/forwarding': 'SAU',
  'POST /api/forwarding/scan': 'SA',
  'PUT /api/forwarding/sieve/:mailboxId': 'SA',
  'POST /api/forwarding/sieve/:mailboxId/manual-check': 'SA',
  'POST /api/audit/reports': 'SAU',
  'GET /api/audit/reports': 'SAU',
  'GET /api/audit/reports/:id': 'SAU',
  'GET /api/audit/reports/:id/export': 'SAU',
  // Pier's forwarding rules: admins, with step-up (the sessions here are freshly stepped up).
  'POST /api/forwarding/rules': 'SA',
  'PUT /api/forwarding/rules/:id': 'SA',
  'DELETE /api/forwarding/rules/:id': 'SA',
  // Uncertain forwards: audit readers see them; admins decide (step-up).
  'GET /api/forwarding/uncertain': 'SAU',
  'POST /api/forwarding/uncertain/resolve': 'SA',
  'GET /api/mailboxes/:id/fraud-settings': 'SAGU',
  'PUT /api/mailboxes/:id/fraud-settings': 'SA',
  'GET /api/conversations/:id/approvals': 'SAGU',
  'POST /api/outbox/:id/approval': 'SAG',
  'GET /api/conversations/:id/contacts': 'SAGU',
  'PUT /api/contacts/:id/phone': 'SAG',
  // Rules (decision 0032): admins every rule; agents reach the routes but only their managed mailboxes' rules
  // (G has reply access, O none: both are refused in the handler or by the preview's mailbox check).
  'GET /api/rules': 'SAGO',
  'POST /api/rules': 'SA',
  'PUT /api/rules/:id': 'SA',
  'PUT /api/rules/:id/enabled': 'SA',
  'DELETE /api/rules/:id': 'SA',
  'POST /api/rules/reorder': 'SA',
  'POST /api/rules/preview': 'SA',
  // The open API (decision 0049): the document and its page describe routes, not data; everyone
  // manages their own tokens (admins see and revoke all; the handler answers 404 for another's).
  'GET /api/openapi.json': 'public',
  'GET /api/docs': 'public',
  'GET /api/docs.css': 'public',
  'GET /api/tokens': everyone,
  'POST /api/tokens': everyone,
  'DELETE /api/tokens/:id': everyone,
  // Webhooks: admins, with a session (creating one, changing its URL and showing its secret need step-up).
  'GET /api/webhooks': 'SA',
  'POST /api/webhooks': 'SA',
  'PUT /api/webhooks/:id': 'SA',
  'DELETE /api/webhooks/:id': 'SA',
  'GET /api/webhooks/:id/secret': 'SA',
  'GET /api/webhooks/:id/deliveries': 'SA',
  'POST /api/webhooks/:id/deliveries/:deliveryId/redeliver': 'SA',
};

/**
 * API tokens (decision 0049), stated here independently of the guard: routes no token may use, and
 * what each scope adds. A token is allowed where its user is allowed and this table allows it.
 */
const neverWithToken = [
  /^\/api\/auth\//,
  /^\/api\/me\/(two-factor|passkeys|sessions|logins)/,
  /^\/api\/tokens/,
  /^\/api\/webhooks/,
  /^\/api\/users\/:userId\/sessions/,
  /^\/api\/live$/,
];
const neverUnsafeWithToken = [/^\/api\/users/, /^\/api\/security\//];
type Scope = 'read' | 'write' | 'admin';
function tokenMay(scope: Scope, method: string, url: string, expected: string, stepUp: boolean): boolean {
  const unsafe = method !== 'GET';
  if (neverWithToken.some((r) => r.test(url)) || (unsafe && neverUnsafeWithToken.some((r) => r.test(url))) || stepUp) return false;
  if (!unsafe) return true;
  if (scope === 'read') return false;
  // Administration: a change only admins (or auditors, who may not change anything) are listed for.
  return scope === 'admin' || /[GO]/.test(expected);
}

const roles: Record<Who, Role> = { S: 'super_admin', A: 'admin', G: 'agent', U: 'auditor', O: 'agent' };
const tokenDeniedCodes = new Set(['auth.token_scope', 'auth.token_not_allowed']);
const deniedCodes = new Set([
  'auth.required',
  'auth.forbidden',
  'mailbox.not_found',
  'conversation.not_found',
  'message.not_found',
  'attachment.not_found',
  'outbox.not_found',
  'contact.not_found',
  'rule.not_found',
  'rule.forbidden',
]);

/**
 * How to probe one route, when the defaults do not reach the check that matters. Each part may
 * depend on who probes and is made fresh for every probe (a DELETE or a merge really happens):
 * - `params`: values for the path parameters (default: by parameter name and path, see `defaultParam`);
 * - `query`: appended to the URL;
 * - `body`: for routes that check access in the handler after validating the body, a body that
 *   passes validation, so the probe reaches the check.
 */
type ProbeSetup = {
  params?: (who: Who | 'visitor') => Promise<Record<string, string>>;
  query?: () => string;
  body?: (who: Who | 'visitor') => unknown;
};

describe('authorisation matrix: every API route × every role (PostgreSQL)', () => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  const users = {} as Record<Who | 'target', string>;
  const ids: Record<string, string> = {};

  /** A request made as a user, for building fixtures through the API itself; fails loudly. */
  async function as(who: Who, method: string, url: string, body?: unknown): Promise<Record<string, string>> {
    const response = await pier.http.inject({
      method: method as 'POST',
      url,
      headers: { cookie: `${CSRF_COOKIE}=matrix; ${SESSION_COOKIE}=${(await sessionFor(users[who])).token}`, [CSRF_HEADER]: 'matrix' },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    if (response.statusCode >= 300) throw new Error(`fixture ${who} ${method} ${url}: ${response.statusCode} ${response.body}`);
    return response.json();
  }
  /** A new conversation in the probed mailbox, stored by the real ingest. */
  async function newConversation(subject: string): Promise<string> {
    const { db, blobs, engine } = pier.workspace;
    const raw = [
      `Message-ID: <${Math.random().toString(36).slice(2)}@customer.test>`,
      'From: Buyer <buyer@customer.test>',
      'To: sales@acme.test',
      `Subject: ${subject}`,
      `Date: ${new Date().toUTCString()}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Please quote.',
      '',
    ].join('\r\n');
    const stored = await ingestMail(
      {
        db,
        blobs,
        ctx: {
          engine,
          ownAddresses: await loadOwnAddresses(db),
          messageIds: pier.workspace.messageIds,
          recordReopened: pier.workspace.recordReopened,
          teamActivity: pier.workspace.teamActivity,
        },
      },
      { raw: Buffer.from(raw), mailboxIds: [ids.mailbox ?? ''], source: 'import' },
    );
    return stored.conversationId;
  }
  const sendBody = () => ({ mailboxId: ids.mailbox, mode: 'new', to: ['buyer@customer.test'], subject: 'Probe', html: '<p>Probe</p>' });
  const ruleBody = () => ({ mailboxId: ids.mailbox, name: 'Probe', target: 'sales@acme.test' });
  const pierRuleBody = () => ({ name: 'Probe rule', mailboxId: ids.mailbox, trigger: 'message', actions: [{ type: 'tag', tag: 'probe' }] });
  const draftBody = () => ({ conversationId: ids.conversation, mode: 'reply', html: '<p>draft</p>' });
  const fresh = {
    draftOfG: async () => ({ id: (await as('G', 'POST', '/api/drafts', { mode: 'new', html: '<p>mine</p>' })).id ?? '' }),
    forwardingRule: async () => ({ id: (await as('S', 'POST', '/api/forwarding/rules', ruleBody())).id ?? '' }),
    pierRule: async () => ({ id: (await as('S', 'POST', '/api/rules', pierRuleBody())).id ?? '' }),
    savedReply: async () => ({ id: (await as('S', 'POST', '/api/saved-replies', { name: 'Probe', bodyHtml: '<p>Hi</p>' })).id ?? '' }),
    faqFolder: async () => ({ id: (await as('S', 'POST', '/api/faq/folders', { name: 'Probe' })).id ?? '' }),
    faqAnswer: async () => ({
      id:
        (
          await as('S', 'POST', '/api/faq/answers', {
            folderId: null,
            title: 'Probe',
            versions: [{ language: 'en', bodyHtml: '<p>Hi</p>' }],
          })
        ).id ?? '',
    }),
    team: async () => ({
      teamId: (await as('S', 'POST', '/api/teams', { name: `Probe ${Math.random().toString(36).slice(2)}` })).id ?? '',
    }),
  };

  const probeSetups: Record<string, ProbeSetup> = {
    'POST /api/conversations/:id/phone-confirmations': { body: () => ({ contactId: 'no-such-contact', outcome: 'confirmed' }) },
    'GET /api/outbox/compose-context': { query: () => `?conversationId=${ids.conversation}` },
    'GET /api/fraud/markers': { query: () => `?ids=${ids.conversation}` },
    'POST /api/conversations/:id/fraud/clear': { body: () => ({ messageId: 'no-such-message', reason: 'probe' }) },
    'POST /api/outbox': { body: sendBody },
    // Undo needs a mail still in its undo window, written by G (30 s): one per probe.
    'POST /api/outbox/:id/cancel': { params: async () => ({ id: (await as('G', 'POST', '/api/outbox', sendBody())).id ?? '' }) },
    'POST /api/outbox/:id/resolve': { body: () => ({ action: 'mark_sent' }) },
    'POST /api/drafts': { body: draftBody },
    'PUT /api/drafts/:id': { params: fresh.draftOfG, body: draftBody },
    'GET /api/drafts/:id': { params: fresh.draftOfG },
    'DELETE /api/drafts/:id': { params: fresh.draftOfG },
    'PUT /api/saved-replies/:id': { params: fresh.savedReply },
    'DELETE /api/saved-replies/:id': { params: fresh.savedReply },
    'POST /api/saved-replies/:id/render': { params: fresh.savedReply, body: () => ({ mailboxId: ids.mailbox }) },
    'PUT /api/faq/folders/:id': { params: fresh.faqFolder, body: () => ({ name: 'Renamed' }) },
    'DELETE /api/faq/folders/:id': { params: fresh.faqFolder },
    'GET /api/faq/answers/:id': { params: fresh.faqAnswer },
    'PUT /api/faq/answers/:id': { params: fresh.faqAnswer },
    'DELETE /api/faq/answers/:id': { params: fresh.faqAnswer },
    // Inserting into a reply from the matrix mailbox: reply access to it.
    'POST /api/faq/answers/:id/render': { params: fresh.faqAnswer, body: () => ({ mailboxId: ids.mailbox, insert: true }) },
    'POST /api/conversations/:id/assign': { body: () => ({}) },
    'POST /api/conversations/:id/status': { body: () => ({ status: 'open' }) },
    'POST /api/conversations/:id/priority': { body: () => ({ priority: 'high' }) },
    'POST /api/conversations/:id/follow': { body: () => ({ following: true }) },
    'POST /api/conversations/:id/notes': { body: () => ({ body: 'probe note' }) },
    // The probed conversation is merged into the shared one: a new one for every probe.
    'POST /api/conversations/:id/merge': {
      params: async () => ({ id: await newConversation('Merge me') }),
      body: () => ({ intoId: ids.conversation }),
    },
    'GET /api/audit/reports/:id/export': { query: () => '?format=csv' },
    'POST /api/forwarding/rules': { body: ruleBody },
    'PUT /api/forwarding/rules/:id': { params: fresh.forwardingRule, body: ruleBody },
    'DELETE /api/forwarding/rules/:id': { params: fresh.forwardingRule },
    'POST /api/forwarding/uncertain/resolve': {
      body: () => ({ ruleId: 'no-such-rule', messageId: 'no-such-message', action: 'mark_sent' }),
    },
    // A mail waiting for a second approver, written by someone else than every prober.
    'POST /api/outbox/:id/approval': { params: async () => ({ id: ids.approvalOutbox ?? '' }), body: () => ({ decision: 'reject' }) },
    'PUT /api/contacts/:id/phone': { body: () => ({ phone: null }) },
    'PATCH /api/teams/:teamId': { params: fresh.team, body: () => ({ name: `Renamed ${Math.random().toString(36).slice(2)}` }) },
    'DELETE /api/teams/:teamId': { params: fresh.team },
    'POST /api/rules': { body: pierRuleBody },
    'PUT /api/rules/:id': { params: fresh.pierRule, body: pierRuleBody },
    'PUT /api/rules/:id/enabled': { params: fresh.pierRule, body: () => ({ enabled: false }) },
    'DELETE /api/rules/:id': { params: fresh.pierRule },
    'POST /api/rules/reorder': { body: () => ({ ids: [ids.rule] }) },
    'POST /api/rules/preview': { body: () => ({ mailboxId: ids.mailbox, rule: pierRuleBody() }) },
    'DELETE /api/mailboxes/:id/access/teams/:teamId': { params: async () => ({ id: ids.mailbox ?? '', ...(await fresh.team()) }) },
  };

  /** The value of a path parameter when the route's setup names none. */
  async function defaultParam(method: string, url: string, name: string): Promise<string | undefined> {
    if (name === 'userId') return users.target;
    if (name === 'sessionId') return (await sessionFor(users.target)).id;
    if (name === 'passkeyId') return 'no-such-passkey';
    if (url.startsWith('/api/tokens/')) return 'no-such-token';
    if (url.startsWith('/api/webhooks/')) return name === 'deliveryId' ? 'no-such-delivery' : 'no-such-webhook';
    if (name === 'teamId') return 'no-such-team';
    if (name === 'mailboxId') return ids.mailbox;
    if (name === 'contactId') return ids.contact;
    if (name === 'companyId') return 'no-such-company';
    if (name === 'address') return 'nobody@acme.test';
    if (name !== 'id') return undefined;
    const prefix = url.split('/:id')[0] ?? '';
    if (method === 'DELETE' && url === '/api/mailboxes/:id') {
      // Deleting is real: each DELETE gets a mailbox of its own.
      const address = `gone-${Math.random().toString(36).slice(2)}@acme.test`;
      return (await createMailbox(pier.workspace.db, { address, displayName: 'x', purpose: 'sales' })).id;
    }
    const byPrefix: Record<string, string | undefined> = {
      '/api/mailboxes': ids.mailbox,
      '/api/conversations': ids.conversation,
      '/api/messages': ids.message,
      '/api/attachments': ids.attachment,
      '/api/outbox': ids.outbox,
      '/api/audit/reports': ids.report,
      '/api/contacts': ids.contact,
      '/api/push/devices': 'no-such-device',
      '/api/fraud/trusted-parties': 'no-such-mark',
      '/api/campaigns': 'no-such-campaign',
      '/api/campaign-lists': 'no-such-list',
    };
    return byPrefix[prefix];
  }

  const tokens = new Map<string, string>();
  async function tokenOf(who: Who, scope: Scope): Promise<string> {
    const key = `${who}:${scope}`;
    if (!tokens.has(key)) {
      tokens.set(
        key,
        (await createApiToken(pier.workspace.db, { actorId: null, via: 'cli' }, { userId: users[who], name: key, scope })).token,
      );
    }
    return tokens.get(key) ?? '';
  }
  /** A probe with an API token only (no cookie, no CSRF header); a refusal must say nothing of the mail. */
  async function probeWithToken(method: string, url: string, who: Who, scope: Scope): Promise<'allowed' | 'denied' | string> {
    const body = probeSetups[`${method} ${url}`]?.body;
    const response = await pier.http.inject({
      method: method as 'GET',
      url: await urlFor(method, url, who),
      headers: { authorization: `Bearer ${await tokenOf(who, scope)}` },
      ...(['POST', 'PUT', 'PATCH'].includes(method) ? { payload: (body ? body(who) : {}) as object } : {}),
    });
    let code = '';
    try {
      code = (response.json() as { error?: { code?: string } }).error?.code ?? '';
    } catch {
      // not JSON
    }
    const denied =
      response.statusCode === 401 || ([403, 404].includes(response.statusCode) && (deniedCodes.has(code) || tokenDeniedCodes.has(code)));
    if (denied && /RFQ with drawing|Please quote|drawing\.pdf/.test(response.body)) return `leaks the mail: ${response.body.slice(0, 200)}`;
    if (!denied && response.statusCode === 403 && code.startsWith('auth.')) return `unexpected ${code}`;
    return denied ? 'denied' : 'allowed';
  }

  async function urlFor(method: string, url: string, who: Who | 'visitor'): Promise<string> {
    const setup = probeSetups[`${method} ${url}`];
    const given = (await setup?.params?.(who)) ?? {};
    let path = url;
    for (const [, name] of url.matchAll(/:(\w+)/g)) {
      const value = given[name ?? ''] ?? (await defaultParam(method, url, name ?? ''));
      if (value === undefined)
        throw new Error(`no test value for :${name} of ${method} ${url}: teach probeSetups or defaultParam about it`);
      path = path.replace(`:${name}`, encodeURIComponent(value));
    }
    if (path === '/api/conversations') path += `?mailboxId=${ids.mailbox}`;
    return path + (setup?.query?.() ?? '');
  }

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    pier = await startTestPier(database, { PIER_LOGIN_RATE_LIMIT: '10000' });
    const { db } = pier.workspace;
    const password = TEST_PASSWORD;
    for (const who of ['S', 'A', 'G', 'U', 'O'] as const) {
      users[who] = (await createAccount(db, { email: `${who.toLowerCase()}@acme.test`, name: who, password, role: roles[who] })).id;
    }
    users.target = (await createAccount(db, { email: 'target@acme.test', name: 'Target', password, role: 'agent' })).id;
    ids.mailbox = (await createMailbox(db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' })).id;
    // Sending needs SMTP settings; a closed loopback port: nothing leaves, a queued mail just fails.
    await db
      .updateTable('mailboxes')
      .set({ smtp_host: '127.0.0.1', smtp_port: 1, smtp_tls: 'none' })
      .where('id', '=', ids.mailbox)
      .execute();
    await grantMailboxAccess(db, users.G, ids.mailbox, 'reply');
    await grantMailboxAccess(db, users.U, ids.mailbox, 'manage');
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort ?? 0, secure: false, ignoreTLS: true });
    await smtp.sendMail({
      from: 'buyer@customer.test',
      to: 'sales@acme.test',
      subject: 'RFQ with drawing',
      html: '<p>Please quote.</p>',
      attachments: [{ filename: 'drawing.pdf', content: Buffer.from('%PDF-1.4 test') }],
    });
    smtp.close();
    ids.conversation = (await db.selectFrom('conversations').select('id').executeTakeFirstOrThrow()).id;
    ids.message = (await db.selectFrom('messages').select('id').executeTakeFirstOrThrow()).id;
    ids.attachment = (await db.selectFrom('attachments').select('id').executeTakeFirstOrThrow()).id;
    await as('G', 'PUT', '/api/outbox/preferences', { undoSeconds: 30, title: '' });
    ids.outbox = (await as('G', 'POST', '/api/outbox', sendBody())).id ?? '';
    ids.report = (await as('S', 'POST', '/api/audit/reports', {})).id ?? '';
    ids.rule = (await as('S', 'POST', '/api/rules', pierRuleBody())).id ?? '';
    ids.contact = (await db.selectFrom('contacts').select('id').where('address', '=', 'buyer@customer.test').executeTakeFirstOrThrow()).id;
    // A mail waiting for a second approver, written by someone else than every prober.
    ids.approvalOutbox = 'matrix-outbox';
    await db
      .insertInto('outbox_messages')
      .values({
        id: ids.approvalOutbox,
        message_id: ids.message,
        message_id_header: '<matrix@acme.test>',
        conversation_id: ids.conversation,
        mailbox_id: ids.mailbox,
        created_by: users.target,
        state: 'awaiting_approval',
        send_after: Date.now(),
        attempts: 0,
        error_code: null,
        error_detail: null,
        envelope: '{}',
        smtp_response: null,
        rejected: '[]',
        sent_at: null,
        sent_copy: 'skipped',
        sent_copy_detail: null,
        bounced_at: null,
        bounce_detail: null,
        draft_json: '{}',
        approval_reasons: '["payment_details"]',
        created_at: Date.now(),
        updated_at: Date.now(),
      })
      .execute();
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  async function sessionFor(userId: string): Promise<{ token: string; id: string }> {
    const opened = await startSession(
      pier.workspace.db,
      userId,
      { ip: '127.0.0.1', userAgent: 'matrix' },
      { secondFactor: 'done', timeouts: defaultSessionTimeouts },
    );
    return { token: opened.token, id: opened.sessionId };
  }

  async function probe(method: string, url: string, who: Who | 'visitor'): Promise<'allowed' | 'denied'> {
    const cookie = [`${CSRF_COOKIE}=matrix`];
    if (who !== 'visitor') cookie.push(`${SESSION_COOKIE}=${(await sessionFor(users[who])).token}`);
    const body = probeSetups[`${method} ${url}`]?.body;
    const response = await pier.http.inject({
      method: method as 'GET',
      url: await urlFor(method, url, who),
      headers: { cookie: cookie.join('; '), [CSRF_HEADER]: 'matrix' },
      ...(['POST', 'PUT', 'PATCH'].includes(method) ? { payload: (body ? body(who) : {}) as object } : {}),
    });
    let code = '';
    try {
      code = (response.json() as { error?: { code?: string } }).error?.code ?? '';
    } catch {
      // not JSON (raw message source, attachment bytes)
    }
    if (response.statusCode === 401 || ([403, 404].includes(response.statusCode) && deniedCodes.has(code))) return 'denied';
    if (response.statusCode === 403 && code.startsWith('auth.')) {
      throw new Error(`${who} ${method} ${url}: unexpected ${code} (sessions here are complete and freshly stepped up)`);
    }
    return 'allowed';
  }

  it('has an expectation for every registered route, and no stale ones', () => {
    const registered = apiRoutesOf(pier.http).map((r) => `${r.method} ${r.url}`);
    expect(
      registered.filter((key) => !(key in expectations)),
      'routes without an expectation: add them to the table',
    ).toEqual([]);
    expect(
      [...Object.keys(expectations), ...Object.keys(probeSetups)].filter((key) => !registered.includes(key)),
      'expectations or probe setups for routes that no longer exist',
    ).toEqual([]);
  });

  it('lets exactly the expected roles through on every route', async () => {
    const mismatches: string[] = [];
    for (const route of apiRoutesOf(pier.http)) {
      const key = `${route.method} ${route.url}`;
      const expected = expectations[key];
      if (expected === undefined) continue;
      expect(route.access === 'public', `${key}: the table and the route disagree about being public`).toBe(expected === 'public');
      for (const who of ['visitor', 'S', 'A', 'G', 'U', 'O'] as const) {
        const shouldPass = expected === 'public' || (who !== 'visitor' && expected.includes(who));
        const outcome = await probe(route.method, route.url, who);
        if (outcome !== (shouldPass ? 'allowed' : 'denied'))
          mismatches.push(`${who} ${key}: ${outcome}, expected ${shouldPass ? 'allowed' : 'denied'}`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 600_000);
  it('lets API tokens through exactly where their user and their scope allow, with no leak in a refusal', async () => {
    const mismatches: string[] = [];
    for (const route of apiRoutesOf(pier.http)) {
      const key = `${route.method} ${route.url}`;
      const expected = expectations[key];
      if (expected === undefined || expected === 'public') continue;
      const stepUp = route.access !== 'public' && route.access.stepUp === true;
      for (const who of ['S', 'G', 'U'] as const) {
        for (const scope of ['read', 'write', 'admin'] as const) {
          const shouldPass = expected.includes(who) && tokenMay(scope, route.method, route.url, expected, stepUp);
          const outcome = await probeWithToken(route.method, route.url, who, scope);
          if (outcome !== (shouldPass ? 'allowed' : 'denied'))
            mismatches.push(`${who}/${scope} ${key}: ${outcome}, expected ${shouldPass ? 'allowed' : 'denied'}`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  }, 900_000);

  /**
   * Per-mailbox reach at the data level (issue 12, decision 0027): conversations in sales@ only,
   * in accounting@ only and in both, probed on every conversation, message and attachment read
   * route by a sales@ agent (G), a read-only sales@ agent, an accounting@ agent and O; then mail
   * that arrives later, aimed at the accounting@ thread through sales@, and the live frames.
   */
  describe('conversations across two mailboxes', () => {
    const span: Record<string, { conversation: string; message: string; attachment: string; secret: string; mailboxes: string[] }> = {};
    const extra: Record<'R' | 'C', string> = { R: '', C: '' };
    let accounting = '';
    const readerOf = (who: string) => (who === 'R' || who === 'C' ? extra[who] : users[who as Who]);
    async function read(who: string, url: string, method: 'GET' | 'POST' = 'GET', payload?: object) {
      const response = await pier.http.inject({
        method,
        url,
        headers: { cookie: `${CSRF_COOKIE}=matrix; ${SESSION_COOKIE}=${(await sessionFor(readerOf(who))).token}`, [CSRF_HEADER]: 'matrix' },
        ...(payload ? { payload } : {}),
      });
      return { status: response.statusCode, body: response.body };
    }
    async function store(name: string, mailboxIds: string[], headers: string[] = []) {
      const secret = `${name.toUpperCase()}-SECRET-${Math.random().toString(36).slice(2)}`;
      const raw = [
        `Message-ID: <${name}-${secret}@customer.test>`,
        'From: payer@customer.test',
        'To: accounting@acme.test',
        `Subject: ${name}`,
        ...headers,
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain; charset=utf-8',
        '',
        secret,
        '--b',
        'Content-Type: application/pdf; name="doc.pdf"',
        'Content-Disposition: attachment; filename="doc.pdf"',
        '',
        secret,
        '--b--',
        '',
      ].join('\r\n');
      const { db, blobs, engine, messageIds, recordReopened, teamActivity } = pier.workspace;
      const stored = await ingestMail(
        { db, blobs, ctx: { engine, ownAddresses: await loadOwnAddresses(db), messageIds, recordReopened, teamActivity } },
        { raw: Buffer.from(raw), mailboxIds, source: 'smtp' },
      );
      pier.workspace.live.messagesStored([stored]);
      const attachment = await db
        .selectFrom('attachments')
        .select('id')
        .where('message_id', '=', stored.messageId)
        .executeTakeFirstOrThrow();
      return { conversation: stored.conversationId, message: stored.messageId, attachment: attachment.id, secret, mailboxes: mailboxIds };
    }
    /** Every read route on every conversation for every user: allowed iff the user reads one of its mailboxes; a refusal shows nothing. */
    async function probeReads(): Promise<string[]> {
      const reads = apiRoutesOf(pier.http).filter(
        (r) => r.method === 'GET' && /^\/api\/(conversations|messages|attachments)\/:id/.test(r.url),
      );
      const reach: Record<string, string[]> = { G: [ids.mailbox ?? ''], R: [ids.mailbox ?? ''], C: [accounting], O: [] };
      const mismatches: string[] = [];
      for (const [name, c] of Object.entries(span)) {
        for (const who of Object.keys(reach)) {
          const allowed = c.mailboxes.some((m) => reach[who]?.includes(m));
          for (const route of reads) {
            const target = route.url.startsWith('/api/messages')
              ? c.message
              : route.url.startsWith('/api/attachments')
                ? c.attachment
                : c.conversation;
            const response = await read(who, route.url.replace(':id', target));
            let code = '';
            try {
              code = (JSON.parse(response.body) as { error?: { code?: string } }).error?.code ?? '';
            } catch {
              // not JSON (raw source, attachment bytes)
            }
            const denied = [403, 404].includes(response.status) && deniedCodes.has(code);
            if (denied === allowed) mismatches.push(`${who} ${route.url} on ${name}: ${response.status}`);
            if (!allowed && response.body.includes(c.secret)) mismatches.push(`${who} ${route.url} on ${name}: body leaks the mail`);
          }
          const list = await read(who, `/api/conversations?q=${c.secret}`);
          if (!allowed && (list.body.includes(c.conversation) || list.body.includes(c.secret)))
            mismatches.push(`${who} search finds ${name}`);
        }
      }
      return mismatches;
    }

    beforeAll(async () => {
      const { db } = pier.workspace;
      accounting = (await createMailbox(db, { address: 'accounting@acme.test', displayName: 'Accounting', purpose: 'sales' })).id;
      const password = 'a long enough password';
      extra.R = (await createAccount(db, { email: 'reader@acme.test', name: 'R', password, role: 'agent' })).id;
      extra.C = (await createAccount(db, { email: 'accountant@acme.test', name: 'C', password, role: 'agent' })).id;
      await grantMailboxAccess(db, extra.R, ids.mailbox ?? '', 'read');
      await grantMailboxAccess(db, extra.C, accounting, 'reply');
      span.salesOnly = await store('salesonly', [ids.mailbox ?? '']);
      span.accountingOnly = await store('accountingonly', [accounting]);
      span.both = await store('both', [ids.mailbox ?? '', accounting]);
    });

    it('lets exactly the readers of one of a conversation’s mailboxes read it, through every read route and search', async () => {
      expect(await probeReads()).toEqual([]);
      // Read-only: the sales@ reader may not write a note.
      const note = await read('R', `/api/conversations/${span.salesOnly?.conversation}/notes`, 'POST', { body: 'reader note' });
      expect(note.status).toBe(403);
    }, 300_000);

    it('keeps it so after mail that arrives later through sales@ names the accounting@ thread, and pushes no frame of it to sales@', async () => {
      const sockets = await Promise.all(
        (['G', 'R', 'C'] as const).map(async (who) => {
          const client = pier.api();
          client.cookies.set(SESSION_COOKIE, (await sessionFor(readerOf(who))).token);
          return openLiveSocket(pier.url, client);
        }),
      );
      const [g, r, c] = sockets;
      const accountingThread = span.accountingOnly?.conversation ?? '';
      const message = await pier.workspace.db
        .selectFrom('messages')
        .select('message_id_header')
        .where('id', '=', span.accountingOnly?.message ?? '')
        .executeTakeFirstOrThrow();
      // The customer writes to accounting@ again (a frame for the thread), then a mail to sales@ names the thread.
      const genuine = await store('followup', [accounting], [`In-Reply-To: ${message.message_id_header}`]);
      expect(genuine.conversation).toBe(accountingThread);
      const attack = await store('attack', [ids.mailbox ?? ''], [`In-Reply-To: ${message.message_id_header}`]);
      expect(attack.conversation).not.toBe(accountingThread);
      span.attack = attack;
      const about = (id: string) => (m: LiveServerMessage) => 'conversationId' in m && m.conversationId === id;
      await c?.waitFor(about(accountingThread));
      for (const socket of [g, r]) {
        await socket?.waitFor(about(attack.conversation));
        expect(socket?.messages.filter(about(accountingThread))).toEqual([]);
      }
      expect(await probeReads()).toEqual([]);
      for (const socket of sockets) await socket.close();
    }, 300_000);
  });
});
