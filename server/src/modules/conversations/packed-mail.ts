import type { IndexTexts } from '../search/index-texts.js';
import type { PreparedMail } from './prepare-mail.js';
import { snippetOf } from './snippet.js';

/**
 * A prepared mail as a prepare worker sends it back (decision 0077): the three long texts (body
 * text, HTML, the index's body text) as UTF-8 in one buffer moved with the reply, not as strings.
 * Cloning those strings cost the main thread ~0.14 CPU s per 1,000 mails (deserialising ~35 KB a
 * mail and collecting it), and SQLite wants UTF-8 anyway: the bytes are bound as they are.
 */
export type PackedMail = Omit<PreparedMail, 'parsed' | 'indexTexts'> & {
  parsed: Omit<PreparedMail['parsed'], 'text' | 'html'>;
  indexTexts: Omit<IndexTexts, 'body'>;
  /** The list line's excerpt, made from the text before it was packed. */
  snippet: string;
  /** Byte lengths of text, HTML (null: none) and index body, in that order in `bytes`. */
  longTexts: { bytes: ArrayBuffer; text: number; html: number | null; indexBody: number };
};

/** What storing accepts: prepared here (strings) or by a worker (packed). */
export type StorableMail = PreparedMail | PackedMail;

/** No lone surrogate (Node 20 has the method; the ES2023 lib the project compiles against does not name it). */
const wellFormed = (text: string) => (text as string & { isWellFormed(): boolean }).isWellFormed();

/** A long text as storing binds it: a string, or UTF-8 bytes (SQLite only, see longTextsOf). */
export type LongText = string | Buffer;

/**
 * The worker side: the mail packed, and the one buffer to move with it. A text with a lone
 * surrogate (a malformed UTF-16 or UTF-7 part, say) is not packed: UTF-8 encoding makes it U+FFFD,
 * where better-sqlite3 binds the string's surrogate bytes as they are, so the stored text would differ.
 */
export function packMail(mail: PreparedMail): { packed: StorableMail; transfer: ArrayBuffer[] } {
  const { text, html, ...parsed } = mail.parsed;
  const { body, ...indexTexts } = mail.indexTexts;
  if (!wellFormed(text) || !wellFormed(html ?? '') || !wellFormed(body)) return { packed: mail, transfer: [] };
  const sizes = [Buffer.byteLength(text), html === null ? 0 : Buffer.byteLength(html), Buffer.byteLength(body)] as const;
  // Not from Node's shared pool: the whole ArrayBuffer is moved, so it must be this mail's alone.
  const bytes = Buffer.allocUnsafeSlow(sizes[0] + sizes[1] + sizes[2]);
  bytes.write(text, 0);
  if (html !== null) bytes.write(html, sizes[0]);
  bytes.write(body, sizes[0] + sizes[1]);
  const packed: PackedMail = {
    ...mail,
    parsed,
    indexTexts,
    snippet: snippetOf(text),
    longTexts: { bytes: bytes.buffer as ArrayBuffer, text: sizes[0], html: html === null ? null : sizes[1], indexBody: sizes[2] },
  };
  return { packed, transfer: [bytes.buffer as ArrayBuffer] };
}

/**
 * A mail's long texts and snippet for its rows. Packed texts stay UTF-8 bytes on SQLite (bound with
 * `cast(? as text)`, which stores the same TEXT value the string would) and are decoded for
 * PostgreSQL, whose driver would send bytes as bytea.
 */
export function longTextsOf(
  mail: StorableMail,
  engine: 'sqlite' | 'postgres',
): { text: LongText; html: LongText | null; indexBody: LongText; snippet: string } {
  if (!('longTexts' in mail)) {
    return { text: mail.parsed.text, html: mail.parsed.html, indexBody: mail.indexTexts.body, snippet: snippetOf(mail.parsed.text) };
  }
  const { bytes, text, html, indexBody } = mail.longTexts;
  const htmlSize = html ?? 0;
  const part = (offset: number, size: number) => {
    const view = Buffer.from(bytes, offset, size);
    return engine === 'sqlite' ? view : view.toString('utf8');
  };
  return {
    text: part(0, text),
    html: html === null ? null : part(text, htmlSize),
    indexBody: part(text + htmlSize, indexBody),
    snippet: mail.snippet,
  };
}
