import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signOptInToken, verifyOptInToken } from './opt-in-token.js';
import { signUnsubscribeToken, unsubscribeKeyFrom } from './tokens.js';

const key = unsubscribeKeyFrom(randomBytes(32));
const expires = Date.UTC(2026, 11, 14, 8, 0, 0);

describe('double opt-in confirmation token', () => {
  it('names the member and the expiry it was signed with, and nothing else', () => {
    const token = signOptInToken(key, '01JMEMBER', expires);
    expect(verifyOptInToken(key, token)).toEqual({ optInId: '01JMEMBER', expiresAt: expires });
    expect(token).not.toMatch(/@|customer/);
    expect(token).toMatch(/^[\w-]+\.[0-9a-z]+\.[\w-]+$/);
  });

  it('refuses another key, a changed id, a lengthened expiry, a cut or padded token', () => {
    const token = signOptInToken(key, '01JMEMBER', expires);
    const [id, expiry, mac] = token.split('.') as [string, string, string];
    expect(verifyOptInToken(unsubscribeKeyFrom(randomBytes(32)), token)).toBeNull();
    expect(verifyOptInToken(key, `${Buffer.from('01JOTHER').toString('base64url')}.${expiry}.${mac}`)).toBeNull();
    expect(verifyOptInToken(key, `${id}.${(expires + 86_400_000).toString(36)}.${mac}`)).toBeNull();
    expect(verifyOptInToken(key, `${id}.${expiry}`)).toBeNull();
    expect(verifyOptInToken(key, `${token}.x`)).toBeNull();
    expect(verifyOptInToken(key, `${id}.${expiry}.${mac.slice(0, -2)}`)).toBeNull();
    expect(verifyOptInToken(key, `${id}.ZZ.${mac}`)).toBeNull();
    expect(verifyOptInToken(key, 'x'.repeat(300))).toBeNull();
    expect(verifyOptInToken(key, '')).toBeNull();
  });

  it('is no unsubscribe token, and an unsubscribe token is none of it (keys derived apart)', () => {
    const unsubscribe = signUnsubscribeToken(key, '01JMEMBER');
    expect(verifyOptInToken(key, unsubscribe)).toBeNull();
    const [id, , mac] = signOptInToken(key, '01JMEMBER', expires).split('.') as [string, string, string];
    expect(`${id}.${mac}`).not.toBe(unsubscribe);
  });
});
