import { Secret, TOTP } from 'otpauth';

/**
 * What the tests' "phone" knows: the TOTP secret and recovery codes of every
 * account enrolled through the test support, per Pier instance. The support
 * answers the two-factor step with real codes computed from the secret, so tests
 * run with the "2FA required" policy on, as a workspace does by default.
 */
type Authenticator = { secret: string; recoveryCodes: string[]; lastCounter: number };
const phones = new Map<string, Authenticator>();
/** A restarted server (same workspace, new port) is found by email: the last one enrolled with it. */
const latestByEmail = new Map<string, Authenticator>();
const key = (baseUrl: string, email: string) => `${new URL(baseUrl).origin}|${email.toLowerCase()}`;
const find = (baseUrl: string, email: string) => phones.get(key(baseUrl, email)) ?? latestByEmail.get(email.toLowerCase());

export function rememberAuthenticator(baseUrl: string, email: string, secret: string, recoveryCodes: string[] = []) {
  const existing = find(baseUrl, email);
  const lastCounter = existing?.secret === secret ? existing.lastCounter : -1;
  const phone = { secret, recoveryCodes: [...recoveryCodes], lastCounter };
  phones.set(key(baseUrl, email), phone);
  latestByEmail.set(email.toLowerCase(), phone);
}

export function knownAuthenticator(baseUrl: string, email: string): Authenticator | undefined {
  return find(baseUrl, email);
}

export function totpCode(secret: string, timestamp = Date.now()): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp });
}

/**
 * A code the server will accept now: Pier refuses a time step it has already
 * seen, and accepts one step of drift, so the phone uses the current step, then
 * the next one; past that, one of the recovery codes (each works once).
 */
export function nextCode(baseUrl: string, email: string): string {
  const phone = find(baseUrl, email);
  if (!phone) throw new Error(`the test support never enrolled ${email} on ${baseUrl}: no authenticator to answer with`);
  const now = Math.floor(Date.now() / 30_000);
  const counter = Math.max(now, phone.lastCounter + 1);
  if (counter <= now + 1) {
    phone.lastCounter = counter;
    return totpCode(phone.secret, counter * 30_000);
  }
  const recovery = phone.recoveryCodes.shift();
  if (!recovery) throw new Error(`out of codes for ${email}: wait for the next 30-second step`);
  return recovery;
}
