import { Transform, type TransformCallback } from 'node:stream';
import { decodeCheckedCjk, decodeLabelledUtf8, decodeUndeclared, isValidUtf8 } from './charset-detection.js';
import { decodeBytes, resolveCharset, UTF7 } from './charsets.js';

// Body decoding: the stream mailparser's `Iconv` option asks for

/** Labels prepareParserInput() puts on text parts mailparser would otherwise read as UTF-8 unchecked. */
export const UNDECLARED_LABEL = 'x-pier-undeclared';
export const UTF8_LABEL = 'x-pier-utf-8';
/** UTF-7, which mailparser would otherwise leave undecoded instead of asking BodyDecoder. */
export const UTF7_LABEL = 'x-pier-utf-7';

/**
 * Stands in for node-iconv's `Iconv` (mailparser's documented hook for body charsets). It
 * collects the whole part before decoding: GB18030 and ISO-2022-JP are stateful across chunk
 * borders, and detection needs all bytes anyway; the whole mail is in memory already.
 */
export class BodyDecoder extends Transform {
  private readonly chunks: Buffer[] = [];

  constructor(
    private readonly label: string,
    _toCharset?: string,
  ) {
    super();
  }

  override _transform(chunk: Buffer | string, _encoding: BufferEncoding, done: TransformCallback): void {
    this.chunks.push(Buffer.from(chunk));
    done();
  }

  override _flush(done: TransformCallback): void {
    try {
      this.push(decodeBodyToUtf8(Buffer.concat(this.chunks), this.label));
      done();
    } catch (error) {
      done(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

/** A text body as UTF-8 bytes: valid UTF-8 under a UTF-8 label or none decodes to itself, with no round trip through a string. */
export function decodeBodyToUtf8(bytes: Buffer, label: string): Buffer {
  return isUtf8AsItIs(bytes, label) ? bytes : Buffer.from(decodeBody(bytes, label), 'utf8');
}

/**
 * The text mailparser reads from decodeBodyToUtf8's bytes, without the bytes: the short path's
 * body (plain-mail.ts). toWellFormed is what the UTF-8 round trip does to a lone surrogate.
 */
export function decodeBodyText(bytes: Buffer, label: string): string {
  return isUtf8AsItIs(bytes, label) ? bytes.toString('utf8') : wellFormed(decodeBody(bytes, label));
}

/** String.prototype.toWellFormed (ES2024, in Node 20; the project's lib is ES2023). */
const wellFormed = (text: string): string => (text as string & { toWellFormed(): string }).toWellFormed();

function isUtf8AsItIs(bytes: Buffer, label: string): boolean {
  const lower = label.toLowerCase();
  return (lower.startsWith(UTF8_LABEL) || lower.startsWith(UNDECLARED_LABEL)) && isValidUtf8(bytes);
}

export function decodeBody(bytes: Buffer, label: string): string {
  const [name = '', hintLabel = ''] = label.toLowerCase().split('+');
  // Resolved again: a label is text from the mail, and UTF-7 must never be chosen as a hint.
  const resolvedHint = hintLabel ? resolveCharset(hintLabel) : null;
  const hint = resolvedHint === UTF7 ? null : resolvedHint;
  if (name === UNDECLARED_LABEL) return decodeUndeclared(bytes, hint);
  if (name === UTF8_LABEL) return decodeLabelledUtf8(bytes, hint);
  if (name === UTF7_LABEL) return decodeBytes(bytes, UTF7);
  const codec = resolveCharset(label);
  // A declared Chinese, Japanese or Korean charset is checked against the bytes (big5 on GB2312).
  return codec ? decodeCheckedCjk(bytes, codec) : decodeUndeclared(bytes, null);
}
