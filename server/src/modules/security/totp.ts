import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

/**
 * TOTP per RFC 6238 with the settings every authenticator app understands
 * (SHA-1, 6 digits, 30 s). One step either side is accepted for clock drift.
 */
export const TOTP_PERIOD_SECONDS = 30;
const ISSUER = 'Pier';

function totpFor(secretBase32: string, label: string) {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** A new random 160-bit secret, base32 as authenticator apps expect. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpUri(secretBase32: string, accountEmail: string): string {
  return totpFor(secretBase32, accountEmail).toString();
}

/** The otpauth:// URI as an SVG QR code in a data URL (the CSP allows data: images). */
export async function totpQrDataUrl(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}

/**
 * The time step a code belongs to, or undefined when it matches none of
 * now-1 … now+1. The caller refuses a step not newer than the last one used.
 */
export function matchTotpCounter(secretBase32: string, code: string, now = Date.now()): number | undefined {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return undefined;
  const delta = totpFor(secretBase32, 'x').validate({ token, timestamp: now, window: 1 });
  if (delta === null) return undefined;
  return Math.floor(now / 1000 / TOTP_PERIOD_SECONDS) + delta;
}
