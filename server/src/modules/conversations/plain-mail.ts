import { createRequire } from 'node:module';
import libmime from 'libmime';
import libqp from 'libqp';
import type { Attachment } from 'mailparser';
import { decodeBodyText } from './body-decoder.js';
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

type Leaf = {
  part: MimePart;
  type: string;
  encoding: string;
  contentType: ReturnType<typeof libmime.parseHeaderValue>;
  /** format=flowed text/plain (RFC 3676), as mailsplit decides it; delSp when DelSp=yes. */
  flowed: { delSp: boolean } | null;
};

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
  const text = shape.text ? readLeaf(shape.text, headerCodec, hint) : null;
  const htmlLeaf = shape.html ? readLeaf(shape.html, headerCodec, hint) : null;
  if ((shape.text && !isBodyText(text, 'text/plain')) || (shape.html && !isBodyText(htmlLeaf, 'text/html'))) return null;
  const files = shape.files.map((part) => readLeaf(part, headerCodec, hint));
  const attachments = files.filter((leaf): leaf is Leaf => leaf !== null && isFile(leaf, headerCodec, hint));
  if (attachments.length !== files.length) return null;

  const textLabel = (leaf: Leaf) =>
    leaf.contentType.params.charset || (leaf.part.fields.some(isContentType) ? 'utf-8' : undeclaredLabel(hint));
  const bodyText = (leaf: Leaf) => withLf(decodeBodyText(unflowed(leaf, transferDecoded(raw, leaf)), textLabel(leaf)));
  const plain = text ? bodyText(text) : '';
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
/** Line breaks as mailparser's text has them; most text has no CR, and is then left as it is. */
const withLf = (text: string) => (text.includes('\r') ? text.replace(/\r?\n/g, '\n') : text);

/** The body's text and HTML parts (one may be missing) and the files, in the order mailparser lists them. */
type Shape = { text: MimePart | null; html: MimePart | null; files: MimePart[] };
type Node = { part: MimePart; children: Node[] };

/**
 * An accepted shape, or null: a body, alone or as the first part of multipart/mixed followed by
 * files. A body is text/plain; alternative(plain, html); related(html or that alternative,
 * inline files); alternative(plain, related(html, inline files)); or, below the root, an HTML
 * part alone (mailparser then leaves the text empty and Pier makes it from the HTML; an HTML
 * root mail's text is mailparser's own conversion, so that one stays with mailparser).
 */
function shapeOf(parts: MimePart[]): Shape | null {
  const root = treeOf(parts);
  if (!root) return null;
  if (root.part.contentType !== 'multipart/mixed') return bodyOf(root, true);
  const [head, ...files] = root.children;
  const body = head ? bodyOf(head, false) : null;
  return body && files.every(isFileNode) ? { ...body, files: [...body.files, ...files.map((file) => file.part)] } : null;
}

function bodyOf(node: Node, isRoot: boolean): Shape | null {
  const type = node.part.contentType;
  // A root without a Content-Type is text/plain (readLeaf and isBodyText check what it is).
  if (isRoot && !type?.startsWith('multipart/')) return { text: node.part, html: null, files: [] };
  if (isLeafNode(node))
    return type === 'text/html' ? { text: null, html: node.part, files: [] } : { text: node.part, html: null, files: [] };
  const [first, second, ...rest] = node.children;
  if (!first) return null;
  if (type === 'multipart/alternative') {
    if (!second || rest.length > 0 || !isLeafNode(first)) return null;
    if (isLeafNode(second)) return { text: first.part, html: second.part, files: [] };
    const rich = second.part.contentType === 'multipart/related' ? relatedHtml(second) : null;
    return rich ? { text: first.part, html: rich.html, files: rich.files } : null;
  }
  if (type !== 'multipart/related') return null;
  if (isLeafNode(first)) return relatedHtml(node);
  const inner = first.part.contentType === 'multipart/alternative' ? bodyOf(first, false) : null;
  const files = node.children.slice(1);
  if (!inner?.text || !inner.html || inner.files.length > 0 || !files.every(isFileNode)) return null;
  return { ...inner, files: files.map((file) => file.part) };
}

/** related(html, inline files…): the HTML and its files. */
function relatedHtml(node: Node): { html: MimePart; files: MimePart[]; text: null } | null {
  const [html, ...files] = node.children;
  if (!html || !isLeafNode(html) || html.part.contentType !== 'text/html' || !files.every(isFileNode)) return null;
  return { text: null, html: html.part, files: files.map((file) => file.part) };
}

/**
 * The walk's flat, document-ordered parts as a tree: a part belongs to the nearest multipart
 * before it whose body holds it. Null when the parts do not nest (nothing to trust then).
 */
function treeOf(parts: MimePart[]): Node | null {
  const [first, ...rest] = parts;
  if (!first) return null;
  const root: Node = { part: first, children: [] };
  const open: Node[] = first.contentType?.startsWith('multipart/') ? [root] : [];
  for (const part of rest) {
    while (open.length > 0 && !holds(open.at(-1) as Node, part)) open.pop();
    const parent = open.at(-1);
    if (!parent) return null;
    const node: Node = { part, children: [] };
    parent.children.push(node);
    if (part.contentType?.startsWith('multipart/')) open.push(node);
  }
  return root;
}

const holds = (parent: Node, part: MimePart) => part.headerStart >= parent.part.headerEnd && part.bodyEnd <= parent.part.bodyEnd;
const isLeafNode = (node: Node) => isSimpleLeaf(node.part);
const isFileNode = (node: Node) => isLeafNode(node) && node.part.contentType !== null;

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
  const { format, delsp } = contentType.params;
  const flowed =
    type === 'text/plain' && format?.toLowerCase().trim() === 'flowed' ? { delSp: delsp?.toLowerCase().trim() === 'yes' } : null;
  return { part, type, encoding, contentType, flowed };
}

/** A body part mailparser reads as text of this type: no disposition, or a bare `inline`. */
function isBodyText(leaf: Leaf | null, type: string): leaf is Leaf {
  if (leaf?.type !== type) return false;
  const disposition = leaf.part.fields.find((field) => field.name === 'content-disposition');
  return !disposition || /^\s*inline\s*$/i.test(disposition.value.toString('latin1'));
}

/**
 * A file mailparser lists as an attachment whatever its disposition (a type that is not text:
 * text types it reads differently), attached or inline: no disposition, `attachment` or `inline`.
 */
function isFile(leaf: Leaf, headerCodec: string, hint: string | null): boolean {
  if (/^(?:multipart|message)\//.test(leaf.type)) return false;
  const hasDisposition = leaf.part.fields.some((field) => field.name === 'content-disposition');
  const value = dispositionOf(leaf.part, headerCodec, hint);
  const disposition = (value?.value || '').toLowerCase().trim();
  // A text file is an attachment for mailparser only when it says so; inline text is body text.
  if (leaf.type.startsWith('text/')) return value !== null && disposition === 'attachment';
  if (!hasDisposition) return true;
  return value !== null && ['attachment', 'inline'].includes(disposition);
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

/** Flowed lines joined as mailsplit's FlowedDecoder does (libmime's decodeFlowed on the bytes, before the charset). */
function unflowed(leaf: Leaf, bytes: Buffer): Buffer {
  return leaf.flowed ? Buffer.from(libmime.decodeFlowed(bytes.toString('binary'), leaf.flowed.delSp), 'binary') : bytes;
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
