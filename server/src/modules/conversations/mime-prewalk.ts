// A tolerant walk over the MIME tree, for the header blocks only

export type HeaderField = { name: string; start: number; end: number; value: Buffer };

export type MimePart = {
  headerStart: number;
  headerEnd: number;
  lineEnding: string;
  fields: HeaderField[];
  contentType: string | null;
  charset: string | null;
  isText: boolean;
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
  parts.push({ headerStart: start, headerEnd: bodyStart, lineEnding, fields, contentType, charset, isText });

  if (contentType?.startsWith('multipart/')) {
    const boundary = contentTypeValue ? headerParameter(contentTypeValue, 'boundary') : null;
    if (!boundary) {
      issues.push(`${contentType} without boundary`);
      return;
    }
    walkMultipart(raw, bodyStart, end, boundary.trimEnd(), depth, parts, issues);
  } else if (contentType === 'message/rfc822' && disposition === 'inline' && ['', '7bit', '8bit', 'binary'].includes(transferEncoding)) {
    // Only an inline message is parsed by mailparser (as mailsplit decides); an attached one
    // stays untouched, so its bytes reach the caller exactly as they arrived.
    walkMime(raw, bodyStart, end, depth + 1, parts, issues);
  } else if (transferEncoding === 'base64') {
    // Decoders skip what is not base64; the reader should still know bytes were dropped.
    if (!isCleanBase64(raw, bodyStart, end)) {
      issues.push(`invalid base64 in ${contentType ?? 'text/plain'} part`);
    }
  }
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
): void {
  // Searched in the bytes, not in a string copy: a big attachment deep in the tree would
  // otherwise be copied once per level.
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  let partStart: number | null = null;
  let closed = false;
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
  if (!closed) issues.push('multipart without closing boundary (truncated mail?)');
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
    if ((line.startsWith(' ') || line.startsWith('\t')) && previous) {
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
      .replace(/\r?\n(?=[ \t])/g, '')
      .replace(/\r?\n$/, '');
    field.value = Buffer.from(unfolded, 'latin1');
  }
  return { fields, bodyStart, lineEnding };
}

/** One parameter of a structured header, RFC 2231 continuations ignored (boundary and charset never use them). */
export function headerParameter(value: string, name: string): string | null {
  const match = new RegExp(`;\\s*${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i').exec(value);
  if (!match) return null;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : (match[2] ?? null);
}
