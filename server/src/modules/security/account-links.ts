import type { AccountLink, InviteRequest } from '@pier/contracts';
import type { Kysely } from 'kysely';
import type { Database, UserRow } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import type { AuditActor } from '../audit/index.js';
import { findUserByEmail, findUserById } from '../workspace/index.js';
import { resolvePublicUrl, tokenLink } from './public-url.js';
import { invitationMail, passwordResetMail, type SecurityMailer } from './security-mail.js';
import { INVITE_TTL_MS, inviteUser, issueAccountToken, RESET_TTL_MS } from './user-lifecycle.js';

/**
 * Invitation and reset links. A link is mailed only when it points to the configured public
 * address (PIER_PUBLIC_URL or the workspace setting). Without one, an admin still gets it to
 * copy, built from the address their own browser uses (`requestOrigin`, same-origin by the CSRF
 * check), and a self-service reset sends nothing.
 */
export type AccountLinkContext = {
  db: Kysely<Database>;
  mailer: SecurityMailer;
  /** PIER_PUBLIC_URL; the workspace setting is read when it is unset. */
  publicUrl: string | undefined;
};

async function linkBase(ctx: AccountLinkContext, requestOrigin: string) {
  const publicUrl = await resolvePublicUrl(ctx.db, ctx.publicUrl);
  const notEmailedBecause = !publicUrl ? ('no_public_url' as const) : !ctx.mailer.enabled ? ('no_system_mailbox' as const) : null;
  return { base: publicUrl ?? requestOrigin, notEmailedBecause };
}

export async function inviteWithLink(
  ctx: AccountLinkContext,
  inviter: UserRow,
  input: InviteRequest,
  actor: AuditActor,
  requestOrigin: string,
): Promise<AccountLink> {
  if (input.role === 'super_admin' && inviter.role !== 'super_admin') {
    throw new AppError('auth.forbidden', 403, 'only a super admin can invite a super admin');
  }
  const user = await inviteUser(ctx.db, input, actor);
  const { token, expiresAt } = await issueAccountToken(ctx.db, {
    userId: user.id,
    purpose: 'invite',
    createdBy: inviter.id,
    ttlMs: INVITE_TTL_MS,
  });
  const { base, notEmailedBecause } = await linkBase(ctx, requestOrigin);
  const link = tokenLink(base, '/invitation', token);
  if (notEmailedBecause === null) await ctx.mailer.queue(ctx.db, invitationMail(user.email, inviter.name, link));
  return { link, expiresAt, emailed: notEmailedBecause === null, notEmailedBecause };
}

export async function resetLinkByAdmin(
  ctx: AccountLinkContext,
  admin: UserRow,
  targetId: string,
  actor: AuditActor,
  requestOrigin: string,
): Promise<AccountLink> {
  const user = await findUserById(ctx.db, targetId);
  if (!user || user.status === 'disabled') throw new AppError('user.not_found', 404, 'no active user with this id');
  if (user.role === 'super_admin' && admin.role !== 'super_admin') {
    throw new AppError('auth.forbidden', 403, 'only a super admin can reset a super admin');
  }
  const { token, expiresAt } = await issueAccountToken(
    ctx.db,
    { userId: user.id, purpose: 'reset', createdBy: admin.id, ttlMs: RESET_TTL_MS },
    actor,
  );
  const { base, notEmailedBecause } = await linkBase(ctx, requestOrigin);
  const link = tokenLink(base, '/reset-password', token);
  if (notEmailedBecause === null) await ctx.mailer.queue(ctx.db, passwordResetMail(user.email, 'admin', link));
  return { link, expiresAt, emailed: notEmailedBecause === null, notEmailedBecause };
}

/**
 * "Forgot password": a link is mailed to the account's own address, or nothing happens; the
 * caller answers the same either way (no account discovery). Only to the configured address.
 */
export async function requestPasswordReset(ctx: AccountLinkContext, email: string, client: { ip: string | null }): Promise<void> {
  const user = await findUserByEmail(ctx.db, email);
  if (user?.status !== 'active' || !ctx.mailer.enabled) return;
  const publicUrl = await resolvePublicUrl(ctx.db, ctx.publicUrl);
  if (!publicUrl) return;
  const { token } = await issueAccountToken(
    ctx.db,
    { userId: user.id, purpose: 'reset', createdBy: null, ttlMs: RESET_TTL_MS },
    { actorId: null, ip: client.ip, via: 'api' },
  );
  await ctx.mailer.queue(ctx.db, passwordResetMail(user.email, 'self', tokenLink(publicUrl, '/reset-password', token)));
}
