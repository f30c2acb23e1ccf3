import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

/** The key that signs unsubscribe tokens, derived from the workspace secret (never the secret itself). */
export function unsubscribeKeyFrom(secretKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'pier campaign unsubscribe v1', 32));
}

const tag = (key: Buffer, recipientId: string) => createHmac('sha256', key).update(recipientId).digest().subarray(0, 16);

/**
 * One recipient's token: its id and an HMAC of it. Whoever holds the mail can unsubscribe that one
 * address, nobody can forge another's, and the token says nothing about the address or the campaign.
 */
export function signUnsubscribeToken(key: Buffer, recipientId: string): string {
  return `${Buffer.from(recipientId).toString('base64url')}.${tag(key, recipientId).toString('base64url')}`;
}

/** The recipient id of a well-signed token, else null. */
export function verifyUnsubscribeToken(key: Buffer, token: string): string | null {
  const [idPart, macPart, extra] = token.split('.');
  if (!idPart || !macPart || extra !== undefined || token.length > 200) return null;
  const recipientId = Buffer.from(idPart, 'base64url').toString('utf8');
  const given = Buffer.from(macPart, 'base64url');
  const expected = tag(key, recipientId);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return recipientId;
}
