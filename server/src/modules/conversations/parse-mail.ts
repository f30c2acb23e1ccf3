import { Transform, type TransformCallback } from 'node:stream';
import iconv from 'iconv-lite';
import { type AddressObject, type Attachment, type EmailAddress, simpleParser } from 'mailparser';
import { splitMessage } from './message-identity.js';

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
 *   decoder, so every declared body charset goes through resolveCharset() below.
 * - undeclared 8-bit text: header bytes are always read as UTF-8 and a body without a charset
 *   parameter is never decoded at all (nor one labelled utf-8/us-ascii), so raw GBK becomes
 *   U+FFFD. There is no hook for that, so the copy handed to the parser is prepared first
 *   (prepareParserInput): header text is decoded here and written as UTF-8, and text parts
 *   without a usable label get a Pier label that makes them reach the `Iconv` decoder too.
 * - encoded words: libmime decodes headers with its own alias table (no hook), and cannot
 *   join a character split across a B word and a Q word. The prepared copy carries every run
 *   of encoded words already decoded and re-encoded as one UTF-8 word.
 */
export async function parseMail(raw: Buffer): Promise<ParsedMail> {
  let issues: string[] = [];
  try {
    const prepared = prepareParserInput(raw);
    issues = prepared.issues;
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
    const parsedText = clean(mail.text ?? '').trimEnd();
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

// ---------------------------------------------------------------------------------------------
// Charset labels

const UTF8 = 'utf-8';
const GB18030 = 'gb18030';
const BIG5 = 'big5hkscs';
const WINDOWS_1252 = 'windows-1252';
const ISO_2022_JP = 'iso-2022-jp';

/**
 * Label → decoder, keys compared as iconv-lite compares them (lower case, letters and digits).
 * - GB2312-labelled mail is really GBK, often GB18030 (Outlook, Foxmail, Exmail): GB18030
 *   decodes all of them, so every GB label goes there (mikel/mail #504, osTicket #2000).
 * - Big5-HKSCS is a superset of Big5 (Hong Kong names and Cantonese characters).
 * - iso-8859-1 and us-ascii labels hold windows-1252 in practice (WHATWG Encoding, "latin1").
 * - ks_c_5601-1987 is what Outlook calls CP949; Shift_JIS is Windows-31J (NEC/IBM rows).
 * - UTF-7 is refused (`+ADw-script+AD4-` would become markup): read as UTF-8, it stays literal.
 */
const CHARSET_ALIASES = new Map<string, string>([
  ...aliases(
    GB18030,
    'gb2312 gb231280 gb23121980 gbk xgbk cp936 ms936 windows936 936 euccn xeuccn csgb2312 csiso58gb231280 isoir58 chinese gb18030',
  ),
  ...aliases(BIG5, 'big5 big5hkscs xbig5 cnbig5 csbig5 xxbig5 cp950 ms950 windows950 950'),
  ...aliases(
    WINDOWS_1252,
    'iso88591 latin1 l1 usascii ascii ansix341968 csascii cp819 ibm819 csisolatin1 isoir100 cp1252 xcp1252 windows1252',
  ),
  ...aliases('windows-1254', 'iso88599 latin5 l5 csisolatin5 isoir148'),
  ...aliases('windows-874', 'iso885911 tis620 dos874'),
  ...aliases('cp949', 'ksc56011987 ksc56011989 ksc5601 euckr cseuckr korean windows949 cp949 csksc56011987 isoir149'),
  ...aliases('shiftjis', 'shiftjis sjis xsjis mskanji csshiftjis windows31j ms932 cp932'),
  ...aliases('eucjp', 'eucjp xeucjp cseucpkdfmtjapanese'),
  ...aliases(ISO_2022_JP, 'iso2022jp csiso2022jp jis iso2022jp1 iso2022jp2 iso2022jp3 xiso2022jp'),
  ...aliases(UTF8, 'utf8 unicode11utf8 xunicode20utf8 utf7 utf7imap unicode11utf7 csunicode11utf7'),
]);

function aliases(codec: string, labels: string): [string, string][] {
  return labels.split(' ').map((label) => [label, codec]);
}

/** The decoder for a declared charset label, or null when the label means nothing usable. */
export function resolveCharset(label: string): string | null {
  const key = label
    .replace(/\*.*$/, '') // RFC 2231 §5 language suffix: utf-8*en
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .replace(/^win(?:dows)?(\d{3,4})$/, 'windows$1');
  const known = CHARSET_ALIASES.get(key);
  if (known) return known;
  // Transfer encodings and byte dumps that iconv-lite also accepts as "charsets".
  if (/^(?:base64|hex|binary|ucs2|utf16|utf16le|utf16be|utf32|utf32le|utf32be|cesu8)$/.test(key)) {
    return /^utf(?:16|32)/.test(key) ? key : null;
  }
  return key !== '' && iconv.encodingExists(key) ? key : null;
}

/** Decodes bytes in a resolved charset; never throws. */
export function decodeBytes(bytes: Buffer, codec: string): string {
  if (codec === UTF8) return bytes.toString('utf8');
  if (codec === ISO_2022_JP) return decodeIso2022Jp(bytes);
  try {
    return iconv.decode(bytes, codec);
  } catch {
    return bytes.toString('utf8');
  }
}

/**
 * iconv-lite has no ISO-2022-JP. Its JIS X 0208/0212 and half-width kana map one to one onto
 * EUC-JP bytes, so the escapes are resolved here and EUC-JP decodes the rest; EUC-JP in
 * iconv-lite includes the NEC/IBM rows that Japanese Outlook puts in "ISO-2022-JP" (CP50221).
 */
function decodeIso2022Jp(bytes: Buffer): string {
  // No escape at all but 8-bit bytes: a Shift_JIS body with the wrong label.
  if (!bytes.includes(0x1b) && bytes.some((byte) => byte >= 0x80)) return iconv.decode(bytes, 'shiftjis');
  type Mode = 'ascii' | 'jis0208' | 'jis0212' | 'kana';
  const out: number[] = [];
  let mode: Mode = 'ascii' as Mode;
  let shifted = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] ?? 0;
    if (byte === 0x1b) {
      const sequence = bytes.subarray(i + 1, i + 4).toString('latin1');
      const modes: [string, Mode][] = [
        ['(B', 'ascii'],
        ['(J', 'ascii'],
        ['$@', 'jis0208'],
        ['$B', 'jis0208'],
        ['$(Q', 'jis0208'],
        ['$(O', 'jis0208'],
        ['$(D', 'jis0212'],
        ['(I', 'kana'],
      ];
      const match = modes.find(([prefix]) => sequence.startsWith(prefix));
      if (match) {
        mode = match[1];
        i += match[0].length;
        continue;
      }
    }
    if (byte === 0x0e || byte === 0x0f) {
      shifted = byte === 0x0e;
      continue;
    }
    const current = shifted ? 'kana' : mode;
    if (byte < 0x21 || byte > 0x7e || current === 'ascii') {
      out.push(byte);
    } else if (current === 'kana') {
      out.push(0x8e, byte | 0x80);
    } else {
      const second = bytes[i + 1] ?? 0;
      if (second < 0x21 || second > 0x7e) {
        out.push(byte);
        continue;
      }
      if (current === 'jis0212') out.push(0x8f);
      out.push(byte | 0x80, second | 0x80);
      i++;
    }
  }
  return iconv.decode(Buffer.from(out), 'eucjp');
}

// ---------------------------------------------------------------------------------------------
// Detection, for 8-bit text whose charset was not declared (or was declared as ASCII/UTF-8 and is not)

/**
 * The most frequent characters of Chinese text, simplified and traditional, plus the words of
 * trade mail. Decoded with the wrong one of GB18030 and Big5, Chinese turns into rare
 * characters, so the share of common ones tells which decoding is right.
 */
const COMMON_SIMPLIFIED = new Set(
  '的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服林题建南度统色字请交爱让认算论百义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令德收钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴切随采价格订货样款购询您谢厂装箱柜船期付汇票发票合同客户报价',
);
const COMMON_TRADITIONAL = new Set(
  '的一是不了人我在有他這中大來上國個到說們為子和你地出道也時年得就那要下以生會自著去之過家學對可她裡後小麼心多天而能好都然沒日於起還發成事只作當想看文無開手十用主行方又如前所本見經頭面公同三已老從動兩長知民樣現分將外但身些與高意進把法此實回二理美點月明其種聲全工己話兒者向情部正名定女問力機給等幾很業最間新什打便位因重被走電四第門相次東政海口使教西再平真聽世氣信北少關並內加化由卻代軍產入先山五太水萬市眼體別處總才場師書比住員九笑性通目華報立馬命張活難神數件安表原車白應路期叫死常提感金何更反合放做系計或司利受光王果親界及今京務製解各任至清物台象記邊共風戰乾接它許八特覺望直服林題建南度統色字請交愛讓認算論百義科怎元社術結六功指思非流每青管夫連遠資隊跟帶花快條院變聯言權往展該領傳近留紅治決周保達辦運半候七必城父強步完革深區即求品士轉量空甚眾技輕程告江語英基派滿式李息寫呢識極令德收錢黨倒未持取設始版雙歷越史商千片容研像找友孩站廣改議形委早房音火際則首單導影失拿網香似斯專石若兵弟誰校讀志飛觀爭究包組造落視濟喜離雖壞興切隨採價格訂貨樣款購詢您謝廠裝箱櫃船期付匯票發票合同客戶報價',
);

type DecodingScore = { codec: string; text: string; ideographs: number; common: number; bad: number };

function scoreDecoding(bytes: Buffer, codec: string, common: Set<string>): DecodingScore {
  const text = decodeBytes(bytes, codec);
  let ideographs = 0;
  let hits = 0;
  let bad = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    // U+FFFD: no mapping; private use: GBK's user-defined rows, where Big5 punctuation lands.
    if (code === 0xfffd || (code >= 0xe000 && code <= 0xf8ff) || (code >= 0x80 && code <= 0x9f)) bad++;
    else if ((code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf) || code >= 0x20000) {
      ideographs++;
      if (common.has(char)) hits++;
    }
  }
  return { codec, text, ideographs, common: hits, bad };
}

const UTF8_STRICT = new TextDecoder('utf-8', { fatal: true });

export function isValidUtf8(bytes: Buffer): boolean {
  try {
    UTF8_STRICT.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Which charset 8-bit text without a (usable) label is in: UTF-8 when it is valid UTF-8;
 * else GB18030 or Big5 when one of them decodes it cleanly into common Chinese; else the
 * hint (a charset declared elsewhere in the same mail) when it fits; else windows-1252.
 */
export function detectCharset(bytes: Buffer, hint: string | null = null): string {
  if (isValidUtf8(bytes)) return UTF8;
  const multiByteHint = hint !== null && hint !== UTF8 && !isSingleByte(hint);
  if (multiByteHint && scoreDecoding(bytes, hint, COMMON_SIMPLIFIED).bad === 0) return hint;
  const scores = [scoreDecoding(bytes, GB18030, COMMON_SIMPLIFIED), scoreDecoding(bytes, BIG5, COMMON_TRADITIONAL)].filter(
    (score) => score.ideographs > 0 && score.bad * 30 <= score.ideographs,
  );
  const ratio = (score: DecodingScore) => score.common / score.ideographs;
  const best = scores.sort((a, b) => ratio(b) - ratio(a) || (a.codec === GB18030 ? -1 : 1))[0];
  if (best && ratio(best) >= 0.1) return best.codec;
  // A few characters may hold no common one (a name): then GB2312's shape decides, every
  // 8-bit byte in A1–FE pairs. A lone pair is left out: "Größe" has that shape too.
  const gb = scores.find((score) => score.codec === GB18030);
  if (gb && gb.bad === 0 && gb.ideographs >= 2 && gb.ideographs <= 4 && hasGb2312Shape(bytes)) return GB18030;
  return hint !== null && isSingleByte(hint) ? hint : WINDOWS_1252;
}

const singleByte = new Map<string, boolean>();

/** A single-byte charset decodes each of the 128 high bytes to one character. */
function isSingleByte(codec: string): boolean {
  let known = singleByte.get(codec);
  if (known === undefined) {
    const high = Buffer.from(Array.from({ length: 128 }, (_, i) => 0x80 + i));
    known = codec !== UTF8 && codec !== ISO_2022_JP && [...decodeBytes(high, codec)].length === 128;
    singleByte.set(codec, known);
  }
  return known;
}

function hasGb2312Shape(bytes: Buffer): boolean {
  let run = 0;
  for (const byte of bytes) {
    if (byte >= 0x80) {
      if (byte < 0xa1 || byte === 0xff) return false;
      run++;
    } else {
      if (run % 2 === 1) return false;
      run = 0;
    }
  }
  return run % 2 === 0;
}

/** 8-bit text without a label: detected, with an HTML `<meta charset>` preferred over guessing. */
function decodeUndeclared(bytes: Buffer, hint: string | null): string {
  if (isValidUtf8(bytes)) return bytes.toString('utf8');
  const meta = /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(bytes.subarray(0, 4096).toString('latin1'));
  const declared = meta?.[1] ? resolveCharset(meta[1]) : null;
  if (declared && declared !== UTF8) return decodeBytes(bytes, declared);
  return decodeBytes(bytes, detectCharset(bytes, hint));
}

/**
 * A UTF-8 label is believed while its valid multi-byte characters outnumber its invalid bytes
 * (a stray byte in UTF-8 text stays one U+FFFD); GBK under a UTF-8 label is mostly invalid.
 */
function decodeLabelledUtf8(bytes: Buffer, hint: string | null): string {
  const text = bytes.toString('utf8');
  let valid = 0;
  let invalid = 0;
  for (const char of text) {
    if (char === '\ufffd') invalid++;
    else if (char.charCodeAt(0) >= 0x80) valid++;
  }
  return invalid === 0 || valid > invalid ? text : decodeBytes(bytes, detectCharset(bytes, hint));
}

// ---------------------------------------------------------------------------------------------
// Body decoding: the stream mailparser's `Iconv` option asks for

/** Labels prepareParserInput() puts on text parts mailparser would otherwise read as UTF-8 unchecked. */
const UNDECLARED_LABEL = 'x-pier-undeclared';
const UTF8_LABEL = 'x-pier-utf-8';

/**
 * Stands in for node-iconv's `Iconv` (mailparser's documented hook for body charsets). It
 * collects the whole part before decoding: GB18030 and ISO-2022-JP are stateful across chunk
 * borders, and detection needs all bytes anyway; the whole mail is in memory already.
 */
class BodyDecoder extends Transform {
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
      const bytes = Buffer.concat(this.chunks);
      // Valid UTF-8 under a UTF-8 label or none decodes to itself: no round trip through a string.
      const label = this.label.toLowerCase();
      const isPierLabel = label.startsWith(UTF8_LABEL) || label.startsWith(UNDECLARED_LABEL);
      this.push(isPierLabel && isValidUtf8(bytes) ? bytes : Buffer.from(decodeBody(bytes, this.label), 'utf8'));
      done();
    } catch (error) {
      done(error instanceof Error ? error : new Error(String(error)));
    }
  }
}

function decodeBody(bytes: Buffer, label: string): string {
  const [name = '', hintLabel = ''] = label.toLowerCase().split('+');
  // Resolved again: a label is text from the mail, and UTF-7 must never be chosen as a hint.
  const hint = hintLabel ? resolveCharset(hintLabel) : null;
  if (name === UNDECLARED_LABEL) return decodeUndeclared(bytes, hint);
  if (name === UTF8_LABEL) return decodeLabelledUtf8(bytes, hint);
  const codec = resolveCharset(label);
  return codec ? decodeBytes(bytes, codec) : decodeUndeclared(bytes, null);
}

// ---------------------------------------------------------------------------------------------
// Header text: RFC 2047 encoded words and raw 8-bit bytes

const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?]*)\?=/g;

type HeaderToken = { kind: 'raw'; bytes: Buffer } | { kind: 'words'; codec: string | null; bytes: Buffer };

/**
 * Splits a header value (bytes as latin1) into raw text and runs of encoded words. Whitespace
 * between adjacent encoded words is dropped (RFC 2047 §6.2), and adjacent words in the same
 * charset are joined as bytes before decoding: Outlook and Chinese mailers split a character
 * across two words, which decoding word by word turns into two U+FFFD (neomutt #1015).
 */
function tokeniseHeader(latin1: string): HeaderToken[] {
  const tokens: HeaderToken[] = [];
  let last = 0;
  for (const match of latin1.matchAll(ENCODED_WORD)) {
    const [whole, label = '', encoding = '', payload = ''] = match;
    const gap = latin1.slice(last, match.index);
    const previous = tokens.at(-1);
    const codec = resolveCharset(label);
    const bytes = /^[Bb]$/.test(encoding) ? Buffer.from(payload, 'base64') : decodeQ(payload);
    if (previous?.kind === 'words' && /^[ \t\r\n]*$/.test(gap)) {
      if (previous.codec === codec) previous.bytes = Buffer.concat([previous.bytes, bytes]);
      else tokens.push({ kind: 'words', codec, bytes });
    } else {
      if (gap) tokens.push({ kind: 'raw', bytes: Buffer.from(gap, 'latin1') });
      tokens.push({ kind: 'words', codec, bytes });
    }
    last = match.index + whole.length;
  }
  if (last < latin1.length) tokens.push({ kind: 'raw', bytes: Buffer.from(latin1.slice(last), 'latin1') });
  return tokens;
}

function decodeQ(payload: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < payload.length; i++) {
    const char = payload[i];
    const hex = payload.slice(i + 1, i + 3);
    if (char === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(char === '_' ? 0x20 : payload.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

function decodeToken(token: HeaderToken, rawCodec: string): string {
  if (token.kind === 'raw') {
    return isValidUtf8(token.bytes) ? token.bytes.toString('utf8') : decodeBytes(token.bytes, rawCodec);
  }
  return token.codec ? decodeBytes(token.bytes, token.codec) : decodeUndeclared(token.bytes, null);
}

/**
 * Decodes a header value: encoded words by their own charset, raw 8-bit bytes as UTF-8 when
 * valid (RFC 6532) and otherwise in `rawCodec` (what detection found for the mail's headers).
 */
export function decodeHeaderValue(value: Buffer, rawCodec: string = WINDOWS_1252): string {
  return tokeniseHeader(value.toString('latin1'))
    .map((token) => decodeToken(token, rawCodec))
    .join('');
}

// ---------------------------------------------------------------------------------------------
// A tolerant walk over the MIME tree, for the header blocks only

type HeaderField = { name: string; start: number; end: number; value: Buffer };

type MimePart = {
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

function walkMime(raw: Buffer, start: number, end: number, depth: number, parts: MimePart[], issues: string[]): void {
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

function readHeaderBlock(raw: Buffer, start: number, end: number): { fields: HeaderField[]; bodyStart: number; lineEnding: string } {
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
function headerParameter(value: string, name: string): string | null {
  const match = new RegExp(`;\\s*${name}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]*))`, 'i').exec(value);
  if (!match) return null;
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : (match[2] ?? null);
}

// ---------------------------------------------------------------------------------------------
// The copy handed to mailparser

/** Headers whose text mailparser decodes and Pier uses; the rest keep their encoded words. */
const DECODED_HEADERS = new Set(['subject', 'from', 'sender', 'reply-to', 'to', 'cc', 'bcc', 'content-type', 'content-disposition']);

type PreparedInput = { input: Buffer; issues: string[]; headerCodec: string };

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
export function prepareParserInput(raw: Buffer): PreparedInput {
  const issues: string[] = [];
  const parts: MimePart[] = [];
  walkMime(raw, 0, raw.length, 0, parts, issues);
  if (raw.subarray(0, parts[0]?.headerEnd ?? 0).includes(0)) issues.push('NUL byte in the header');

  const hint = charsetHint(parts);
  const foreign = parts.flatMap((part) => part.fields.map((field) => field.value)).filter((value) => !isValidUtf8(value));
  const headerCodec = foreign.length
    ? detectCharset(Buffer.concat(foreign.flatMap((value) => [value, Buffer.from(' ')])), hint)
    : (hint ?? WINDOWS_1252);

  const edits: { start: number; end: number; bytes: Buffer }[] = [];
  for (const part of parts) {
    const contentType = part.fields.find((field) => field.name === 'content-type');
    for (const field of part.fields) {
      let value = field.value;
      const isDecoded = DECODED_HEADERS.has(field.name);
      if (isDecoded) value = rewriteHeaderText(value, headerCodec);
      else if (!isValidUtf8(value)) value = Buffer.from(decodeBytes(value, headerCodec), 'utf8');
      if (field.name === 'content-type' || field.name === 'content-disposition') value = rewriteRfc2231(value, headerCodec);
      if (field === contentType && part.isText) value = relabelText(value, part.charset, hint);
      if (field.name === '' || value.equals(field.value)) continue;
      // The value keeps its leading space; the field loses its folding, which no parser needs.
      const name = raw.subarray(field.start, raw.indexOf(0x3a, field.start) + 1);
      edits.push({ start: field.start, end: field.end, bytes: Buffer.concat([name, value, Buffer.from(part.lineEnding)]) });
    }
    if (!contentType && part.isText) {
      const line = `Content-Type: text/plain; charset="${undeclaredLabel(hint)}"${part.lineEnding}`;
      edits.push({ start: part.headerStart, end: part.headerStart, bytes: Buffer.from(line) });
    }
  }
  edits.sort((a, b) => a.start - b.start);
  const pieces: Buffer[] = [];
  let position = 0;
  for (const edit of edits) {
    pieces.push(raw.subarray(position, edit.start), edit.bytes);
    position = edit.end;
  }
  pieces.push(raw.subarray(position));
  return { input: Buffer.concat(pieces), issues, headerCodec };
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

function undeclaredLabel(hint: string | null): string {
  return hint ? `${UNDECLARED_LABEL}+${hint}` : UNDECLARED_LABEL;
}

/**
 * Routes the text mailparser would read as UTF-8 unchecked (no label, UTF-8, US-ASCII, or a
 * label nobody knows) to BodyDecoder. Every other label reaches BodyDecoder anyway, except
 * UTF-7, which mailparser refuses to decode by itself.
 */
function relabelText(value: Buffer, charset: string | null, hint: string | null): Buffer {
  const declared = (charset ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');
  const isUtf8 = /^(?:utf8|unicode11utf8|xunicode20utf8)$/.test(declared);
  const isUnread = isUtf8 || declared === '' || declared === 'usascii' || declared === 'ascii' || resolveCharset(declared) === null;
  if (!isUnread) return value;
  const label = isUtf8 ? (hint ? `${UTF8_LABEL}+${hint}` : UTF8_LABEL) : undeclaredLabel(hint);
  const text = value.toString('latin1').replace(/;\s*charset\s*=\s*("[^"]*"|[^;\s]*)/i, '');
  return Buffer.from(`${text.trimEnd()}; charset="${label}"`, 'latin1');
}

// ---------------------------------------------------------------------------------------------
// Turning mailparser's result into Pier's

type TopHeaders = Pick<
  ParsedMail,
  | 'messageId'
  | 'from'
  | 'subject'
  | 'date'
  | 'inReplyTo'
  | 'references'
  | 'authenticationResults'
  | 'autoSubmitted'
  | 'precedence'
  | 'listId'
>;

function readTopHeaders(raw: Buffer, headerCodec: string): TopHeaders {
  const { headers } = splitMessage(raw);
  const all = (name: string) =>
    (headers.get(name) ?? []).map((value) => clean(decodeHeaderValue(Buffer.from(value, 'latin1'), headerCodec)).trim());
  const first = (name: string) => all(name)[0] || null;
  const references = messageIds(all('references').join(' '));
  return {
    messageId: messageIds(first('message-id') ?? '')[0] ?? null,
    from: looseAddresses(first('from') ?? '')[0] ?? null,
    subject: first('subject') ?? '',
    date: parseDate(first('date')),
    inReplyTo: messageIds(first('in-reply-to') ?? '')[0] ?? null,
    references,
    authenticationResults: all('authentication-results'),
    autoSubmitted: first('auto-submitted'),
    precedence: first('precedence'),
    listId: first('list-id'),
  };
}

/** Message-IDs with angle brackets, as mailparser gives them; a bare id is wrapped. */
function messageIds(value: string): string[] {
  const bracketed = value.match(/<[^<>\s]+>/g);
  if (bracketed) return bracketed;
  return value
    .split(/[\s,]+/)
    .filter((id) => id.includes('@'))
    .map((id) => `<${id}>`);
}

function parseDate(value: string | null): number | null {
  if (!value) return null;
  // Comments such as "(CST)" or "(China Standard Time)" are not part of the date (RFC 5322 §3.3).
  const time = Date.parse(value.replace(/\([^)]*\)/g, ' ').trim());
  return Number.isNaN(time) ? null : time;
}

function addressList(field: AddressObject | AddressObject[] | undefined): MailAddress[] {
  const groups = Array.isArray(field) ? field : field ? [field] : [];
  const flatten = (entry: EmailAddress): EmailAddress[] => (entry.group ? entry.group.flatMap(flatten) : [entry]);
  return groups
    .flatMap((group) => group.value.flatMap(flatten))
    .map((entry) => ({ address: entry.address ? clean(entry.address).trim().toLowerCase() : null, name: clean(entry.name).trim() || null }))
    .filter((entry) => entry.address !== null || entry.name !== null);
}

function toMailAttachment(attachment: Attachment, index: number, html: string | null, headerCodec: string): MailAttachment {
  const mime = attachment.contentType.toLowerCase();
  const contentId = attachment.cid ? clean(attachment.cid).trim() || null : null;
  const isReferenced = contentId !== null && (html?.toLowerCase().includes(`cid:${contentId.toLowerCase()}`) ?? false);
  return {
    filename: attachmentName(attachment, index, mime, headerCodec),
    mime,
    size: attachment.content.length,
    contentId,
    isInline: attachment.contentDisposition === 'inline' || isReferenced,
    content: attachment.content,
  };
}

function attachmentName(attachment: Attachment, index: number, mime: string, headerCodec: string): string {
  // Outlook sends "C:\Users\…\file.pdf" now and then: only the last segment is a file name.
  const given = clean(attachment.filename ?? '')
    .split(/[\\/]/)
    .pop()
    ?.replace(/\p{Cc}/gu, '')
    .trim();
  if (given) return given.slice(0, 255);
  if (mime === 'message/rfc822' || mime === 'message/global') {
    const subject = readTopHeaders(attachment.content, headerCodec)
      // Characters Windows refuses in file names.
      .subject.replace(/[\\/:*?"<>|\p{Cc}]/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 200);
    if (subject) return `${subject}.eml`;
  }
  return `attachment-${index + 1}.${extensionFor(mime)}`;
}

const EXTENSIONS: Record<string, string> = {
  'application/pdf': 'pdf',
  'application/zip': 'zip',
  'application/x-zip-compressed': 'zip',
  'application/x-rar-compressed': 'rar',
  'application/vnd.rar': 'rar',
  'application/x-7z-compressed': '7z',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.ms-powerpoint': 'ppt',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'application/json': 'json',
  'application/xml': 'xml',
  'application/pkcs7-signature': 'p7s',
  'application/x-pkcs7-signature': 'p7s',
  'application/pgp-signature': 'asc',
  'application/ms-tnef': 'dat',
  'application/octet-stream': 'bin',
  'image/jpeg': 'jpg',
  'image/svg+xml': 'svg',
  'image/tiff': 'tif',
  'image/x-icon': 'ico',
  'text/plain': 'txt',
  'text/html': 'html',
  'text/calendar': 'ics',
  'text/csv': 'csv',
  'text/xml': 'xml',
  'message/rfc822': 'eml',
  'message/global': 'eml',
  'message/delivery-status': 'txt',
  'message/disposition-notification': 'txt',
  'audio/mpeg': 'mp3',
  'video/quicktime': 'mov',
};

function extensionFor(mime: string): string {
  const known = EXTENSIONS[mime];
  if (known) return known;
  const subtype = mime.split('/')[1] ?? '';
  return /^[a-z0-9]{2,5}$/.test(subtype) ? subtype : 'bin';
}

/** PostgreSQL text cannot hold NUL, and no reader needs it. */
function clean(text: string): string {
  return text.replaceAll('\u0000', '');
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

// ---------------------------------------------------------------------------------------------
// When mailparser fails

function parseLoosely(raw: Buffer, issues: string[]): ParsedMail {
  try {
    const { headers, body } = splitMessage(raw);
    const foreign = [...headers.values()]
      .flat()
      .map((value) => Buffer.from(value, 'latin1'))
      .filter((value) => !isValidUtf8(value));
    const headerCodec = foreign.length ? detectCharset(Buffer.concat(foreign)) : WINDOWS_1252;
    const top = readTopHeaders(raw, headerCodec);
    const addresses = (name: string) =>
      (headers.get(name) ?? []).flatMap((value) => looseAddresses(decodeHeaderValue(Buffer.from(value, 'latin1'), headerCodec)));
    const bytes = body.length > 0 ? body : raw;
    return {
      ...top,
      to: addresses('to'),
      cc: addresses('cc'),
      replyTo: addresses('reply-to'),
      text: clean(decodeUndeclared(bytes, headerCodec === WINDOWS_1252 ? null : headerCodec)).trimEnd(),
      html: null,
      attachments: [],
      parseStatus: 'failed',
      parseError: issues.join('; ').slice(0, 1000),
    };
  } catch (error) {
    return {
      messageId: null,
      from: null,
      to: [],
      cc: [],
      replyTo: [],
      subject: '',
      date: null,
      inReplyTo: null,
      references: [],
      text: clean(decodeUndeclared(raw, null)).trimEnd(),
      html: null,
      attachments: [],
      authenticationResults: [],
      autoSubmitted: null,
      precedence: null,
      listId: null,
      parseStatus: 'failed',
      parseError: [...issues, error instanceof Error ? error.message : String(error)].join('; ').slice(0, 1000),
    };
  }
}

/** A forgiving address-list reader for decoded header text: `Name <a@b>`, `"Last, First" <a@b>`, `a@b`. */
function looseAddresses(value: string): MailAddress[] {
  const entries: string[] = [];
  let current = '';
  let quoted = false;
  let angle = 0;
  for (const char of value) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && char === '<') angle++;
    else if (!quoted && char === '>') angle = Math.max(0, angle - 1);
    if (char === ',' && !quoted && angle === 0) {
      entries.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  entries.push(current);
  return entries
    .map((entry) => {
      const angled = /^(.*)<([^<>]*)>\s*$/.exec(entry.trim());
      const address = (angled ? (angled[2] ?? '') : entry).trim();
      const name = (angled ? (angled[1] ?? '') : '')
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .trim();
      return {
        address: address.includes('@') ? address.toLowerCase() : null,
        name: name || (address.includes('@') ? null : address || null),
      };
    })
    .filter((entry) => entry.address !== null || entry.name !== null);
}

// ---------------------------------------------------------------------------------------------
// HTML → text, for mails with no text part

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ensp: ' ',
  emsp: ' ',
  thinsp: ' ',
  shy: '',
  zwnj: '',
  zwj: '',
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  bull: '•',
  middot: '·',
  deg: '°',
  plusmn: '±',
  times: '×',
  divide: '÷',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  sect: '§',
  para: '¶',
  iexcl: '¡',
  iquest: '¿',
};

/** Block elements become line breaks, scripts and styles vanish, entities are decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style|head|title|template)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<br\b[^>]*>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '\n- ')
    .replace(/<\/?(?:p|div|h[1-6]|tr|table|ul|ol|blockquote|pre|section|article|header|footer|hr)\b[^>]*>/gi, '\n')
    .replace(/<\/t[dh]\s*>/gi, ' ')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (entity, name: string) => {
      if (name.startsWith('#')) {
        const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
        return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : entity;
      }
      return ENTITIES[name.toLowerCase()] ?? entity;
    })
    .replace(/\u00a0/g, ' ')
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
