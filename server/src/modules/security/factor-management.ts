import type { TwoFactorStatus } from '@pier/contracts';
import type { Kysely } from 'kysely';
import type { Database, UserRow } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { type AuditActor, recordAuditBy } from '../audit/index.js';
import { findUserById } from '../workspace/index.js';
import { countPasskeys, deletePasskey } from './passkeys.js';
import { loadSecurityPolicy } from './security-policy.js';
import { revokeAllUserSessions } from './sessions.js';
import { hasTotp, hasTwoFactor, remainingRecoveryCodes, removeTwoFactor, replaceRecoveryCodes } from './two-factor.js';

/** Managing second factors after enrolment: your own (My security), and an admin's reset of someone's. */

export async function twoFactorStatus(db: Kysely<Database>, userId: string): Promise<TwoFactorStatus> {
  return {
    enrolled: await hasTwoFactor(db, userId),
    totp: await hasTotp(db, userId),
    passkeys: await countPasskeys(db, userId),
    recoveryCodesLeft: await remainingRecoveryCodes(db, userId),
    requiredByPolicy: (await loadSecurityPolicy(db)).requireTwoFactor,
  };
}

/** New recovery codes replace the old ones; only for an account that has a second factor. */
export async function regenerateRecoveryCodes(db: Kysely<Database>, userId: string, actor: AuditActor): Promise<string[]> {
  if (!(await hasTwoFactor(db, userId))) throw new AppError('two_factor.not_started', 409, 'set up two-factor sign-in first');
  return db.transaction().execute(async (trx) => {
    await recordAuditBy(trx, actor, { action: 'user.recovery_codes_regenerated', targetType: 'user', targetId: userId });
    return replaceRecoveryCodes(trx, userId);
  });
}

/** Turns off your own second factor, unless the workspace requires one. */
export async function removeOwnTwoFactor(db: Kysely<Database>, userId: string, actor: AuditActor): Promise<void> {
  if ((await loadSecurityPolicy(db)).requireTwoFactor) {
    throw new AppError('two_factor.required_by_policy', 409, 'the workspace requires two-factor sign-in: it cannot be turned off');
  }
  await db.transaction().execute(async (trx) => {
    const removed = await removeTwoFactor(trx, userId);
    if (!removed) return;
    await recordAuditBy(trx, actor, { action: 'user.two_factor_removed', targetType: 'user', targetId: userId, details: { ...removed } });
  });
}

/**
 * An admin resets someone's second factor (a lost phone): every factor and session of theirs
 * goes, and the next sign-in enrols again. A super admin's factors are a super admin's business
 * only: an admin who could remove them could then take the account over with a reset link.
 */
export async function resetUserTwoFactor(
  db: Kysely<Database>,
  admin: UserRow,
  targetId: string,
  actor: AuditActor,
  keepSessionId: string,
): Promise<void> {
  const target = await findUserById(db, targetId);
  if (!target) throw new AppError('user.not_found', 404, 'no two-factor sign-in to reset for this user');
  if (target.role === 'super_admin' && admin.role !== 'super_admin') {
    throw new AppError('auth.forbidden', 403, 'only a super admin can reset the two-factor sign-in of a super admin');
  }
  await db.transaction().execute(async (trx) => {
    const removed = await removeTwoFactor(trx, targetId);
    if (!removed) throw new AppError('user.not_found', 404, 'no two-factor sign-in to reset for this user');
    const sessions = await revokeAllUserSessions(trx, targetId, keepSessionId);
    await recordAuditBy(trx, actor, {
      action: 'user.two_factor_reset',
      targetType: 'user',
      targetId,
      details: { ...removed, sessionsRevoked: sessions },
    });
  });
}

/** Removes one of your passkeys; not the last second factor while the workspace requires one. */
export async function removeOwnPasskey(db: Kysely<Database>, userId: string, passkeyId: string, actor: AuditActor): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const removed = await deletePasskey(trx, userId, passkeyId);
    if (!removed) throw new AppError('passkey.not_found', 404, 'no such passkey');
    if (!(await hasTwoFactor(trx, userId)) && (await loadSecurityPolicy(trx)).requireTwoFactor) {
      throw new AppError('two_factor.required_by_policy', 409, 'this is your last second factor: add another one before removing it');
    }
    await recordAuditBy(trx, actor, {
      action: 'user.passkey_removed',
      targetType: 'user',
      targetId: userId,
      details: { passkeyId, name: removed.name },
    });
  });
}
