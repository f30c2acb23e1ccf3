import { createRequire } from 'node:module';
import libmime from 'libmime';
import libqp from 'libqp';
import type { Attachment } from 'mailparser';
import { decodeBodyToUtf8 } from './body-decoder.js';
import { type MailAnalysis, rewriteField, undeclaredLabel } from './header-rewrite.js';
import { htmlToText } from './html-text.js';
import { toMailAttachment } from './mail-attachments.js';
import { clean, readTopHeaders } from './mail-headers.js';
import type { HeaderField, MimePart } from './mime-prewalk.js';
import type { MailAddress, ParsedMail } from './parse-mail.js';

// The common mail read straight from the tolerant walk, without mailparser (decision 0063)

/** The address parser mailparser itself uses (its own copy of nodemailer's), so both paths read addresses alike. */
const addressparser: (value: string) => ParsedAddress[] = createRequire(import.meta.resolve('mailparser'))('nodemailer/lib/addressparser');
type ParsedAddress = { name?: string; address?: string; group?: ParsedAddress[] };

/** Header blocks larger than this are left to mailparser, which refuses those over 1 MB (maxHeadSize). */
const MAX_HEADER_BLOCK = 256 * 1024;
const PLAIN_ENCODINGS = new Set(['', '7bit', '8bit', 'binary', 'base64', 'quoted-printable']);
const ADDRESS_FIELDS = ['from', 'to', 'cc', 'reply-to'] as const;
/** Root fields mailparser reads: one of each, or its reading (lists of repeats) is left to it. */
const SINGLE_FIELDS = new Set([
  'from',
  'to',
  'cc',
  'reply-to',
  'subject',
  'content-type',
  'content-disposition',
  'content-transfer-encoding',
]);

type Leaf = { part: MimePart; type: string; encoding: string; contentType: ReturnType<typeof libmime.parseHeaderValue> };

/**
 * Reads the shapes almost all business mail has — one text/plain part, text and HTML
 * alternatives, either followed by attached files — from the parts walkMime already found: the
 * bodies are decoded in place (native base64), with the same charset decisions as the
 * mailparser path (BodyDecoder's) and the same header handling (the rewritten fields, libmime,
 * mailparser's address parser). Anything else, or anything the walk noticed (a repair, an
 * issue), answers null and goes through mailparser: this path is a shortcut, never a second
 * reading. plain-mail.test.ts holds both paths equal on every fixture and the bench corpus.
 */
export function readPlainMail(raw: Buffer, analysed: MailAnalysis): ParsedMail | null {
  const { parts, issues, hint, headerCodec } = analysed;
  const root = parts[0];
  if (!root || issues.length > 0 || root.fields.length === 0) return null;
  // Repairs are the parser copy's business; a header block near mailparser's 1 MB limit is refused there.
  if (parts.some((part) => part.repair || part.isNamedInlineText || part.headerEnd - part.headerStart > MAX_HEADER_BLOCK)) return null;
  const seen = new Set<string>();
  for (const field of root.fields) {
    if (field.name === '') return null;
    if (SINGLE_FIELDS.has(field.name)) {
      if (seen.has(field.name)) return null;
      seen.add(field.name);
    }
  }
  const addresses = readAddresses(root, headerCodec, hint);
  if (!addresses) return null;
  const shape = shapeOf(parts);
  if (!shape) return null;
  const text = readLeaf(shape.text, headerCodec, hint);
  const htmlLeaf = shape.html ? readLeaf(shape.html, headerCodec, hint) : null;
  const files = shape.files.map((part) => readLeaf(part, headerCodec, hint));
  if (!isBodyText(text, 'text/plain') || (shape.html && !isBodyText(htmlLeaf, 'text/html'))) return null;
  const attachments = files.filter((leaf): leaf is Leaf => leaf !== null && isAttachment(leaf, headerCodec, hint));
  if (attachments.length !== files.length) return null;

  const textLabel = (leaf: Leaf) =>
    leaf.contentType.params.charset || (leaf.part.fields.some(isContentType) ? 'utf-8' : undeclaredLabel(hint));
  const bodyText = (leaf: Leaf) => decodeBodyToUtf8(transferDecoded(raw, leaf), textLabel(leaf)).toString().replace(/\r?\n/g, '\n');
  const plain = bodyText(text);
  const htmlSource = htmlLeaf ? bodyText(htmlLeaf) : '';
  const html = htmlSource.trim() !== '' ? clean(htmlSource) : null;
  const parsedText = clean(plain).trimEnd();
  const top = readTopHeaders(raw, headerCodec);
  const mailAttachments = attachments.map((leaf, index) =>
    toMailAttachment(attachmentOf(raw, leaf, headerCodec, hint), index, html, headerCodec),
  );
  return {
    ...top,
    from: addresses.from[0] ?? top.from,
    to: addresses.to,
    cc: addresses.cc,
    replyTo: addresses['reply-to'],
    subject: subjectOf(root, headerCodec, hint) ?? top.subject,
    text: parsedText.trim() === '' && html ? htmlToText(html) : parsedText,
    html,
    attachments: mailAttachments,
    parseStatus: 'ok',
    parseError: null,
  };
}

const isContentType = (field: HeaderField) => field.name === 'content-type';

type Shape = { text: MimePart; html: MimePart | null; files: MimePart[] };

/** An accepted shape, or null: text/plain; alternative(plain, html); mixed(either, files…). */
function shapeOf(parts: MimePart[]): Shape | null {
  const [root, ...below] = parts;
  if (!root) return null;
  if (!root.contentType?.startsWith('multipart/')) return below.length === 0 ? { text: root, html: null, files: [] } : null;
  if (root.contentType === 'multipart/alternative') {
    const [plain, html, ...more] = below;
    return plain && html && more.length === 0 && isSimpleLeaf(plain) && isSimpleLeaf(html) ? { text: plain, html, files: [] } : null;
  }
  if (root.contentType !== 'multipart/mixed') return null;
  const [head, ...more] = below;
  if (head?.contentType === 'multipart/alternative') {
    const [plain, html, ...files] = more;
    if (!plain || !html || !isSimpleLeaf(plain) || !isSimpleLeaf(html) || html.bodyEnd > head.bodyEnd) return null;
    if (files.some((file) => !isSimpleLeaf(file) || file.headerStart < head.bodyEnd)) return null;
    return { text: plain, html, files };
  }
  return head && isSimpleLeaf(head) && more.every(isSimpleLeaf) ? { text: head, html: null, files: more } : null;
}

const isSimpleLeaf = (part: MimePart | undefined) =>
  part !== undefined && part.contentType !== null && !/^(?:multipart|message)\//.test(part.contentType);

function readLeaf(part: MimePart, headerCodec: string, hint: string | null): Leaf | null {
  const field = (name: string) => part.fields.find((candidate) => candidate.name === name);
  const typeField = field('content-type');
  const typeValue = typeField ? rewriteField(part, typeField, true, headerCodec, hint) : Buffer.from('text/plain');
  // Non-ASCII left in a structured field is read by mailsplit as latin1 text: mailparser's business.
  if (typeValue.some((byte) => byte > 0x7e)) return null;
  const contentType = libmime.parseHeaderValue(typeValue.toString('latin1'), { stripComments: true });
  const type = (contentType.value || '').toLowerCase().trim();
  const encoding = (field('content-transfer-encoding')?.value.toString('latin1') ?? '').toLowerCase().trim();
  if (!PLAIN_ENCODINGS.has(encoding) || /[()"]/.test(encoding)) return null;
  if (type === 'text/plain' && /flowed/i.test(contentType.params.format ?? '')) return null;
  return { part, type, encoding, contentType };
}

/** A body part mailparser reads as text of this type: no disposition, or a bare `inline`. */
function isBodyText(leaf: Leaf | null, type: string): leaf is Leaf {
  if (leaf?.type !== type) return false;
  const disposition = leaf.part.fields.find((field) => field.name === 'content-disposition');
  return !disposition || /^\s*inline\s*$/i.test(disposition.value.toString('latin1'));
}

/** An attached file, exactly: `attachment` disposition, a type that is not text (mailparser reads those differently). */
function isAttachment(leaf: Leaf, headerCodec: string, hint: string | null): boolean {
  const value = dispositionOf(leaf.part, headerCodec, hint);
  return value !== null && (value.value || '').toLowerCase().trim() === 'attachment' && !leaf.type.startsWith('text/');
}

/** The rewritten Content-Disposition as mailsplit parses it; null when there is none or it is not ASCII. */
function dispositionOf(part: MimePart, headerCodec: string, hint: string | null) {
  const field = part.fields.find((candidate) => candidate.name === 'content-disposition');
  if (!field) return null;
  const value = rewriteField(part, field, false, headerCodec, hint);
  if (value.some((byte) => byte > 0x7e)) return null;
  return libmime.parseHeaderValue(value.toString('latin1'), { stripComments: true });
}

function transferDecoded(raw: Buffer, leaf: Leaf): Buffer {
  const body = raw.subarray(leaf.part.headerEnd, leaf.part.bodyEnd);
  // walkMime found this base64 clean, where Node's native decoder and libbase64 agree.
  if (leaf.encoding === 'base64') return Buffer.from(body.toString('latin1'), 'base64');
  if (leaf.encoding === 'quoted-printable') return libqp.decode(body);
  return body;
}

/** mailparser's Attachment, as much of it as toMailAttachment reads, from the same header readings mailsplit makes. */
function attachmentOf(raw: Buffer, leaf: Leaf, headerCodec: string, hint: string | null): Attachment {
  const part = leaf.part;
  const disposition = dispositionOf(part, headerCodec, hint) ?? libmime.parseHeaderValue('', { stripComments: true });
  const dispositionValue = libmime.decodeWords((disposition.value || '').toLowerCase().trim());
  let filename: string = disposition.params.filename || leaf.contentType.params.name || '';
  const decoded = disposition.params.filename
    ? disposition.decodedParams?.includes('filename')
    : leaf.contentType.decodedParams?.includes('name');
  if (filename && !decoded) filename = libmime.decodeWords(filename);
  const idField = part.fields.find((field) => field.name === 'content-id');
  const contentId = idField ? rewriteField(part, idField, false, headerCodec, hint).toString('utf8').trim() : undefined;
  const contentType =
    leaf.type === 'application/octet-stream' && filename ? libmime.detectMimeType(filename) || 'application/octet-stream' : leaf.type;
  return {
    contentType,
    contentDisposition: dispositionValue,
    filename: filename || undefined,
    cid: contentId ? contentId.replace(/^<|>$/g, '').trim() : undefined,
    content: transferDecoded(raw, leaf),
  } as Attachment;
}

/** from, to, cc and reply-to as mailparser reads them from the rewritten fields; null when one holds what only it should judge. */
function readAddresses(
  root: MimePart,
  headerCodec: string,
  hint: string | null,
): Record<(typeof ADDRESS_FIELDS)[number], MailAddress[]> | null {
  const result = { from: [], to: [], cc: [], 'reply-to': [] } as Record<(typeof ADDRESS_FIELDS)[number], MailAddress[]>;
  for (const name of ADDRESS_FIELDS) {
    const field = root.fields.find((candidate) => candidate.name === name);
    if (!field) continue;
    const value = rewriteField(root, field, false, headerCodec, hint).toString('utf8').trim();
    const list = addressparser(value);
    const flat: ParsedAddress[] = [];
    const flatten = (entry: ParsedAddress) => (entry.group ? entry.group.forEach(flatten) : flat.push(entry));
    list.forEach(flatten);
    // Encoded words inside an address and IDN domains have mailparser's own rules.
    if (flat.some((entry) => /=\?|@xn--/i.test(entry.address ?? ''))) return null;
    result[name] = flat
      .map((entry) => {
        const display = (entry.name || '').toString().trim();
        return {
          address: entry.address ? clean(entry.address).trim().toLowerCase() : null,
          name: clean(display ? libmime.decodeWords(display) : '').trim() || null,
        };
      })
      .filter((entry) => entry.address !== null || entry.name !== null);
  }
  return result;
}

/** The Subject as mailparser reads the rewritten field (libmime's decodeWords over its UTF-8 text). */
function subjectOf(root: MimePart, headerCodec: string, hint: string | null): string | null {
  const field = root.fields.find((candidate) => candidate.name === 'subject');
  if (!field) return null;
  return clean(libmime.decodeWords(rewriteField(root, field, false, headerCodec, hint).toString('utf8').trim())).trim();
}
