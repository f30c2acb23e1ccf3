import type { MimePart } from './mime-prewalk.js';

// Header changes in the parser's copy that make a damaged body readable (found by walkMime)

/** The disposition parameter that tells parseMail an attachment was an inline text part. */
export const INLINE_TEXT_MARK = 'x-pier-inline-text';

/**
 * The value a part's header field takes in the parser's copy:
 * - a "base64" text part holding raw text is read as 8-bit (its charset label still applies);
 * - a multipart without one boundary line is read as text, its charset detected;
 * - an inline text part with a file name becomes an attachment, so it is kept as a file
 *   (parseMail adds its text to the body, where mailparser would have merged it).
 */
export function repairedField(part: MimePart, name: string, value: Buffer, undeclaredLabel: string): Buffer {
  if (part.repair?.kind === 'raw-text' && name === 'content-transfer-encoding') return Buffer.from(' 8bit');
  if (part.repair?.kind === 'multipart-as-text' && name === 'content-type') {
    return Buffer.from(` text/plain; charset="${undeclaredLabel}"`);
  }
  if (part.isNamedInlineText && name === 'content-disposition') {
    return Buffer.from(value.toString('latin1').replace(/^\s*inline/i, ` attachment; ${INLINE_TEXT_MARK}=1`), 'latin1');
  }
  return value;
}
