import { decodeUndeclared, isValidUtf8 } from './charset-detection.js';
import { decodeBytes, resolveCharset, WINDOWS_1252 } from './charsets.js';

// Header text: RFC 2047 encoded words and raw 8-bit bytes

export const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?]*)\?=/g;

export type HeaderToken = { kind: 'raw'; bytes: Buffer } | { kind: 'words'; codec: string | null; bytes: Buffer };

/**
 * Splits a header value (bytes as latin1) into raw text and runs of encoded words. Whitespace
 * between adjacent encoded words is dropped (RFC 2047 §6.2), and adjacent words in the same
 * charset are joined as bytes before decoding: Outlook and Chinese mailers split a character
 * across two words, which decoding word by word turns into two U+FFFD (neomutt #1015).
 */
export function tokeniseHeader(latin1: string): HeaderToken[] {
  const tokens: HeaderToken[] = [];
  let last = 0;
  for (const match of latin1.matchAll(ENCODED_WORD)) {
    const [whole, label = '', encoding = '', payload = ''] = match;
    const gap = latin1.slice(last, match.index);
    const previous = tokens.at(-1);
    const codec = resolveCharset(label);
    const bytes = /^[Bb]$/.test(encoding) ? Buffer.from(payload, 'base64') : decodeQ(payload);
    if (previous?.kind === 'words' && /^[ \t\r\n]*$/.test(gap)) {
      if (previous.codec === codec) previous.bytes = Buffer.concat([previous.bytes, bytes]);
      else tokens.push({ kind: 'words', codec, bytes });
    } else {
      if (gap) tokens.push({ kind: 'raw', bytes: Buffer.from(gap, 'latin1') });
      tokens.push({ kind: 'words', codec, bytes });
    }
    last = match.index + whole.length;
  }
  if (last < latin1.length) tokens.push({ kind: 'raw', bytes: Buffer.from(latin1.slice(last), 'latin1') });
  return tokens;
}

function decodeQ(payload: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < payload.length; i++) {
    const char = payload[i];
    const hex = payload.slice(i + 1, i + 3);
    if (char === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(char === '_' ? 0x20 : payload.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

export function decodeToken(token: HeaderToken, rawCodec: string): string {
  if (token.kind === 'raw') {
    return isValidUtf8(token.bytes) ? token.bytes.toString('utf8') : decodeBytes(token.bytes, rawCodec);
  }
  return token.codec ? decodeBytes(token.bytes, token.codec) : decodeUndeclared(token.bytes, null);
}

/**
 * Decodes a header value: encoded words by their own charset, raw 8-bit bytes as UTF-8 when
 * valid (RFC 6532) and otherwise in `rawCodec` (what detection found for the mail's headers).
 */
export function decodeHeaderValue(value: Buffer, rawCodec: string = WINDOWS_1252): string {
  return tokeniseHeader(value.toString('latin1'))
    .map((token) => decodeToken(token, rawCodec))
    .join('');
}
