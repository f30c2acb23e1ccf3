import type { PasskeyCredential } from '@pier/contracts';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Kysely } from 'kysely';
import type { Database, UserRow } from '../../db/schema.js';
import type { LoginResult } from '../../db/tables/accounts.js';
import { AppError } from '../../errors.js';
import { type AuditActor, auditLoginAttempt, recordAudit, recordAuditBy } from '../audit/index.js';
import { findUserByEmail, recordLogin } from '../workspace/index.js';
import { raiseAlerts } from './alerts.js';
import { type ClientInfo, recordLoginAttempt } from './login-records.js';
import { checkPasskey, finishPasskeyRegistration, type PasskeyView, type RelyingParty } from './passkeys.js';
import { verifyPassword } from './passwords.js';
import type { SecretBox } from './secret-box.js';
import type { SecurityMailer } from './security-mail.js';
import { loadSecurityPolicy } from './security-policy.js';
import { type AuthContext, completeSession, type SecondFactorState, type SessionTimeouts, startSession } from './sessions.js';
import { accountKey, clearFailures, ipKey, LOCKOUT, lockedFor, recordFailure } from './throttle.js';
import { checkSecondFactor, confirmTotpEnrolment, hasTwoFactor, replaceRecoveryCodes } from './two-factor.js';

/**
 * The sign-in use cases: password, then (when the account has one) the second
 * factor, or enrolment when the policy requires one and the account has none.
 * Every attempt is recorded; failures count towards the lockout.
 */
export type SignInContext = { db: Kysely<Database>; secrets: SecretBox; mailer: SecurityMailer; timeouts: SessionTimeouts };

export type OpenedSession = { user: UserRow; token: string; expiresAt: number; secondFactor: SecondFactorState };

function throttleKeys(userId: string | undefined, client: ClientInfo): string[] {
  return [...(userId ? [accountKey(userId)] : []), ...(client.ip ? [ipKey(client.ip)] : [])];
}

const invalidCredentials = () => new AppError('auth.invalid_credentials', 401, 'wrong email or password');

/**
 * 429 auth.locked_out while the account or the address is locked. Sign-in by password passes no
 * user (only the address counts there, see signInWithPassword); the record still names the account.
 */
async function refuseWhileLocked(
  ctx: SignInContext,
  user: UserRow | undefined,
  email: string,
  client: ClientInfo,
  recordedUserId = user?.id ?? null,
) {
  const waitMs = await lockedFor(ctx.db, throttleKeys(user?.id, client));
  if (waitMs <= 0) return;
  await recordLoginAttempt(ctx.db, ctx.mailer, { userId: recordedUserId, email, result: 'locked', client });
  const seconds = Math.ceil(waitMs / 1000);
  throw new AppError('auth.locked_out', 429, `too many failed sign-ins: try again in ${seconds} s`, { retryAfterSeconds: seconds });
}

async function countFailure(ctx: SignInContext, user: UserRow | undefined, email: string, client: ClientInfo, result: LoginResult) {
  await recordLoginAttempt(ctx.db, ctx.mailer, { userId: user?.id ?? null, email, result, client });
  if (client.ip) await recordFailure(ctx.db, ipKey(client.ip), LOCKOUT.ipThreshold);
  if (!user) return;
  const { failures, lockedUntil } = await recordFailure(ctx.db, accountKey(user.id), LOCKOUT.accountThreshold);
  if (lockedUntil !== null && failures === LOCKOUT.accountThreshold) {
    const minutes = Math.round((lockedUntil - Date.now()) / 60_000);
    await raiseAlerts(ctx.db, ctx.mailer, [
      { userId: user.id, kind: 'locked_out', detail: { failures, minutes, ip: client.ip }, loginRecordId: null },
    ]);
  }
}

async function countSuccess(ctx: SignInContext, user: UserRow, client: ClientInfo) {
  await clearFailures(ctx.db, accountKey(user.id));
  await recordLogin(ctx.db, user.id, Date.now());
  await recordLoginAttempt(ctx.db, ctx.mailer, { userId: user.id, email: user.email, result: 'success', client });
}

/** Opens a session for a user whose password was just checked (sign-in, setup, accepted invitation). */
export async function openSession(ctx: SignInContext, user: UserRow, client: ClientInfo): Promise<OpenedSession> {
  const enrolled = await hasTwoFactor(ctx.db, user.id);
  const { requireTwoFactor } = await loadSecurityPolicy(ctx.db);
  const secondFactor: SecondFactorState = enrolled ? 'verify' : requireTwoFactor ? 'enrol' : 'done';
  const session = await startSession(ctx.db, user.id, client, { secondFactor, timeouts: ctx.timeouts });
  if (secondFactor === 'done') await countSuccess(ctx, user, client);
  else await recordLoginAttempt(ctx.db, ctx.mailer, { userId: user.id, email: user.email, result: 'second_factor_pending', client });
  return { user, token: session.token, expiresAt: session.expiresAt, secondFactor };
}

/**
 * Password sign-in. A locked account answers exactly like an unknown address or a wrong password
 * (401 auth.invalid_credentials), after the same argon2 work, so neither the answer nor its time
 * tells whether an address has an account; its owner learns of the lock from the locked_out alert
 * (in-app and by mail). A locked address (IP) still answers 429: that says nothing about accounts.
 */
export async function signInWithPassword(
  ctx: SignInContext,
  input: { email: string; password: string },
  client: ClientInfo,
): Promise<OpenedSession> {
  const user = await findUserByEmail(ctx.db, input.email);
  await refuseWhileLocked(ctx, undefined, input.email, client, user?.id ?? null);
  const accountLocked = user ? (await lockedFor(ctx.db, [accountKey(user.id)])) > 0 : false;
  // Always one argon2 verification: the stored hash, or a dummy one for an unknown address.
  const isValid = await verifyPassword(user?.password_hash, input.password);
  const attempt = auditLoginAttempt({ email: input.email, user, passwordOk: isValid && !accountLocked, ip: client.ip });
  await recordAudit(ctx.db, accountLocked ? { ...attempt, details: { ...attempt.details, reason: 'locked' } } : attempt);
  if (accountLocked) {
    await recordLoginAttempt(ctx.db, ctx.mailer, { userId: user?.id ?? null, email: input.email, result: 'locked', client });
    if (client.ip) await recordFailure(ctx.db, ipKey(client.ip), LOCKOUT.ipThreshold);
    throw invalidCredentials();
  }
  if (!user || !isValid) {
    await countFailure(ctx, user, input.email, client, user ? 'bad_password' : 'unknown_user');
    throw invalidCredentials();
  }
  if (user.status !== 'active') {
    await recordLoginAttempt(ctx.db, ctx.mailer, { userId: user.id, email: user.email, result: 'disabled', client });
    throw new AppError('auth.user_disabled', 403, 'this account is deactivated');
  }
  return openSession(ctx, user, client);
}

/** A second factor answer: a TOTP or recovery code, or a passkey's answer to the session's challenge. */
export type SecondFactorAnswer = { code?: string | undefined; passkey?: PasskeyCredential | undefined };
/** The relying party is only worked out when a passkey answer needs it (it depends on the request). */
export type RelyingPartyOf = () => RelyingParty;

async function checkAnswerOrFail(
  ctx: SignInContext,
  auth: AuthContext,
  answer: SecondFactorAnswer,
  client: ClientInfo,
  rp: RelyingPartyOf,
): Promise<void> {
  const { user } = auth;
  await refuseWhileLocked(ctx, user, user.email, client);
  if (answer.passkey) {
    const check = await checkPasskey(ctx.db, auth.sessionId, user.id, rp(), answer.passkey as unknown as AuthenticationResponseJSON);
    if (check.ok) return;
    await countFailure(ctx, user, user.email, client, 'bad_second_factor');
    throw new AppError('passkey.invalid', 400, 'the passkey was not accepted');
  }
  const check = await checkSecondFactor(ctx.db, ctx.secrets, user.id, answer.code ?? '');
  if (!check.ok) {
    await countFailure(ctx, user, user.email, client, 'bad_second_factor');
    throw new AppError('two_factor.invalid_code', 400, 'the code does not match (each code works once)');
  }
}

/** Second step of sign-in: a TOTP code, a recovery code or a passkey completes the session. */
export async function verifySecondFactorStep(
  ctx: SignInContext,
  auth: AuthContext,
  answer: SecondFactorAnswer,
  client: ClientInfo,
  rp: RelyingPartyOf,
): Promise<void> {
  await checkAnswerOrFail(ctx, auth, answer, client, rp);
  await completeSession(ctx.db, auth.sessionId);
  await countSuccess(ctx, auth.user, client);
}

const apiActor = (auth: AuthContext, client: ClientInfo): AuditActor => ({ actorId: auth.user.id, ip: client.ip, via: 'api' });

/**
 * Registers a passkey (at enrolment, or later from "My security"). The first second factor of
 * an account comes with recovery codes; a session that was waiting for enrolment becomes complete.
 */
export async function registerPasskeyStep(
  ctx: SignInContext,
  auth: AuthContext,
  input: { name: string; response: PasskeyCredential },
  client: ClientInfo,
  rp: RelyingParty,
): Promise<{ passkey: PasskeyView; recoveryCodes: string[] | null }> {
  const result = await ctx.db.transaction().execute(async (trx) => {
    const first = !(await hasTwoFactor(trx, auth.user.id));
    const passkey = await finishPasskeyRegistration(trx, auth.sessionId, auth.user.id, rp, {
      name: input.name,
      response: input.response as unknown as RegistrationResponseJSON,
    });
    await recordAuditBy(trx, apiActor(auth, client), {
      action: first ? 'user.two_factor_enrolled' : 'user.passkey_added',
      targetType: 'user',
      targetId: auth.user.id,
      details: { method: 'passkey', passkeyId: passkey.id, name: passkey.name },
    });
    return { passkey, recoveryCodes: first ? await replaceRecoveryCodes(trx, auth.user.id) : null };
  });
  await completeSession(ctx.db, auth.sessionId);
  if (auth.secondFactor === 'enrol') await countSuccess(ctx, auth.user, client);
  return result;
}

/** Confirms a TOTP enrolment; a session that was waiting for it becomes complete. Returns the recovery codes. */
export async function confirmEnrolmentStep(ctx: SignInContext, auth: AuthContext, code: string, client: ClientInfo): Promise<string[]> {
  const codes = await confirmTotpEnrolment(ctx.db, ctx.secrets, auth.user.id, code, apiActor(auth, client));
  if (auth.secondFactor === 'enrol') {
    await completeSession(ctx.db, auth.sessionId);
    await countSuccess(ctx, auth.user, client);
  } else {
    await completeSession(ctx.db, auth.sessionId);
  }
  return codes;
}

/** Step-up: password and (where the account has one) a second factor (code or passkey), again, for sensitive actions. */
export async function stepUp(
  ctx: SignInContext,
  auth: AuthContext,
  input: { password: string } & SecondFactorAnswer,
  client: ClientInfo,
  rp: RelyingPartyOf,
) {
  const { user } = auth;
  await refuseWhileLocked(ctx, user, user.email, client);
  if (!(await verifyPassword(user.password_hash, input.password))) {
    await countFailure(ctx, user, user.email, client, 'bad_password');
    throw new AppError('auth.invalid_credentials', 400, 'wrong password', [{ path: '/password', message: 'wrong password' }]);
  }
  if (await hasTwoFactor(ctx.db, user.id)) {
    if (!input.code && !input.passkey)
      throw new AppError('two_factor.invalid_code', 400, 'enter the code from your authenticator app', [
        { path: '/code', message: 'required' },
      ]);
    await checkAnswerOrFail(ctx, auth, input, client, rp);
  }
  await completeSession(ctx.db, auth.sessionId);
}
