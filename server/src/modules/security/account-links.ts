import type { AccountLink, InviteRequest, LinkSenders } from '@pier/contracts';
import type { Kysely } from 'kysely';
import type { Database, UserRow } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { type AuditActor, recordAuditBy } from '../audit/index.js';
import { findUserByEmail, findUserById } from '../workspace/index.js';
import { resolvePublicUrl, tokenLink } from './public-url.js';
import { invitationMail, passwordResetMail, type SecurityMail, type SecurityMailer, type SendingMailbox } from './security-mail.js';
import { refuseBeyondSuperAdminLimit } from './super-admin-policy.js';
import { INVITE_TTL_MS, inviteUser, issueAccountToken, RESET_TTL_MS } from './user-lifecycle.js';

/**
 * Invitation and reset links. A link is mailed only when it points to the configured public
 * address (PIER_PUBLIC_URL or the workspace setting). Without one, an admin still gets it to
 * copy, built from the address their own browser uses (`requestOrigin`, same-origin by the CSRF
 * check), and a self-service reset sends nothing. An admin may mail it through any connected
 * mailbox (`viaMailboxId`) rather than the system mailbox; each mailed link is audited with the
 * mailbox it went through.
 */
export type AccountLinkContext = {
  db: Kysely<Database>;
  mailer: SecurityMailer;
  /** PIER_PUBLIC_URL; the workspace setting is read when it is unset. */
  publicUrl: string | undefined;
};

async function linkBase(ctx: AccountLinkContext, requestOrigin: string, via: SendingMailbox | undefined) {
  const publicUrl = await resolvePublicUrl(ctx.db, ctx.publicUrl);
  const noSender = !via && !ctx.mailer.enabled;
  const notEmailedBecause = !publicUrl ? ('no_public_url' as const) : noSender ? ('no_system_mailbox' as const) : null;
  return { base: publicUrl ?? requestOrigin, notEmailedBecause };
}

export async function linkSenders(ctx: AccountLinkContext): Promise<LinkSenders> {
  return { items: await ctx.mailer.sendingMailboxes(), systemMailbox: ctx.mailer.systemAddress };
}

/** The chosen mailbox, checked before anything is created: it must be connected and able to send. */
async function chosenSender(ctx: AccountLinkContext, viaMailboxId: string | undefined): Promise<SendingMailbox | undefined> {
  if (viaMailboxId === undefined) return undefined;
  const found = (await ctx.mailer.sendingMailboxes()).find((m) => m.id === viaMailboxId);
  if (!found)
    throw new AppError('request.invalid', 400, 'viaMailboxId: not an active mailbox with SMTP settings (see GET /api/users/link-senders)');
  return found;
}

async function mailLink(
  ctx: AccountLinkContext,
  mail: SecurityMail,
  details: { userId: string; purpose: 'invite' | 'reset'; via: SendingMailbox | undefined },
  actor: AuditActor,
): Promise<string> {
  const address = details.via?.address ?? ctx.mailer.systemAddress ?? '';
  await ctx.db.transaction().execute(async (trx) => {
    await ctx.mailer.queue(trx, mail, details.via);
    await recordAuditBy(trx, actor, {
      action: 'user.account_link_mailed',
      targetType: 'user',
      targetId: details.userId,
      details: { purpose: details.purpose, to: mail.to, mailbox: address, chosen: details.via !== undefined },
    });
  });
  return address;
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
  if (input.role === 'super_admin') await refuseBeyondSuperAdminLimit(ctx.db, 'invite');
  const via = await chosenSender(ctx, input.viaMailboxId);
  const { viaMailboxId: _, ...invitee } = input;
  const user = await inviteUser(ctx.db, invitee, actor);
  const { token, expiresAt } = await issueAccountToken(ctx.db, {
    userId: user.id,
    purpose: 'invite',
    createdBy: inviter.id,
    ttlMs: INVITE_TTL_MS,
  });
  const { base, notEmailedBecause } = await linkBase(ctx, requestOrigin, via);
  const link = tokenLink(base, '/invitation', token);
  const emailedVia =
    notEmailedBecause === null
      ? await mailLink(ctx, invitationMail(user.email, inviter.name, link), { userId: user.id, purpose: 'invite', via }, actor)
      : null;
  return { link, expiresAt, emailed: emailedVia !== null, notEmailedBecause, emailedVia };
}

export async function resetLinkByAdmin(
  ctx: AccountLinkContext,
  admin: UserRow,
  targetId: string,
  actor: AuditActor,
  requestOrigin: string,
  viaMailboxId?: string,
): Promise<AccountLink> {
  const via = await chosenSender(ctx, viaMailboxId);
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
  const { base, notEmailedBecause } = await linkBase(ctx, requestOrigin, via);
  const link = tokenLink(base, '/reset-password', token);
  const emailedVia =
    notEmailedBecause === null
      ? await mailLink(ctx, passwordResetMail(user.email, 'admin', link), { userId: user.id, purpose: 'reset', via }, actor)
      : null;
  return { link, expiresAt, emailed: emailedVia !== null, notEmailedBecause, emailedVia };
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
