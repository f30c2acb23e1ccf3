/**
 * Text handling of the FAQ library (pure): the words a mail adds itself (quoted history and
 * the "On … wrote:" line cut off), and search tokens. Tokens come from the search module's
 * toIndexText, so Chinese is read as overlapping bigrams (报价单 → 报价 价单) exactly as mail
 * search reads it, and Latin words are folded the same way.
 */
import { toIndexText } from '../search/index.js';

const quoteStarts = [
  /^\s*>/,
  /^\s*On .{4,200} wrote:\s*$/i,
  /^\s*-{2,}\s*(Original Message|原始邮件|Forwarded message)\s*-{2,}/i,
  /^\s*(From|发件人|寄件者)\s*[:：]/i,
  /^\s*在.{2,200}写道\s*[:：]\s*$/,
];

/** The text up to where the quoted history begins. */
export function ownWords(text: string): string {
  const lines = text.split(/\r?\n/);
  const kept: string[] = [];
  for (const line of lines) {
    if (quoteStarts.some((re) => re.test(line))) break;
    kept.push(line);
  }
  return kept.join('\n').trim();
}

/**
 * Words too common in trade mail to tell answers apart. BM25's IDF would push them down anyway;
 * dropping them keeps small libraries (where IDF is noisy) from matching on "dear" and "regards".
 */
const stopWords = new Set(
  'a an and are as at be but by can could do dear for from have hello hi i if in is it its me my of on or our please regards thank thanks that the this to us we will with would you your best kind sincerely 您好 你好 谢谢 感谢 请问 可以 我们 你们 是否 需要 一下 多谢 关于'.split(
    ' ',
  ),
);

const singleCjk = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]$/u;

/**
 * Search tokens of texts (CJK bigrams, folded words), stop words left out. Each part is read on
 * its own: toIndexText joins CJK across line breaks (wrapped mail), which would make a bigram of a
 * subject's last and the body's first character. The lone last character of a CJK run, which the
 * index keeps for prefix search, is dropped: it is mostly a particle (吗, 的).
 */
export function tokensOf(...parts: string[]): string[] {
  const tokens: string[] = [];
  for (const part of parts) {
    const indexed = toIndexText(part);
    if (indexed === '') continue;
    for (const t of indexed.split(' ')) {
      if (t.length > 0 && !stopWords.has(t) && !/^\d{1,2}$/.test(t) && !singleCjk.test(t)) tokens.push(t);
    }
  }
  return tokens;
}

/** zh-CN → zh, en → en: what a detected mail language is compared with. */
export function primaryLanguage(tag: string | null | undefined): string | null {
  if (!tag) return null;
  return tag.split('-')[0]?.toLowerCase() ?? null;
}

/** A short one-line excerpt. */
export function snippetOf(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** An answer's {{variables}} are not its words: "contact" and "name" would match any mail that says name. */
export function withoutVariables(text: string, replacement = ' '): string {
  return text.replace(/\{\{\s*[a-z_.]+\s*\}\}/gi, replacement);
}
