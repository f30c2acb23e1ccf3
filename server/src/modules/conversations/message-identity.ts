import { sha256Hex } from '../../storage/blob-store.js';

/**
 * The identity that makes ingest idempotent. Two copies of one mail (CC'd to
 * sales@ and info@, or fetched again after a crash) differ in the headers that
 * servers add on the way (Received, Delivered-To, Return-Path,
 * Authentication-Results…), so the identity of a mail with a Message-ID is built
 * only from what the sender wrote: Message-ID, the originator headers and the body.
 * A reused Message-ID with another body gives another identity.
 *
 * A mail without a usable Message-ID (`messageId` is what parseMail read, the value
 * stored as message_id_header) is identified by all its bytes (SHA-256 of the raw
 * source, the same as its raw blob's name): two different byte strings are never one
 * message, whatever headers they lack (a body-only, header-only or random mail would
 * otherwise all share the identity of "no headers, empty body"). See decision 0004.
 */
const ORIGINATOR_HEADERS = ['message-id', 'from', 'to', 'cc', 'subject', 'date', 'in-reply-to', 'references'] as const;

export function messageIdentity(raw: Buffer, messageId: string | null): string {
  return messageId ? contentIdentity(raw) : sha256Hex(raw);
}

/** The Message-ID + originator + body identity (what every stored mail with a Message-ID has). */
export function contentIdentity(raw: Buffer): string {
  const { headers, body } = splitMessage(raw);
  const parts = ORIGINATOR_HEADERS.map((name) => `${name}:${(headers.get(name) ?? []).join('\u0000')}`);
  parts.push(`body:${sha256Hex(normaliseBody(body))}`);
  return sha256Hex(parts.join('\n'));
}

/** Splits made, for as long as their mail is alive: prepareMail reads the same mail's headers three times. */
const splits = new WeakMap<Buffer, { headers: Map<string, string[]>; body: Buffer }>();

/**
 * Splits raw RFC 5322 bytes into unfolded headers (lower-cased names) and the body bytes.
 * A mail that starts with a blank line has an empty header: all of it is body (RFC 5322 §2.1).
 * A buffer's split is kept while the buffer lives (mail bytes are never changed in place):
 * callers read it, never change it.
 */
export function splitMessage(raw: Buffer): { headers: Map<string, string[]>; body: Buffer } {
  let split = splits.get(raw);
  if (!split) {
    split = splitMessageOnce(raw);
    splits.set(raw, split);
  }
  return split;
}

function splitMessageOnce(raw: Buffer): { headers: Map<string, string[]>; body: Buffer } {
  const crlf = raw.indexOf('\r\n\r\n');
  // Only an LF blank line before the CRLF one matters: no need to search the whole body for it.
  const lf = (crlf === -1 ? raw : raw.subarray(0, crlf + 1)).indexOf('\n\n');
  let headerEnd: number;
  let bodyStart: number;
  if (raw[0] === 0x0a || (raw[0] === 0x0d && raw[1] === 0x0a)) {
    headerEnd = 0;
    bodyStart = raw[0] === 0x0a ? 1 : 2;
  } else if (crlf !== -1 && (lf === -1 || crlf < lf)) {
    headerEnd = crlf;
    bodyStart = crlf + 4;
  } else if (lf !== -1) {
    headerEnd = lf;
    bodyStart = lf + 2;
  } else {
    headerEnd = raw.length;
    bodyStart = raw.length;
  }
  // latin1 keeps every byte as one char, so 8-bit headers hash the same on every run.
  const headerText = raw
    .subarray(0, headerEnd)
    .toString('latin1')
    .replace(/\r?\n[ \t]+/g, ' ');
  const headers = new Map<string, string[]>();
  for (const line of headerText.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line
      .slice(colon + 1)
      .trim()
      .replace(/\s+/g, ' ');
    headers.set(name, [...(headers.get(name) ?? []), value]);
  }
  return { headers, body: raw.subarray(bodyStart) };
}

const scratch = Buffer.allocUnsafeSlow(256 * 1024);

/**
 * Line endings and trailing whitespace change in transit; the words do not. Works on bytes
 * (mail bodies can be megabytes): CRLF and LF become LF, spaces and tabs at line ends go,
 * and so do newlines at the very end.
 */
function normaliseBody(body: Buffer): Buffer {
  // Most bodies fit a scratch buffer reused from mail to mail (hashed at once, never kept).
  const out = body.length <= scratch.length ? scratch : Buffer.allocUnsafe(body.length);
  // One copy, then each line moved down in place: a copy per line made a view object per line.
  body.copy(out, 0, 0, body.length);
  let length = 0;
  let lineStart = 0;
  const keepLine = (start: number, end: number, newline: boolean) => {
    let e = end;
    while (e > start && (body[e - 1] === 0x20 || body[e - 1] === 0x09)) e--;
    if (start !== length) out.copyWithin(length, start, e);
    length += e - start;
    if (newline) out[length++] = 0x0a;
  };
  for (let i = body.indexOf(0x0a); i !== -1; i = body.indexOf(0x0a, lineStart)) {
    keepLine(lineStart, i > lineStart && body[i - 1] === 0x0d ? i - 1 : i, true);
    lineStart = i + 1;
  }
  keepLine(lineStart, body.length, false);
  while (length > 0 && out[length - 1] === 0x0a) length--;
  return out.subarray(0, length);
}
