import iconv from 'iconv-lite';

// Charset labels: which decoder a declared label means, and decoding bytes with it.

export const UTF8 = 'utf-8';
export const GB18030 = 'gb18030';
export const BIG5 = 'big5hkscs';
export const WINDOWS_1252 = 'windows-1252';
export const ISO_2022_JP = 'iso-2022-jp';
export const UTF7 = 'utf7';

/**
 * Label → decoder, keys compared as iconv-lite compares them (lower case, letters and digits).
 * - GB2312-labelled mail is really GBK, often GB18030 (Outlook, Foxmail, Exmail): GB18030
 *   decodes all of them, so every GB label goes there (mikel/mail #504, osTicket #2000).
 * - Big5-HKSCS is a superset of Big5 (Hong Kong names and Cantonese characters).
 * - iso-8859-1 and us-ascii labels hold windows-1252 in practice (WHATWG Encoding, "latin1").
 * - ks_c_5601-1987 is what Outlook calls CP949; Shift_JIS is Windows-31J (NEC/IBM rows).
 * - UTF-7 is decoded (`Fr+APY-sche`). Its old danger, `+ADw-script+AD4-` turning into markup,
 *   was a browser reading UTF-7 pages; Pier stores the decoded text and sanitises HTML after
 *   decoding like any other (reading/sanitize-html.ts). It is never used as a guess (decodeBody).
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
  ...aliases(UTF8, 'utf8 unicode11utf8 xunicode20utf8'),
  ...aliases(UTF7, 'utf7 unicode11utf7 csunicode11utf7'),
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
