import { createHash, randomInt } from 'node:crypto';

/** Ten single-use codes for when the phone is lost; only their hashes are stored. */
export const RECOVERY_CODE_COUNT = 10;
// No 0/1/i/l/o: codes are read off paper.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: 10 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** Random 10-character codes (~49 bits) need no slow hash: SHA-256 of the normalised form. */
export function hashRecoveryCode(code: string): string {
  const normalised = code.toLowerCase().replace(/[^a-z0-9]/g, '');
  return createHash('sha256').update(`pier-recovery:${normalised}`).digest('hex');
}

export function looksLikeRecoveryCode(code: string): boolean {
  return code.toLowerCase().replace(/[^a-z0-9]/g, '').length === 10;
}
