import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/**
 * The double opt-in confirmation token (decision 0059), on the unsubscribe token's pattern (tokens.ts):
 * base64url(member's opt-in id) . expiry (epoch ms, base 36) . a 128-bit HMAC-SHA256 of both, with a
 * key derived (HKDF) from the unsubscribe key for this use alone. It names one member of one list
 * (the contact and the list), cannot be forged for another or lengthened, and tells nothing about the
 * address or the list. Each confirmation mail carries its own expiry; the id stays, so an older mail's
 * link keeps working until its own expiry.
 */
const keyOf = (unsubscribeKey: Buffer) =>
  Buffer.from(hkdfSync('sha256', unsubscribeKey, Buffer.alloc(0), 'pier campaign double opt-in v1', 32));
const mac = (key: Buffer, optInId: string, expiresAt: number) =>
  createHmac('sha256', keyOf(key)).update(`${optInId}\n${expiresAt}`).digest().subarray(0, 16);

/** How long a confirmation link works after its mail was sent. */
export const OPT_IN_TOKEN_TTL_MS = 7 * 86_400_000;

export function signOptInToken(key: Buffer, optInId: string, expiresAt: number): string {
  return `${Buffer.from(optInId).toString('base64url')}.${expiresAt.toString(36)}.${mac(key, optInId, expiresAt).toString('base64url')}`;
}

/**
 * The opt-in id and expiry of a well-signed token, else null. Expiry is not judged here: the page
 * tells an expired link (ask for a new mail) from a forged one (nothing to say).
 */
export function verifyOptInToken(key: Buffer, token: string): { optInId: string; expiresAt: number } | null {
  if (token.length > 200) return null;
  const [idPart, expiryPart, macPart, extra] = token.split('.');
  if (!idPart || !expiryPart || !macPart || extra !== undefined || !/^[0-9a-z]{1,12}$/.test(expiryPart)) return null;
  const optInId = Buffer.from(idPart, 'base64url').toString('utf8');
  const expiresAt = Number.parseInt(expiryPart, 36);
  if (!Number.isSafeInteger(expiresAt)) return null;
  const given = Buffer.from(macPart, 'base64url');
  const expected = mac(key, optInId, expiresAt);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { optInId, expiresAt };
}
