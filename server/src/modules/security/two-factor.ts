import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { type AuditActor, recordAuditBy } from '../audit/index.js';
import { countPasskeys } from './passkeys.js';
import { hashRecoveryCode, looksLikeRecoveryCode, newRecoveryCodes } from './recovery-codes.js';
import type { SecretBox } from './secret-box.js';
import { matchTotpCounter, newTotpSecret, totpQrDataUrl, totpUri } from './totp.js';

/**
 * Second factor: TOTP plus single-use recovery codes. The TOTP secret is sealed
 * with the workspace secret box; recovery codes are stored as hashes only.
 */
export type TotpEnrolment = { secret: string; otpauthUri: string; qrCodeDataUrl: string };

type Db = Kysely<Database> | Transaction<Database>;

export async function hasTotp(db: Db, userId: string): Promise<boolean> {
  const row = await db.selectFrom('totp_factors').select('confirmed_at').where('user_id', '=', userId).executeTakeFirst();
  return row?.confirmed_at != null;
}

/** A confirmed TOTP or at least one passkey: either is a second factor. */
export async function hasTwoFactor(db: Db, userId: string): Promise<boolean> {
  return (await hasTotp(db, userId)) || (await countPasskeys(db, userId)) > 0;
}

/** Starts (or restarts) enrolment: a fresh secret, not in force until a code confirms it. */
export async function startTotpEnrolment(
  db: Kysely<Database>,
  secrets: SecretBox,
  user: { id: string; email: string },
): Promise<TotpEnrolment> {
  if (await hasTotp(db, user.id)) {
    throw new AppError('two_factor.already_enrolled', 409, 'an authenticator app is already set up: reset it first');
  }
  const secret = newTotpSecret();
  const now = Date.now();
  const secretEnc = secrets.seal(secret);
  await db
    .insertInto('totp_factors')
    .values({ user_id: user.id, secret_enc: secretEnc, confirmed_at: null, last_counter: null, created_at: now })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({ secret_enc: secretEnc, confirmed_at: null, last_counter: null, created_at: now }),
    )
    .execute();
  const otpauthUri = totpUri(secret, user.email);
  return { secret, otpauthUri, qrCodeDataUrl: await totpQrDataUrl(otpauthUri) };
}

/** Confirms enrolment with a first code; returns the recovery codes, shown once. */
export async function confirmTotpEnrolment(
  db: Kysely<Database>,
  secrets: SecretBox,
  userId: string,
  code: string,
  actor: AuditActor,
): Promise<string[]> {
  const factor = await db.selectFrom('totp_factors').selectAll().where('user_id', '=', userId).executeTakeFirst();
  if (!factor) throw new AppError('two_factor.not_started', 409, 'start the enrolment first');
  if (factor.confirmed_at != null) throw new AppError('two_factor.already_enrolled', 409, 'two-factor sign-in is already set up');
  const counter = matchTotpCounter(secrets.open(factor.secret_enc), code);
  if (counter === undefined) throw new AppError('two_factor.invalid_code', 400, 'the code does not match: check the time on your phone');
  return db.transaction().execute(async (trx) => {
    await trx.updateTable('totp_factors').set({ confirmed_at: Date.now(), last_counter: counter }).where('user_id', '=', userId).execute();
    await recordAuditBy(trx, actor, {
      action: 'user.two_factor_enrolled',
      targetType: 'user',
      targetId: userId,
      details: { method: 'totp' },
    });
    return replaceRecoveryCodes(trx, userId);
  });
}

export async function replaceRecoveryCodes(db: Db, userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  const now = Date.now();
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await db
    .insertInto('recovery_codes')
    .values(codes.map((code) => ({ id: newId(), user_id: userId, code_hash: hashRecoveryCode(code), used_at: null, created_at: now })))
    .execute();
  return codes;
}

export async function remainingRecoveryCodes(db: Kysely<Database>, userId: string): Promise<number> {
  const row = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export type SecondFactorCheck = { ok: true; method: 'totp' | 'recovery_code' } | { ok: false };

/**
 * Checks a TOTP code or a recovery code. Both are single-use: the code's time
 * step must be newer than the last accepted one, and a recovery code is marked
 * used in the same conditional UPDATE that accepts it (no race between two tabs).
 */
export async function checkSecondFactor(
  db: Kysely<Database>,
  secrets: SecretBox,
  userId: string,
  code: string,
): Promise<SecondFactorCheck> {
  const factor = await db.selectFrom('totp_factors').selectAll().where('user_id', '=', userId).executeTakeFirst();
  if (!factor || factor.confirmed_at == null) return { ok: false };
  const counter = matchTotpCounter(secrets.open(factor.secret_enc), code);
  if (counter !== undefined) {
    const accepted = await db
      .updateTable('totp_factors')
      .set({ last_counter: counter })
      .where('user_id', '=', userId)
      .where((eb) => eb.or([eb('last_counter', 'is', null), eb('last_counter', '<', counter)]))
      .executeTakeFirst();
    return Number(accepted.numUpdatedRows) === 1 ? { ok: true, method: 'totp' } : { ok: false };
  }
  if (!looksLikeRecoveryCode(code)) return { ok: false };
  const used = await db
    .updateTable('recovery_codes')
    .set({ used_at: Date.now() })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hashRecoveryCode(code))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(used.numUpdatedRows) === 1 ? { ok: true, method: 'recovery_code' } : { ok: false };
}

/**
 * Removes TOTP, passkeys and recovery codes (admin reset, or the user's own when the policy
 * allows); call inside the transaction that audits it. Returns what there was.
 */
export async function removeTwoFactor(trx: Db, userId: string): Promise<{ totp: boolean; passkeys: number } | undefined> {
  const totp = await trx.deleteFrom('totp_factors').where('user_id', '=', userId).executeTakeFirst();
  const passkeys = await trx.deleteFrom('passkeys').where('user_id', '=', userId).executeTakeFirst();
  await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  const removed = { totp: Number(totp.numDeletedRows) > 0, passkeys: Number(passkeys.numDeletedRows) };
  return removed.totp || removed.passkeys > 0 ? removed : undefined;
}

/** Removes the authenticator app only (the user keeps their passkeys and recovery codes). */
export async function removeTotp(trx: Db, userId: string): Promise<boolean> {
  const removed = await trx.deleteFrom('totp_factors').where('user_id', '=', userId).executeTakeFirst();
  return Number(removed.numDeletedRows) > 0;
}
