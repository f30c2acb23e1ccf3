import { type AddressObject, type Attachment, type EmailAddress, simpleParser } from 'mailparser';
import { BodyDecoder, decodeBody, UNDECLARED_LABEL } from './body-decoder.js';
import { INLINE_TEXT_MARK } from './body-repair.js';
import { decodeUndeclared } from './charset-detection.js';
import { WINDOWS_1252 } from './charsets.js';
import { analyseMail, type MailAnalysis, prepareParserInput } from './header-rewrite.js';
import { htmlToText } from './html-text.js';
import { parseLoosely } from './loose-parse.js';
import { toMailAttachment } from './mail-attachments.js';
import { clean, readTopHeaders } from './mail-headers.js';
import { splitMessage } from './message-identity.js';
import { readPlainMail } from './plain-mail.js';

export type MailAddress = { address: string | null; name: string | null };

export type MailAttachment = {
  filename: string;
  mime: string;
  size: number;
  /** Without angle brackets, the form a `cid:` URL uses. */
  contentId: string | null;
  /** Shown inside the body (inline disposition or referenced by a `cid:` URL in the HTML). */
  isInline: boolean;
  content: Buffer;
};

export type ParsedMail = {
  messageId: string | null;
  from: MailAddress | null;
  to: MailAddress[];
  cc: MailAddress[];
  replyTo: MailAddress[];
  subject: string;
  /** Epoch ms; null when the Date header is missing or unreadable (never "now"). */
  date: number | null;
  inReplyTo: string | null;
  references: string[];
  text: string;
  html: string | null;
  attachments: MailAttachment[];
  /** Raw header values, topmost first; which ones to trust is the caller's decision (RFC 8601 §5). */
  authenticationResults: string[];
  autoSubmitted: string | null;
  precedence: string | null;
  listId: string | null;
  parseStatus: 'ok' | 'partial' | 'failed';
  parseError: string | null;
};

/**
 * Parses raw RFC 5322 bytes. Never throws: a mail mailparser cannot read comes back with
 * parseStatus 'failed', the headers a tolerant split can read and the body decoded as well as
 * detection allows. The caller's bytes are never modified.
 *
 * mailparser gives the MIME structure; the charset decisions are Pier's, because
 * mailparser's own are wrong for Chinese mail in three places (see parse-mail.test.ts):
 * - bodies: libmime maps gb2312/gbk to iconv-lite's GBK codec, which has no GB18030 four-byte
 *   sequences, and cp936/EUC-CN to CP936. The documented `Iconv` option replaces the body
 *   decoder, so every declared body charset goes through resolveCharset() (charsets.ts).
 * - undeclared 8-bit text: header bytes are always read as UTF-8 and a body without a charset
 *   parameter is never decoded at all (nor one labelled utf-8/us-ascii), so raw GBK becomes
 *   U+FFFD. There is no hook for that, so the copy handed to the parser is prepared first
 *   (prepareParserInput in header-rewrite.ts): header text is decoded there and written as UTF-8, and text parts
 *   without a usable label get a Pier label that makes them reach the `Iconv` decoder too.
 * - encoded words: libmime decodes headers with its own alias table (no hook), and cannot
 *   join a character split across a B word and a Q word. The prepared copy carries every run
 *   of encoded words already decoded and re-encoded as one UTF-8 word.
 */
export async function parseMail(raw: Buffer): Promise<ParsedMail> {
  let analysed: MailAnalysis;
  try {
    analysed = analyseMail(raw);
  } catch (error) {
    return parseLoosely(raw, [error instanceof Error ? error.message : String(error)]);
  }
  // The common shapes are read from the walk itself; mailparser reads the rest (decision 0063).
  let plain: ParsedMail | null = null;
  try {
    plain = readPlainMail(raw, analysed);
  } catch {
    plain = null;
  }
  return plain ?? parseWithMailparser(raw, analysed);
}

/** The full reading: mailparser over the prepared copy (exported so tests can hold the short path to it). */
export async function parseWithMailparser(raw: Buffer, analysed: MailAnalysis): Promise<ParsedMail> {
  let issues: string[] = [];
  try {
    const prepared = prepareParserInput(raw, analysed);
    issues = [...prepared.issues];
    const mail = await simpleParser(prepared.input, {
      Iconv: BodyDecoder,
      keepCidLinks: true,
      skipTextToHtml: true,
      skipTextLinks: true,
      skipImageLinks: true,
      checksumAlgo: false,
    });
    const top = readTopHeaders(raw, prepared.headerCodec);
    const html = typeof mail.html === 'string' && mail.html.trim() !== '' ? clean(mail.html) : null;
    const parsedText = [clean(mail.text ?? '').trimEnd(), ...inlineTextFiles(mail.attachments)].filter(Boolean).join('\n\n');
    const text = parsedText.trim() === '' && html ? htmlToText(html) : parsedText || textOfHeaderlessMail(raw, prepared.headerCodec);
    if (mail.textConversionError) issues.push(`html to text: ${mail.textConversionError.message}`);
    return {
      ...top,
      from: addressList(mail.from)[0] ?? top.from,
      to: addressList(mail.to),
      cc: addressList(mail.cc),
      replyTo: addressList(mail.replyTo),
      subject: clean(mail.subject ?? top.subject).trim(),
      text,
      html,
      attachments: mail.attachments.map((attachment, index) => toMailAttachment(attachment, index, html, prepared.headerCodec)),
      parseStatus: issues.length ? 'partial' : 'ok',
      parseError: issues.length ? issues.join('; ').slice(0, 1000) : null,
    };
  } catch (error) {
    return parseLoosely(raw, [...issues, error instanceof Error ? error.message : String(error)]);
  }
}

/** Inline text files (a list.txt shown in the message): their text in the body, as mail clients show it. */
function inlineTextFiles(attachments: Attachment[]): string[] {
  return attachments
    .filter((a) => {
      const disposition = a.headers.get('content-disposition');
      return typeof disposition === 'object' && disposition !== null && 'params' in disposition && INLINE_TEXT_MARK in disposition.params;
    })
    .map((a) => {
      const type = a.headers.get('content-type');
      const params: Record<string, string> =
        typeof type === 'object' && type !== null && 'params' in type ? (type.params as Record<string, string>) : {};
      const charset = params.charset ?? '';
      return clean(decodeBody(a.content, charset || UNDECLARED_LABEL))
        .replace(/\r\n?/g, '\n')
        .trimEnd();
    });
}

function addressList(field: AddressObject | AddressObject[] | undefined): MailAddress[] {
  const groups = Array.isArray(field) ? field : field ? [field] : [];
  const flatten = (entry: EmailAddress): EmailAddress[] => (entry.group ? entry.group.flatMap(flatten) : [entry]);
  return groups
    .flatMap((group) => group.value.flatMap(flatten))
    .map((entry) => ({ address: entry.address ? clean(entry.address).trim().toLowerCase() : null, name: clean(entry.name).trim() || null }))
    .filter((entry) => entry.address !== null || entry.name !== null);
}

/**
 * Random bytes, or text with no header field and no blank line, read as a header would show
 * nothing: shown as the text it is instead (the raw source stays untouched).
 */
function textOfHeaderlessMail(raw: Buffer, headerCodec: string): string {
  const { headers, body } = splitMessage(raw);
  if (headers.size > 0 || body.length > 0) return '';
  return clean(decodeUndeclared(raw, headerCodec === WINDOWS_1252 ? null : headerCodec))
    .replace(/\r\n?/g, '\n')
    .trimEnd();
}
