import { sha256Hex } from '../../storage/blob-store.js';

/**
 * The identity that makes ingest idempotent. Two copies of one mail (CC'd to
 * sales@ and info@, or fetched again after a crash) differ in the headers that
 * servers add on the way (Received, Delivered-To, Return-Path,
 * Authentication-Results…), so the identity is built only from what the sender
 * wrote: Message-ID, the originator headers and the body. A reused Message-ID
 * with another body gives another identity; a mail without Message-ID still has one.
 */
const ORIGINATOR_HEADERS = ['message-id', 'from', 'to', 'cc', 'subject', 'date', 'in-reply-to', 'references'] as const;

export function messageIdentity(raw: Buffer): string {
  const { headers, body } = splitMessage(raw);
  const parts = ORIGINATOR_HEADERS.map((name) => `${name}:${(headers.get(name) ?? []).join('\u0000')}`);
  parts.push(`body:${sha256Hex(normaliseBody(body))}`);
  return sha256Hex(parts.join('\n'));
}

/** Splits raw RFC 5322 bytes into unfolded headers (lower-cased names) and the body bytes. */
export function splitMessage(raw: Buffer): { headers: Map<string, string[]>; body: Buffer } {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  let headerEnd: number;
  let bodyStart: number;
  if (crlf !== -1 && (lf === -1 || crlf < lf)) {
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

/**
 * Line endings and trailing whitespace change in transit; the words do not. Works on bytes
 * (mail bodies can be megabytes): CRLF and LF become LF, spaces and tabs at line ends go,
 * and so do newlines at the very end.
 */
function normaliseBody(body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(body.length);
  let length = 0;
  let lineStart = 0;
  const copyLine = (start: number, end: number, newline: boolean) => {
    let e = end;
    while (e > start && (body[e - 1] === 0x20 || body[e - 1] === 0x09)) e--;
    length += body.copy(out, length, start, e);
    if (newline) out[length++] = 0x0a;
  };
  for (let i = body.indexOf(0x0a); i !== -1; i = body.indexOf(0x0a, lineStart)) {
    copyLine(lineStart, i > lineStart && body[i - 1] === 0x0d ? i - 1 : i, true);
    lineStart = i + 1;
  }
  copyLine(lineStart, body.length, false);
  while (length > 0 && out[length - 1] === 0x0a) length--;
  return out.subarray(0, length);
}
