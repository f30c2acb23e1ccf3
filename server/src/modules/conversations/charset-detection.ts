import { isAscii, isUtf8 } from 'node:buffer';
import { BIG5, decodeBytes, GB18030, ISO_2022_JP, resolveCharset, UTF8, WINDOWS_1252 } from './charsets.js';

const CJK_CODECS = new Set([GB18030, BIG5, 'shiftjis', 'eucjp', 'cp949']);

// Detection, for 8-bit text whose charset was not declared (or was declared as ASCII/UTF-8 and is not)

/**
 * The most frequent characters of Chinese text, simplified and traditional, plus the words of
 * trade mail. Decoded with the wrong one of GB18030 and Big5, Chinese turns into rare
 * characters, so the share of common ones tells which decoding is right.
 */
const COMMON_SIMPLIFIED = codePoints(
  '的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服林题建南度统色字请交爱让认算论百义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令德收钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴切随采价格订货样款购询您谢厂装箱柜船期付汇票发票合同客户报价',
);
const COMMON_TRADITIONAL = codePoints(
  '的一是不了人我在有他這中大來上國個到說們為子和你地出道也時年得就那要下以生會自著去之過家學對可她裡後小麼心多天而能好都然沒日於起還發成事只作當想看文無開手十用主行方又如前所本見經頭面公同三已老從動兩長知民樣現分將外但身些與高意進把法此實回二理美點月明其種聲全工己話兒者向情部正名定女問力機給等幾很業最間新什打便位因重被走電四第門相次東政海口使教西再平真聽世氣信北少關並內加化由卻代軍產入先山五太水萬市眼體別處總才場師書比住員九笑性通目華報立馬命張活難神數件安表原車白應路期叫死常提感金何更反合放做系計或司利受光王果親界及今京務製解各任至清物台象記邊共風戰乾接它許八特覺望直服林題建南度統色字請交愛讓認算論百義科怎元社術結六功指思非流每青管夫連遠資隊跟帶花快條院變聯言權往展該領傳近留紅治決周保達辦運半候七必城父強步完革深區即求品士轉量空甚眾技輕程告江語英基派滿式李息寫呢識極令德收錢黨倒未持取設始版雙歷越史商千片容研像找友孩站廣改議形委早房音火際則首單導影失拿網香似斯專石若兵弟誰校讀志飛觀爭究包組造落視濟喜離雖壞興切隨採價格訂貨樣款購詢您謝廠裝箱櫃船期付匯票發票合同客戶報價',
);

type DecodingScore = { codec: string; text: string; ideographs: number; common: number; bad: number };

function codePoints(characters: string): Set<number> {
  return new Set(Array.from(characters, (character) => character.codePointAt(0) as number));
}

function scoreDecoding(bytes: Buffer, codec: string, common: Set<number>): DecodingScore {
  const text = decodeBytes(bytes, codec);
  let ideographs = 0;
  let hits = 0;
  let bad = 0;
  // By code point, not `for…of`: a string per character was most of a body decoding's garbage.
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i) as number;
    if (code > 0xffff) i++;
    // U+FFFD: no mapping; private use: GBK's user-defined rows, where Big5 punctuation lands.
    if (code === 0xfffd || (code >= 0xe000 && code <= 0xf8ff) || (code >= 0x80 && code <= 0x9f)) bad++;
    else if ((code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf) || code >= 0x20000) {
      ideographs++;
      if (common.has(code)) hits++;
    }
  }
  return { codec, text, ideographs, common: hits, bad };
}

/** Strict UTF-8 (what a fatal TextDecoder accepts), checked natively without decoding. */
export function isValidUtf8(bytes: Buffer): boolean {
  return isUtf8(bytes);
}

/**
 * Which charset 8-bit text without a (usable) label is in: UTF-8 when it is valid UTF-8;
 * else GB18030 or Big5 when one of them decodes it cleanly into common Chinese; else the
 * hint (a charset declared elsewhere in the same mail) when it fits; else windows-1252.
 */
export function detectCharset(bytes: Buffer, hint: string | null = null): string {
  return detectDecoding(bytes, hint).codec;
}

/** detectCharset's answer, with the text when detection already decoded the bytes with that codec (decoded once, not twice). */
function detectDecoding(bytes: Buffer, hint: string | null): { codec: string; text: string | null } {
  if (isValidUtf8(bytes)) return { codec: UTF8, text: null };
  const multiByteHint = hint !== null && hint !== UTF8 && !isSingleByte(hint);
  if (multiByteHint) {
    const hinted = scoreDecoding(bytes, hint, COMMON_SIMPLIFIED);
    if (hinted.bad === 0) return hinted;
  }
  const scores = [scoreDecoding(bytes, GB18030, COMMON_SIMPLIFIED), scoreDecoding(bytes, BIG5, COMMON_TRADITIONAL)].filter(
    (score) => score.ideographs > 0 && score.bad * 30 <= score.ideographs,
  );
  const ratio = (score: DecodingScore) => score.common / score.ideographs;
  const best = scores.sort((a, b) => ratio(b) - ratio(a) || (a.codec === GB18030 ? -1 : 1))[0];
  if (best && ratio(best) >= 0.1) return best;
  // A few characters may hold no common one (a name): then GB2312's shape decides, every
  // 8-bit byte in A1–FE pairs. A lone pair is left out: "Größe" has that shape too.
  const gb = scores.find((score) => score.codec === GB18030);
  if (gb && gb.bad === 0 && gb.ideographs >= 2 && gb.ideographs <= 4 && hasGb2312Shape(bytes)) return gb;
  return { codec: hint !== null && isSingleByte(hint) ? hint : WINDOWS_1252, text: null };
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
export function decodeUndeclared(bytes: Buffer, hint: string | null): string {
  if (isValidUtf8(bytes)) return bytes.toString('utf8');
  const meta = /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(bytes.subarray(0, 4096).toString('latin1'));
  const declared = meta?.[1] ? resolveCharset(meta[1]) : null;
  if (declared && declared !== UTF8) return decodeBytes(bytes, declared);
  const detected = detectDecoding(bytes, hint);
  return detected.text ?? decodeBytes(bytes, detected.codec);
}

/**
 * A UTF-8 label is believed while its valid multi-byte characters outnumber its invalid bytes
 * (a stray byte in UTF-8 text stays one U+FFFD); GBK under a UTF-8 label is mostly invalid.
 */
export function decodeLabelledUtf8(bytes: Buffer, hint: string | null): string {
  const text = bytes.toString('utf8');
  if (isValidUtf8(bytes)) return text;
  let valid = 0;
  let invalid = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i) as number;
    if (code > 0xffff) i++;
    if (code === 0xfffd) invalid++;
    else if (code >= 0x80) valid++;
  }
  return invalid === 0 || valid > invalid ? text : decodeBytes(bytes, detectCharset(bytes, hint));
}

/**
 * A declared charset's text, checked when it is Chinese, Japanese or Korean: gateways relabel
 * mail, and GB2312 bytes under a big5 label decode "cleanly" into rare characters. When the
 * declared decoding has unmapped bytes, or Chinese whose share of common characters is a third
 * of the other Chinese decoding's, detection decides instead (detectCharset). The decoding
 * made for the check is the one returned: a body is decoded once, not again after the check.
 */
export function decodeCheckedCjk(bytes: Buffer, declared: string): string {
  if (!CJK_CODECS.has(declared) || isAscii(bytes) || isValidUtf8(bytes)) return decodeBytes(bytes, declared);
  const common = declared === BIG5 ? COMMON_TRADITIONAL : COMMON_SIMPLIFIED;
  const own = scoreDecoding(bytes, declared, common);
  if (declared === GB18030 || declared === BIG5) {
    const other = declared === GB18030 ? scoreDecoding(bytes, BIG5, COMMON_TRADITIONAL) : scoreDecoding(bytes, GB18030, COMMON_SIMPLIFIED);
    const ratio = (score: DecodingScore) => (score.ideographs ? score.common / score.ideographs : 0);
    const otherIsClean = other.ideographs > 0 && other.bad * 30 <= other.ideographs;
    if (otherIsClean && ratio(other) >= 0.1 && (ratio(own) * 3 < ratio(other) || own.bad > other.bad)) return other.text;
    return own.text;
  }
  if (own.bad === 0) return own.text;
  const detected = detectDecoding(bytes, null);
  if (detected.codec === WINDOWS_1252) return own.text;
  return detected.text ?? decodeBytes(bytes, detected.codec);
}
