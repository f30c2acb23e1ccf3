/**
 * Reply and forward prefixes as mail clients write them in the languages export mail arrives
 * in (Outlook localises them: AW/WG German, SV Scandinavian, VS Finnish, RV/Enc Spanish and
 * Portuguese, Odp Polish, Antw Dutch, Tr/Réf French, Rif Italian, Ynt/İlt Turkish, ΑΠ/ΣΧΕΤ/ΠΡΘ
 * Greek, Отв/Пересл Russian, 回复/转发 Chinese clients and Exmail, 回覆/轉寄 Taiwan, 返信/転送
 * Japanese, 회신/전달 Korean). "Ref:" is deliberately absent: in English it names a reference.
 */
const PREFIXES = [
  're',
  'fwd',
  'fw',
  'aw',
  'wg',
  'sv',
  'vs',
  'rv',
  'odp',
  'antw',
  'antwort',
  'tr',
  'réf',
  'enc',
  'rif',
  'ynt',
  'ila',
  'ilt',
  'İlt',
  'απ',
  'σχετ',
  'πρθ',
  'ответ',
  'отв',
  'пересл',
  '回复',
  '答复',
  '回覆',
  '答覆',
  '转发',
  '转寄',
  '轉寄',
  '轉發',
  '返信',
  '転送',
  '회신',
  '전달',
];

// Longest first, so "antwort" is not read as "antw" + "ort". A counter may follow: "Re[2]:", "RE(3):".
const PREFIX = new RegExp(`^(?:${[...PREFIXES].sort((a, b) => b.length - a.length).join('|')})\\s*(?:\\[\\d+\\]|\\(\\d+\\))?\\s*:`, 'iu');

/** "[EXTERNAL]", "[sales]", "[外部邮件]", "【外部】": tags gateways and lists put in front. */
const TAG = /^(?:\[[^\]]*\]|【[^】]*】)/u;

/**
 * Strips prefixes and leading tags in any order and number ("[EXTERNAL] RE: Fwd: x", "Re:[Ext] x").
 * NFKC first, so full-width letters and the full-width colon ("回复：", "ＲＥ：") match as ASCII does.
 */
function stripLeading(subject: string): { rest: string; isReplyOrForward: boolean } {
  let rest = subject.normalize('NFKC').trim();
  let isReplyOrForward = false;
  for (;;) {
    const tag = TAG.exec(rest);
    const prefix = PREFIX.exec(rest);
    const match = tag ?? prefix;
    if (!match) return { rest, isReplyOrForward };
    if (prefix) isReplyOrForward = true;
    rest = rest.slice(match[0].length).trimStart();
  }
}

/**
 * The normalised subject for threading fallback (RFC 5256 §2.1 base subject, plus the
 * prefixes of other languages): no prefixes or leading tags, whitespace collapsed, NFKC,
 * lower case. It stays as specific as the subject was ("Inquiry" stays "inquiry"); the caller
 * scopes generic subjects by counterparty.
 */
export function subjectKey(subject: string): string {
  return stripLeading(subject).rest.replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Whether the subject starts with a reply or forward prefix (possibly behind tags). */
export function isReplyOrForward(subject: string): boolean {
  return stripLeading(subject).isReplyOrForward;
}
