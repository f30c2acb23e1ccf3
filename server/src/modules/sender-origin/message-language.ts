/**
 * eld's medium n-gram database is 2 MB of JavaScript (~0.3 CPU-s to compile), loaded on the first
 * detection: a CLI command or a server that reads no mail does not pay for it.
 */
type Detector = typeof import('eld/medium').eld;
let eldLoading: Promise<Detector> | undefined;
export function loadLanguageDetector(): Promise<Detector> {
  eldLoading ??= import('eld/medium').then((m) => m.eld);
  return eldLoading;
}

/**
 * The language of a message as a BCP-47 primary tag ("en", "de", "zh", "ja"), or null when unsure.
 *
 * How it decides:
 * - Quoted lines ("> ..."), links, addresses and digits are removed first: they say nothing.
 * - Scripts are counted. One Chinese, Japanese or Korean character carries about as much as three
 *   Latin letters (a word is ~1.7 Han characters, ~5 Latin letters), so CJK characters count
 *   three times. When one side holds at least 70 % of the weight it decides; a mail that is
 *   neither (a Chinese sentence around an English product description) is mixed: null.
 * - CJK side: any kana makes it Japanese, else hangul Korean, else Chinese ("zh"; simplified and
 *   traditional are not told apart); at least 4 characters are needed.
 * - Other scripts: at least 20 letters, then `eld` (n-gram detector, medium database) must call its
 *   answer reliable and be ahead of the runner-up by a clear margin (Russian and Bulgarian, or
 *   Spanish and Portuguese, can be within a hair on a short line): otherwise null.
 */
const cjkWeight = 3;
const dominantShare = 0.7;
const minCjkCharacters = 4;
const minLetters = 20;
const minMargin = 0.02;

export async function detectLanguage(text: string): Promise<string | null> {
  const cleaned = text
    .split(/\r?\n/)
    .filter((line) => !/^\s*>/.test(line))
    .join('\n')
    .replace(/https?:\/\/\S+|www\.\S+|\S+@\S+/g, ' ')
    .replace(/[\p{N}_]+/gu, ' ');
  const count = (pattern: RegExp) => cleaned.match(pattern)?.length ?? 0;
  const kana = count(/[\p{Script=Hiragana}\p{Script=Katakana}]/gu);
  const hangul = count(/\p{Script=Hangul}/gu);
  const han = count(/\p{Script=Han}/gu);
  const cjk = kana + hangul + han;
  const others = count(/\p{L}/gu) - cjk;
  const total = cjk * cjkWeight + others;
  if (total === 0) return null;
  if ((cjk * cjkWeight) / total >= dominantShare) {
    if (cjk < minCjkCharacters) return null;
    if (kana > 0) return 'ja';
    return hangul > han ? 'ko' : 'zh';
  }
  if (others / total < dominantShare || others < minLetters) return null;
  const eld = await loadLanguageDetector();
  const result = eld.detect(cleaned.replace(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu, ' '));
  if (!result.language || !result.isReliable()) return null;
  const scores = Object.values(result.getScores()).sort((a, b) => b - a);
  if ((scores[0] ?? 0) - (scores[1] ?? 0) < minMargin) return null;
  return Intl.getCanonicalLocales(result.language)[0] ?? null;
}
