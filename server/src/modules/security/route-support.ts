import { SESSION_COOKIE, type SessionInfo } from '@pier/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { toUserDto } from '../workspace/index.js';
import { type MailboxScope, mailboxScopeFor } from './access-policy.js';
import type { ClientInfo } from './login-records.js';
import { type RelyingParty, relyingPartyFor } from './passkeys.js';
import { prepareDummyHash } from './passwords.js';
import { resolvePublicUrl } from './public-url.js';
import type { SecretBox } from './secret-box.js';
import type { SecurityMailer } from './security-mail.js';
import { loadMailboxGrants } from './session-queries.js';
import type { AuthContext, SessionTimeouts } from './sessions.js';
import type { OpenedSession, SignInContext } from './sign-in.js';
import type { ConversationHandover } from './user-lifecycle.js';

/** What the security routes are given by http.ts, and what their files share. */
export type SecurityRoutesOptions = {
  db: Kysely<Database>;
  secrets: SecretBox;
  mailer: SecurityMailer;
  sessionTimeouts: SessionTimeouts;
  secureCookies: boolean;
  loginRateLimitPerMinute: number;
  /** PIER_PUBLIC_URL: base of mailed links and the passkey origin; when unset, the workspace setting. */
  publicUrl: string | undefined;
  /** Supplied by the mailboxes module (which depends on security, not the other way round). */
  listMailboxesInScope: (scope: MailboxScope) => Promise<SessionInfo['mailboxes']>;
  /** Supplied by triage: a deactivated user's open conversations, counted and handed over. */
  conversationHandover: ConversationHandover;
};

export type SecurityRouteKit = SecurityRoutesOptions & {
  ctx: SignInContext;
  /** Sign-in, its second step, setup, step-up and link use share a per-IP budget: guessing is slow however it is tried. */
  rateLimit: { max: number; timeWindow: number };
  setSessionCookie: (reply: FastifyReply, opened: OpenedSession) => void;
  sessionInfo: (auth: Pick<AuthContext, 'user' | 'secondFactor'>) => Promise<SessionInfo>;
  /** The passkey relying party for a request, worked out only when a ceremony needs it. */
  relyingPartyOf: (request: FastifyRequest) => Promise<() => RelyingParty>;
};

export const admins = ['super_admin', 'admin'] as const;

export function clientOf(request: FastifyRequest): ClientInfo {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
}

export function securityRouteKit(options: SecurityRoutesOptions): SecurityRouteKit {
  const { db } = options;
  void prepareDummyHash();
  return {
    ...options,
    ctx: { db, secrets: options.secrets, mailer: options.mailer, timeouts: options.sessionTimeouts },
    rateLimit: { max: options.loginRateLimitPerMinute, timeWindow: 60_000 },
    setSessionCookie(reply, opened) {
      reply.setCookie(SESSION_COOKIE, opened.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: options.secureCookies,
        maxAge: Math.floor(options.sessionTimeouts.absoluteMs / 1000),
      });
    },
    async sessionInfo({ user, secondFactor }) {
      if (secondFactor !== 'done') return { user: toUserDto(user), mailboxes: [], secondFactor };
      const grants = await loadMailboxGrants(db, user.id);
      const scope = mailboxScopeFor(user.role, new Map(grants.map((g) => [g.mailbox_id, g.access])));
      return { user: toUserDto(user), mailboxes: await options.listMailboxesInScope(scope), secondFactor };
    },
    async relyingPartyOf(request) {
      const publicUrl = await resolvePublicUrl(db, options.publicUrl);
      return () => relyingPartyFor(request, publicUrl);
    },
  };
}
