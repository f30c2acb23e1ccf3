import { UNDECLARED_LABEL, UTF7_LABEL, UTF8_LABEL } from './body-decoder.js';
import { repairedField } from './body-repair.js';
import { detectCharset, isValidUtf8 } from './charset-detection.js';
import { decodeBytes, resolveCharset, UTF7, UTF8, WINDOWS_1252 } from './charsets.js';
import { decodeToken, ENCODED_WORD, tokeniseHeader } from './encoded-words.js';
import { type HeaderField, type MimePart, walkMime } from './mime-prewalk.js';

// The copy handed to mailparser

/** Headers whose text mailparser decodes and Pier uses; the rest keep their encoded words. */
const DECODED_HEADERS = new Set(['subject', 'from', 'sender', 'reply-to', 'to', 'cc', 'bcc', 'content-type', 'content-disposition']);

export type PreparedInput = {
  input: Buffer;
  issues: string[];
  headerCodec: string;
};

/**
 * The copy of the mail that mailparser reads (see parseMail for why it is needed). Only header
 * blocks change; bodies and attached messages are left byte for byte. In it:
 * - raw 8-bit header text that is not UTF-8 is decoded (charset detected once per mail) and
 *   written as UTF-8, the form mailparser reads (RFC 6532);
 * - each run of encoded words is decoded here and written as one `=?UTF-8?B?…?=` word, and
 *   RFC 2231 parameters as one `name*=utf-8''…`, so no charset label reaches libmime;
 * - text parts with no charset, or labelled UTF-8/US-ASCII (which mailparser reads as UTF-8
 *   without checking), get a Pier label that routes them to BodyDecoder.
 */
export function prepareParserInput(raw: Buffer, analysed: MailAnalysis = analyseMail(raw)): PreparedInput {
  const { parts, issues, hint, headerCodec } = analysed;
  const edits: { start: number; end: number; bytes: Buffer }[] = [];
  for (const part of parts) {
    const contentType = part.fields.find((field) => field.name === 'content-type');
    for (const field of part.fields) {
      const value = rewriteField(part, field, field === contentType, headerCodec, hint);
      if (field.name === '' || value.equals(field.value)) continue;
      // The value keeps its leading space; the field loses its folding, which no parser needs.
      const name = raw.subarray(field.start, raw.indexOf(0x3a, field.start) + 1);
      edits.push({ start: field.start, end: field.end, bytes: Buffer.concat([name, value, Buffer.from(part.lineEnding)]) });
    }
    if (!contentType && part.isText) {
      const line = `Content-Type: text/plain; charset="${undeclaredLabel(hint)}"${part.lineEnding}`;
      edits.push({ start: part.headerStart, end: part.headerStart, bytes: Buffer.from(line) });
    }
    if (part.repair?.kind === 'cut-base64') edits.push({ start: part.repair.base64End, end: part.bodyEnd, bytes: Buffer.alloc(0) });
  }
  // An inserted Content-Type (start = end) goes before a rewritten first field at the same start.
  edits.sort((a, b) => a.start - b.start || a.end - b.end);
  const pieces: Buffer[] = [];
  let position = 0;
  for (const edit of edits) {
    pieces.push(raw.subarray(position, edit.start), edit.bytes);
    position = edit.end;
  }
  pieces.push(raw.subarray(position));
  return { input: Buffer.concat(pieces), issues, headerCodec };
}

/** The tolerant walk's reading of a mail: its parts, what it noticed, and the charsets to read unlabelled text with. */
export type MailAnalysis = { parts: MimePart[]; issues: string[]; hint: string | null; headerCodec: string };

export function analyseMail(raw: Buffer): MailAnalysis {
  const issues: string[] = [];
  const parts: MimePart[] = [];
  walkMime(raw, 0, raw.length, 0, parts, issues);
  if (raw.subarray(0, parts[0]?.headerEnd ?? 0).includes(0)) issues.push('NUL byte in the header');
  const hint = charsetHint(parts);
  const foreign = parts.flatMap((part) => part.fields.map((field) => field.value)).filter((value) => !isValidUtf8(value));
  const headerCodec = foreign.length
    ? detectCharset(Buffer.concat(foreign.flatMap((value) => [value, Buffer.from(' ')])), hint)
    : (hint ?? WINDOWS_1252);
  return { parts, issues, hint, headerCodec };
}

/** A header field's value as the parser's copy carries it (see prepareParserInput). */
export function rewriteField(part: MimePart, field: HeaderField, isContentType: boolean, headerCodec: string, hint: string | null): Buffer {
  let value = field.value;
  if (DECODED_HEADERS.has(field.name)) value = rewriteHeaderText(value, headerCodec);
  else if (!isValidUtf8(value)) value = Buffer.from(decodeBytes(value, headerCodec), 'utf8');
  if (field.name === 'content-type' || field.name === 'content-disposition') value = rewriteRfc2231(value, headerCodec);
  if (isContentType && part.isText) value = relabelText(value, part.charset, hint);
  return repairedField(part, field.name, value, undeclaredLabel(hint));
}

/** The first non-UTF-8 charset the mail declares anywhere: the best guess for its unlabelled text. */
function charsetHint(parts: MimePart[]): string | null {
  const labels = parts.flatMap((part) => [
    part.charset ?? '',
    ...part.fields.flatMap((field) => [...field.value.toString('latin1').matchAll(ENCODED_WORD)].map((match) => match[1] ?? '')),
  ]);
  for (const label of labels) {
    const codec = label ? resolveCharset(label) : null;
    if (codec && codec !== UTF8 && codec !== WINDOWS_1252) return codec;
  }
  return null;
}

function rewriteHeaderText(value: Buffer, rawCodec: string): Buffer {
  const latin1 = value.toString('latin1');
  if (!/[\x80-\xff]/.test(latin1) && !latin1.includes('=?')) return value;
  const tokens = tokeniseHeader(latin1);
  if (tokens.every((token) => token.kind === 'raw') && isValidUtf8(value)) return value;
  return Buffer.concat(
    tokens.map((token) => {
      if (token.kind === 'raw') return isValidUtf8(token.bytes) ? token.bytes : Buffer.from(decodeBytes(token.bytes, rawCodec), 'utf8');
      return Buffer.from(`=?UTF-8?B?${Buffer.from(decodeToken(token, rawCodec), 'utf8').toString('base64')}?=`);
    }),
  );
}

/**
 * RFC 2231 parameters (`filename*0*=gbk''%D6%D0; filename*1*=…`) decoded as bytes across
 * their continuations and written back as one UTF-8 parameter.
 */
function rewriteRfc2231(value: Buffer, rawCodec: string): Buffer {
  const text = value.toString('latin1');
  const parameter = /;\s*([^\s=;*]+)\*(?:(\d+)(\*)?|(\*)?)\s*=\s*("(?:[^"\\]|\\.)*"|[^;\s]*)/g;
  const byName = new Map<string, { start: number; end: number; index: number; extended: boolean; value: string }[]>();
  for (const match of text.matchAll(parameter)) {
    const [whole, rawName = '', index, extendedPart, extendedSingle, rawValue = ''] = match;
    const name = rawName.toLowerCase();
    const unquoted = rawValue.startsWith('"') ? rawValue.slice(1, -1).replace(/\\(.)/g, '$1') : rawValue;
    const segments = byName.get(name) ?? [];
    segments.push({
      start: match.index,
      end: match.index + whole.length,
      index: index === undefined ? 0 : Number(index),
      extended: Boolean(extendedPart ?? extendedSingle ?? index === undefined),
      value: unquoted,
    });
    byName.set(name, segments);
  }
  const edits: { start: number; end: number; text: string }[] = [];
  for (const [name, segments] of byName) {
    segments.sort((a, b) => a.index - b.index);
    let codec: string | null = null;
    const bytes: Buffer[] = [];
    for (const segment of segments) {
      let piece = segment.value;
      if (segment.extended && segment === segments[0]) {
        const quote = /^([^']*)'[^']*'(.*)$/.exec(piece);
        if (quote) {
          codec = quote[1] ? resolveCharset(quote[1]) : null;
          piece = quote[2] ?? '';
        }
      }
      bytes.push(
        segment.extended
          ? Buffer.from(
              piece.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))),
              'latin1',
            )
          : Buffer.from(piece, 'latin1'),
      );
    }
    const joined = Buffer.concat(bytes);
    const decoded = codec ? decodeBytes(joined, codec) : isValidUtf8(joined) ? joined.toString('utf8') : decodeBytes(joined, rawCodec);
    segments.forEach((segment, i) => {
      edits.push({ start: segment.start, end: segment.end, text: i === 0 ? `; ${name}*=utf-8''${percentEncode(decoded)}` : '' });
    });
  }
  if (edits.length === 0) return value;
  edits.sort((a, b) => a.start - b.start);
  let out = '';
  let position = 0;
  for (const edit of edits) {
    out += text.slice(position, edit.start) + edit.text;
    position = edit.end;
  }
  return Buffer.from(out + text.slice(position), 'latin1');
}

/** RFC 2231 §7 ext-value: every byte outside attr-char as %XX ("(" would start a comment). */
function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((byte) => {
      const char = String.fromCharCode(byte);
      return /^[A-Za-z0-9!#$&+\-.^_`|~]$/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

export function undeclaredLabel(hint: string | null): string {
  return hint ? `${UNDECLARED_LABEL}+${hint}` : UNDECLARED_LABEL;
}

/**
 * Routes the text mailparser would read as UTF-8 unchecked (no label, UTF-8, US-ASCII, or a
 * label nobody knows) to BodyDecoder, and UTF-7, which mailparser leaves undecoded. Every other
 * label reaches BodyDecoder anyway.
 */
function relabelText(value: Buffer, charset: string | null, hint: string | null): Buffer {
  if (charset && resolveCharset(charset) === UTF7) {
    const text = value.toString('latin1').replace(/;\s*charset\s*=\s*("[^"]*"|[^;\s]*)/i, '');
    return Buffer.from(`${text.trimEnd()}; charset="${UTF7_LABEL}"`, 'latin1');
  }
  const declared = (charset ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');
  const isUtf8 = /^(?:utf8|unicode11utf8|xunicode20utf8)$/.test(declared);
  const isUnread = isUtf8 || declared === '' || declared === 'usascii' || declared === 'ascii' || resolveCharset(declared) === null;
  if (!isUnread) return value;
  const label = isUtf8 ? (hint ? `${UTF8_LABEL}+${hint}` : UTF8_LABEL) : undeclaredLabel(hint);
  const text = value.toString('latin1').replace(/;\s*charset\s*=\s*("[^"]*"|[^;\s]*)/i, '');
  return Buffer.from(`${text.trimEnd()}; charset="${label}"`, 'latin1');
}
