import type {
  AuthenticationResponseJSON,
  AuthenticatorTransport,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { FastifyRequest } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import type { WebauthnChallengesTable } from '../../db/tables/passkeys.js';
import { AppError } from '../../errors.js';

/**
 * Passkeys (WebAuthn) as a second factor beside TOTP, with @simplewebauthn/server.
 * A ceremony's challenge is kept per session (one pending at a time) and spent by
 * the one response that answers it, in a conditional DELETE: a response is never
 * accepted twice, even by two tabs. The relying party is PIER_PUBLIC_URL's host,
 * or the request's host when it is a loopback name (development, tests).
 */
type Db = Kysely<Database> | Transaction<Database>;
export type RelyingParty = { rpID: string; origin: string };
export type PasskeyView = { id: string; name: string; createdAt: number; lastUsedAt: number | null };

const CHALLENGE_TTL_MS = 5 * 60_000;
/** Loaded on first use: its ASN.1/COSE stack would add a second to every start of the CLI. */
const webauthn = () => import('@simplewebauthn/server');
const RP_NAME = 'Pier';
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/;

export function relyingPartyFor(request: FastifyRequest, publicUrl: string | undefined): RelyingParty {
  if (publicUrl) {
    const url = new URL(publicUrl);
    return { rpID: url.hostname, origin: url.origin };
  }
  const host = request.headers.host ?? '';
  const hostname = host.replace(/:\d+$/, '');
  if (!LOOPBACK.test(hostname)) {
    throw new AppError('passkey.unavailable', 409, 'passkeys need PIER_PUBLIC_URL (the address users open Pier at)');
  }
  return { rpID: hostname, origin: `${request.protocol}://${host}` };
}

export async function listPasskeys(db: Db, userId: string): Promise<PasskeyView[]> {
  const rows = await db
    .selectFrom('passkeys')
    .select(['id', 'name', 'created_at', 'last_used_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, lastUsedAt: r.last_used_at }));
}

export async function countPasskeys(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('passkeys')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function keepChallenge(db: Db, sessionId: string, purpose: WebauthnChallengesTable['purpose'], challenge: string) {
  const expiresAt = Date.now() + CHALLENGE_TTL_MS;
  await db
    .insertInto('webauthn_challenges')
    .values({ session_id: sessionId, purpose, challenge, expires_at: expiresAt })
    .onConflict((oc) => oc.column('session_id').doUpdateSet({ purpose, challenge, expires_at: expiresAt }))
    .execute();
}

/** Takes the session's pending challenge of this purpose, once: a second caller finds nothing. */
async function spendChallenge(db: Db, sessionId: string, purpose: WebauthnChallengesTable['purpose']): Promise<string> {
  const row = await db.selectFrom('webauthn_challenges').selectAll().where('session_id', '=', sessionId).executeTakeFirst();
  const stale = () => new AppError('passkey.challenge_expired', 400, 'the passkey request expired or was already used: try again');
  if (!row || row.purpose !== purpose || row.expires_at < Date.now()) throw stale();
  const spent = await db
    .deleteFrom('webauthn_challenges')
    .where('session_id', '=', sessionId)
    .where('challenge', '=', row.challenge)
    .executeTakeFirst();
  if (Number(spent.numDeletedRows) !== 1) throw stale();
  return row.challenge;
}

function transportsOf(text: string): AuthenticatorTransport[] {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? (value.filter((t) => typeof t === 'string') as AuthenticatorTransport[]) : [];
}

export async function startPasskeyRegistration(
  db: Db,
  sessionId: string,
  user: { id: string; email: string; name: string },
  rp: RelyingParty,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const existing = await db.selectFrom('passkeys').select(['credential_id', 'transports']).where('user_id', '=', user.id).execute();
  const { generateRegistrationOptions } = await webauthn();
  const options = await generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: rp.rpID,
    userName: user.email,
    userDisplayName: user.name,
    userID: new TextEncoder().encode(user.id),
    attestationType: 'none',
    // The same authenticator twice would be one factor counted twice.
    excludeCredentials: existing.map((c) => ({ id: c.credential_id, transports: transportsOf(c.transports) })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
  await keepChallenge(db, sessionId, 'register', options.challenge);
  return options;
}

/** Verifies the authenticator's answer and stores the passkey; call inside the transaction that audits it. */
export async function finishPasskeyRegistration(
  db: Db,
  sessionId: string,
  userId: string,
  rp: RelyingParty,
  input: { name: string; response: RegistrationResponseJSON },
): Promise<PasskeyView> {
  const expectedChallenge = await spendChallenge(db, sessionId, 'register');
  const { verifyRegistrationResponse } = await webauthn();
  let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verification = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      // A second factor: possession is what counts; a PIN or fingerprint is welcome, not required.
      requireUserVerification: false,
    });
  } catch (error) {
    throw new AppError('passkey.invalid', 400, `the passkey could not be verified: ${error instanceof Error ? error.message : 'invalid'}`);
  }
  if (!verification.verified) throw new AppError('passkey.invalid', 400, 'the passkey could not be verified');
  const { credential } = verification.registrationInfo;
  const taken = await db.selectFrom('passkeys').select('id').where('credential_id', '=', credential.id).executeTakeFirst();
  if (taken) throw new AppError('passkey.already_registered', 409, 'this passkey is already registered');
  const now = Date.now();
  const row = {
    id: newId(),
    user_id: userId,
    credential_id: credential.id,
    name: input.name,
    public_key: Buffer.from(credential.publicKey).toString('base64url'),
    counter: credential.counter,
    transports: JSON.stringify(credential.transports ?? input.response.response.transports ?? []),
    created_at: now,
    last_used_at: null,
  };
  await db.insertInto('passkeys').values(row).execute();
  return { id: row.id, name: row.name, createdAt: now, lastUsedAt: null };
}

/** Options for signing in (or stepping up) with one of the user's passkeys. */
export async function startPasskeyAuthentication(
  db: Db,
  sessionId: string,
  userId: string,
  rp: RelyingParty,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const credentials = await db.selectFrom('passkeys').select(['credential_id', 'transports']).where('user_id', '=', userId).execute();
  if (credentials.length === 0) throw new AppError('passkey.none', 409, 'this account has no passkey');
  const { generateAuthenticationOptions } = await webauthn();
  const options = await generateAuthenticationOptions({
    rpID: rp.rpID,
    allowCredentials: credentials.map((c) => ({ id: c.credential_id, transports: transportsOf(c.transports) })),
    userVerification: 'preferred',
  });
  await keepChallenge(db, sessionId, 'authenticate', options.challenge);
  return options;
}

/**
 * Checks a passkey answer for the session's pending challenge. The credential must be
 * the user's own; its signature counter must move forward (when it counts at all),
 * and is stored in a conditional UPDATE so a cloned authenticator shows up.
 */
export async function checkPasskey(
  db: Db,
  sessionId: string,
  userId: string,
  rp: RelyingParty,
  response: AuthenticationResponseJSON,
): Promise<{ ok: true; passkeyId: string } | { ok: false }> {
  const expectedChallenge = await spendChallenge(db, sessionId, 'authenticate');
  const stored = await db
    .selectFrom('passkeys')
    .selectAll()
    .where('user_id', '=', userId)
    .where('credential_id', '=', response.id)
    .executeTakeFirst();
  if (!stored) return { ok: false };
  const { verifyAuthenticationResponse } = await webauthn();
  try {
    const { verified, authenticationInfo } = await verifyAuthenticationResponse({
      response,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      credential: {
        id: stored.credential_id,
        publicKey: new Uint8Array(Buffer.from(stored.public_key, 'base64url')),
        counter: Number(stored.counter),
        transports: transportsOf(stored.transports),
      },
      requireUserVerification: false,
    });
    if (!verified) return { ok: false };
    const newCounter = authenticationInfo.newCounter;
    const updated = await db
      .updateTable('passkeys')
      .set({ counter: newCounter, last_used_at: Date.now() })
      .where('id', '=', stored.id)
      .where((eb) => (newCounter === 0 ? eb('counter', '=', 0) : eb('counter', '<', newCounter)))
      .executeTakeFirst();
    return Number(updated.numUpdatedRows) === 1 ? { ok: true, passkeyId: stored.id } : { ok: false };
  } catch {
    // A malformed answer, a wrong signature or a counter that went backwards: not this user's key.
    return { ok: false };
  }
}

export async function renamePasskey(db: Db, userId: string, passkeyId: string, name: string): Promise<PasskeyView> {
  const result = await db
    .updateTable('passkeys')
    .set({ name })
    .where('id', '=', passkeyId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) throw new AppError('passkey.not_found', 404, 'no such passkey');
  const view = (await listPasskeys(db, userId)).find((p) => p.id === passkeyId);
  if (!view) throw new AppError('passkey.not_found', 404, 'no such passkey');
  return view;
}

export async function deletePasskey(db: Db, userId: string, passkeyId: string): Promise<{ name: string } | undefined> {
  const row = await db.selectFrom('passkeys').select('name').where('id', '=', passkeyId).where('user_id', '=', userId).executeTakeFirst();
  if (!row) return undefined;
  await db.deleteFrom('passkeys').where('id', '=', passkeyId).where('user_id', '=', userId).execute();
  return row;
}
