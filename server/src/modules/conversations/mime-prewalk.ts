// A tolerant walk over the MIME tree, for the header blocks only

export type HeaderField = { name: string; start: number; end: number; value: Buffer };

export type MimePart = {
  headerStart: number;
  headerEnd: number;
  /** Where the part's body ends (its start is headerEnd). */
  bodyEnd: number;
  lineEnding: string;
  fields: HeaderField[];
  contentType: string | null;
  charset: string | null;
  isText: boolean;
  /** A text part with a file name, shown inline: mailparser would merge it into the body. */
  isNamedInlineText: boolean;
  /**
   * What the parser's copy must change so the body reads (body-repair.ts): a "base64" text part
   * that holds raw text, base64 followed by junk (cut at `base64End`), or a multipart without a
   * single boundary line (read as text).
   */
  repair: { kind: 'raw-text' } | { kind: 'cut-base64'; base64End: number } | { kind: 'multipart-as-text' } | null;
};

const MAX_DEPTH = 50;
const MAX_PARTS = 1000;

export function walkMime(raw: Buffer, start: number, end: number, depth: number, parts: MimePart[], issues: string[]): void {
  if (depth > MAX_DEPTH || parts.length >= MAX_PARTS) return;
  const { fields, bodyStart, lineEnding } = readHeaderBlock(raw, start, end);
  const field = (name: string) => fields.find((candidate) => candidate.name === name)?.value.toString('latin1') ?? null;
  const contentTypeValue = field('content-type');
  const contentType = contentTypeValue?.split(';')[0]?.trim().toLowerCase() || null;
  const dispositionValue = field('content-disposition');
  const disposition = dispositionValue?.split(';')[0]?.trim().toLowerCase() ?? null;
  const transferEncoding = field('content-transfer-encoding')?.trim().toLowerCase() ?? '';
  const charset = contentTypeValue ? headerParameter(contentTypeValue, 'charset') : null;
  // mailsplit's default: no Content-Type is text/plain, unless the part is an attachment or named.
  const isText = contentType
    ? /^text\/(?:plain|html)$/.test(contentType)
    : disposition !== 'attachment' && !/name/i.test(dispositionValue ?? '');
  const isNamedInlineText =
    isText && contentType === 'text/plain' && disposition === 'inline' && /filename/i.test(dispositionValue ?? '') && depth > 0;
  const part: MimePart = {
    headerStart: start,
    headerEnd: bodyStart,
    bodyEnd: end,
    lineEnding,
    fields,
    contentType,
    charset,
    isText,
    isNamedInlineText,
    repair: null,
  };
  parts.push(part);

  if (contentType?.startsWith('multipart/')) {
    const boundary = contentTypeValue ? headerParameter(contentTypeValue, 'boundary') : null;
    if (!boundary) {
      issues.push(`${contentType} without boundary`);
      return;
    }
    const delimiters = walkMultipart(raw, bodyStart, end, boundary.trimEnd(), depth, parts, issues);
    // A gateway stripped every boundary line: the body is the text, not an empty multipart.
    if (delimiters === 0 && hasText(raw, bodyStart, end)) {
      part.repair = { kind: 'multipart-as-text' };
      issues.push(`${contentType} without any boundary line: read as text`);
    }
  } else if (contentType === 'message/rfc822' && disposition === 'inline' && ['', '7bit', '8bit', 'binary'].includes(transferEncoding)) {
    // Only an inline message is parsed by mailparser (as mailsplit decides); an attached one
    // stays untouched, so its bytes reach the caller exactly as they arrived.
    walkMime(raw, bodyStart, end, depth + 1, parts, issues);
  } else if (transferEncoding === 'base64') {
    // Decoders skip what is not base64; the reader should still know bytes were dropped.
    if (!isCleanBase64(raw, bodyStart, end)) {
      const base64End = isText ? cleanBase64Prefix(raw, bodyStart, end) : null;
      if (base64End !== null) {
        part.repair = { kind: 'cut-base64', base64End };
        issues.push(`junk after the base64 of a ${contentType ?? 'text/plain'} part: ${end - base64End} bytes left out`);
      } else if (isText && !looksLikeBase64(raw, bodyStart, end)) {
        part.repair = { kind: 'raw-text' };
        issues.push(`a ${contentType ?? 'text/plain'} part declared base64 holds raw text: read as text`);
      } else {
        issues.push(`invalid base64 in ${contentType ?? 'text/plain'} part`);
      }
    }
  }
}

const isBase64Byte = (byte: number) =>
  (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x2f && byte <= 0x39) || byte === 0x2b || byte === 0x3d;
const isSpaceByte = (byte: number) => (byte >= 0x09 && byte <= 0x0d) || byte === 0x20;

/** Anything but whitespace: a multipart body stripped of its boundaries still holds the text. */
function hasText(raw: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isSpaceByte(raw[i] as number)) return true;
  return false;
}

/**
 * Base64 with a little noise is still base64 (decoders skip it): fewer than 4, or at most 1 in
 * 50, non-space bytes outside the alphabet. Raw text (8-bit Chinese, or English with spaces and commas)
 * has far more, which is what a gateway that decoded the part but kept its header leaves.
 */
function looksLikeBase64(raw: Buffer, start: number, end: number): boolean {
  let alphabet = 0;
  let other = 0;
  for (let i = start; i < end; i++) {
    const byte = raw[i] as number;
    if (isBase64Byte(byte)) alphabet++;
    else if (!isSpaceByte(byte)) other++;
  }
  return other < 4 || other * 50 <= alphabet + other;
}

/**
 * Where clean base64 lines that end in padding (or fill whole quanta) stop and junk starts: the
 * offset to cut at, or null when the part does not start with such lines. At least 8 characters
 * of base64 must come first, and the junk must be a line of its own.
 */
function cleanBase64Prefix(raw: Buffer, start: number, end: number): number | null {
  let characters = 0;
  let position = start;
  let padded = false;
  while (position < end) {
    const newline = raw.indexOf(0x0a, position);
    const lineEnd = newline === -1 || newline >= end ? end : newline + 1;
    let clean = true;
    let lineCharacters = 0;
    for (let i = position; i < lineEnd; i++) {
      const byte = raw[i] as number;
      if (isBase64Byte(byte) && !padded) {
        lineCharacters++;
        if (byte === 0x3d) padded = true;
      } else if (byte === 0x3d && padded) lineCharacters++;
      else if (!isSpaceByte(byte)) {
        clean = false;
        break;
      }
    }
    if (!clean) return characters >= 8 && characters % 4 === 0 ? position : null;
    characters += lineCharacters;
    position = lineEnd;
  }
  return null;
}

/**
 * Base64 a decoder reads without dropping anything: only the alphabet, '=' and whitespace, and
 * not one character over a multiple of four. A byte loop: attachments are most of a mail's bytes,
 * and a regex over a string copy of each cost more than the rest of the walk.
 */
function isCleanBase64(raw: Buffer, start: number, end: number): boolean {
  let characters = 0;
  for (let i = start; i < end; i++) {
    const byte = raw[i] as number;
    const isAlphabet =
      (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x2f && byte <= 0x39) || byte === 0x2b || byte === 0x3d;
    if (isAlphabet) characters++;
    // What \s matches in latin1: tab, LF, VT, FF, CR, space, no-break space.
    else if (!((byte >= 0x09 && byte <= 0x0d) || byte === 0x20 || byte === 0xa0)) return false;
  }
  return characters % 4 !== 1;
}

function walkMultipart(
  raw: Buffer,
  start: number,
  end: number,
  boundary: string,
  depth: number,
  parts: MimePart[],
  issues: string[],
): number {
  // Searched in the bytes, not in a string copy: a big attachment deep in the tree would
  // otherwise be copied once per level.
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  let partStart: number | null = null;
  let closed = false;
  let delimiters = 0;
  let position = start;
  while (position < end) {
    const found = raw.indexOf(delimiter, position);
    if (found === -1 || found + delimiter.length > end) break;
    position = found + delimiter.length;
    if (found !== start && raw[found - 1] !== 0x0a) continue;
    const isClose = raw[position] === 0x2d && raw[position + 1] === 0x2d;
    let lineEnd = isClose ? position + 2 : position;
    while (lineEnd < end && (raw[lineEnd] === 0x20 || raw[lineEnd] === 0x09)) lineEnd++;
    if (raw[lineEnd] === 0x0d) lineEnd++;
    if (lineEnd < end && raw[lineEnd] !== 0x0a) continue;
    delimiters++;
    // The line break before a delimiter belongs to the delimiter (RFC 2046 §5.1.1).
    const partEnd = raw[found - 2] === 0x0d ? found - 2 : found - 1;
    if (partStart !== null) walkMime(raw, partStart, Math.max(partStart, partEnd), depth + 1, parts, issues);
    if (isClose) {
      closed = true;
      partStart = null;
      break;
    }
    partStart = Math.min(lineEnd + 1, end);
  }
  if (partStart !== null) walkMime(raw, partStart, end, depth + 1, parts, issues);
  if (!closed && delimiters > 0) issues.push('multipart without closing boundary (truncated mail?)');
  return delimiters;
}

export function readHeaderBlock(raw: Buffer, start: number, end: number): { fields: HeaderField[]; bodyStart: number; lineEnding: string } {
  const fields: HeaderField[] = [];
  let position = start;
  let lineEnding = '\r\n';
  let bodyStart = end;
  // mailparser refuses a header block over 1 MB (maxHeadSize); a part without a blank line
  // (truncated, or binary garbage) would otherwise be read line by line as header.
  const limit = Math.min(end, start + 1_048_576);
  while (position < limit) {
    const newline = raw.indexOf(0x0a, position);
    const lineEnd = newline === -1 || newline >= end ? end : newline + 1;
    const line = raw.subarray(position, lineEnd).toString('latin1');
    if (position === start && line.endsWith('\n')) lineEnding = line.endsWith('\r\n') ? '\r\n' : '\n';
    if (/^\r?\n$/.test(line)) {
      bodyStart = lineEnd;
      break;
    }
    const previous = fields.at(-1);
    if (previous && (line.startsWith(' ') || line.startsWith('\t') || continuesEncodedWord(raw, previous, line))) {
      previous.end = lineEnd;
    } else {
      const colon = line.indexOf(':');
      const name = colon > 0 ? line.slice(0, colon).trim().toLowerCase() : '';
      fields.push({ name, start: position, end: lineEnd, value: Buffer.alloc(0) });
    }
    position = lineEnd;
  }
  for (const field of fields) {
    const text = raw.subarray(field.start, field.end).toString('latin1');
    // Unfolding removes the line break and keeps the whitespace after it (RFC 5322 §2.2.3).
    const unfolded = text
      .slice(text.indexOf(':') + 1)
      .replace(/\r?\n$/, '')
      .replace(/\r?\n(?=[ \t])/g, '')
      // A line continued without folding whitespace (continuesEncodedWord) joins as it is.
      .replace(/\r?\n/g, '');
    field.value = Buffer.from(unfolded, 'latin1');
  }
  return { fields, bodyStart, lineEnding };
}

/**
 * A header line that is not a field but the rest of the field before it, continued without the
 * folding whitespace RFC 5322 requires (some gateways): a line with no colon before its first
 * encoded word that starts with one, or that ends an encoded word the line before left open.
 */
function continuesEncodedWord(raw: Buffer, previous: HeaderField, line: string): boolean {
  const colon = line.indexOf(':');
  const word = line.indexOf('=?');
  if (colon !== -1 && (word === -1 || colon < word)) return false;
  if (/^=\?[^?\s]+\?[BbQq]\?/.test(line)) return true;
  const before = raw.subarray(previous.start, previous.end).toString('latin1');
  return /=\?[^?\s]+\?[BbQq]\?[^?\s]*$/.test(before.trimEnd()) && /^[^?\s]*\?=/.test(line);
}

/** One parameter of a structured header, RFC 2231 continuations ignored (boundary and charset never use them). */
export function headerParameter(value: string, name: string): string | null {
  const match = new RegExp(`;\\s*${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i').exec(value);
  if (!match) return null;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : (match[2] ?? null);
}
