/**
 * Text → search tokens, the same way for mail being indexed and for what a user types,
 * so both engines see identical tokens whatever their own tokenizer would have done.
 *
 * Chinese has no spaces and its most searched words are two characters long (报价, 样品,
 * 付款), which a trigram index can never match. Every run of CJK characters is therefore
 * written as overlapping bigrams (报价单 → 报价 价单), so any 2-character word is one indexed
 * token and a longer word is a phrase of adjacent bigrams (钨钢刀 → "钨钢 钢刀"). The run's
 * last character follows on its own, so that a phrase ending in one character ("LED 灯")
 * can match it as a prefix wherever it stands; single-character queries use a column of their
 * own (toCharacterIndexText). Traditional Han characters fold to simplified (han-folding.ts), so
 * 出货 and 出貨 are one token. Other scripts are split into words of letters and digits. The
 * output is plain lower-case tokens separated by spaces, with no punctuation: nothing in it
 * can be read as an operator by FTS5 or by PostgreSQL's tsquery parser.
 */

import { foldHan } from './han-folding.js';

const cjkClass = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}\\u30FC';
const foldedMarks = /(?<=[\p{Script=Latin}\p{Script=Greek}])\p{M}+/gu;
const nonAscii = /\P{ASCII}/u;
const quoteChars = new Set(['"', '\u201c', '\u201d', '\u201e', '\u00ab', '\u00bb', '\u300c', '\u300d', '\u300e', '\u300f']);

/**
 * Longest text indexed per field, in UTF-16 units. PostgreSQL refuses a tsvector whose
 * distinct lexemes exceed 1 MB; 100k CJK characters give at most 100k distinct 6-byte
 * bigrams, safely below it. A mail body longer than this is nearly always quoted history.
 */
export const maxIndexedChars = 100_000;
/** A token longer than this (base64 residue, hashes) is cut: it bloats the index and nobody types it. */
export const maxTokenChars = 60;
const maxQueryChars = 500;
const maxQueryTerms = 16;
const maxTermTokens = 32;
/**
 * FTS5 merges the postings of every term a prefix matches before returning the first row: at
 * 200k mails `co*` took 470 ms, `con*` 110 ms, `prod*` 34 ms. Shorter prefixes are searched as words.
 */
const minWordPrefixChars = 3;
const maxDistinctCharacters = 4_000;

type Run = { isCjk: boolean; text: string };

/** One AND-ed query term: adjacent tokens (a phrase; one token for a plain word), the last one a prefix if `prefix`. */
export type SearchTerm = { tokens: string[]; prefix: boolean };

function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  // Never leave half of a surrogate pair at the end.
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

function foldWord(word: string): string {
  let folded = word;
  // Accents are dropped in Latin and Greek so 'cafe' finds 'café' (as FTS5's remove_diacritics does, on both engines).
  if (nonAscii.test(folded)) folded = folded.normalize('NFD').replace(foldedMarks, '').normalize('NFC');
  return cut(folded, maxTokenChars);
}

/**
 * What a character is to the tokenizer. A run of CJK characters is one run; a word is a letter
 * or digit of any other script followed by letters, digits and marks (a mark never starts a
 * word), so 'led灯' is 'led' then '灯'. Everything else separates.
 */
enum CharClass {
  Separator = 0,
  Word = 1,
  Mark = 2,
  Cjk = 3,
}
const isCjkChar = new RegExp(`^[${cjkClass}]$`, 'v');
const isLetterOrDigit = /^[\p{L}\p{N}]$/u;
const isMark = /^\p{M}$/u;
// Indexing runs this for every character of every mail: ASCII is decided by arithmetic and
// other characters by the Unicode regexes once each (a mail uses few distinct characters).
const classCache = new Map<number, CharClass>();

function classOf(codePoint: number): CharClass {
  if (codePoint < 0x80) {
    const lower = codePoint | 0x20;
    return (codePoint >= 0x30 && codePoint <= 0x39) || (lower >= 0x61 && lower <= 0x7a) ? CharClass.Word : CharClass.Separator;
  }
  let found = classCache.get(codePoint);
  if (found === undefined) {
    const ch = String.fromCodePoint(codePoint);
    found = isCjkChar.test(ch)
      ? CharClass.Cjk
      : isLetterOrDigit.test(ch)
        ? CharClass.Word
        : isMark.test(ch)
          ? CharClass.Mark
          : CharClass.Separator;
    if (classCache.size < 100_000) classCache.set(codePoint, found);
  }
  return found;
}

/** The code point that ends `line` once trailing spaces, tabs and CR are left out (undefined when blank). */
function lastVisible(line: string, lineEnd = line.length): number | undefined {
  let end = lineEnd;
  while (end > 0 && (line[end - 1] === ' ' || line[end - 1] === '\t' || line[end - 1] === '\r')) end--;
  if (end === 0) return undefined;
  const code = line.charCodeAt(end - 1);
  return code >= 0xdc00 && code <= 0xdfff && end >= 2 ? line.codePointAt(end - 2) : code;
}

/**
 * A CJK character at the end of a line: the text may be hard-wrapped inside a word. Only the
 * line ends are looked at (a Unicode-script regex over the whole text cost a tenth of indexing).
 */
function hasCjkBeforeLineBreak(text: string): boolean {
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    const end = lastVisible(text, i);
    if (end !== undefined && classOf(end) === CharClass.Cjk) return true;
  }
  return false;
}

/** Quote depth (number of '>') and where the text starts after the quote marks and indentation. */
function quotePrefix(line: string): { depth: number; start: number } {
  let depth = 0;
  let start = 0;
  for (; start < line.length; start++) {
    const ch = line[start];
    if (ch === '>') depth++;
    else if (ch !== ' ' && ch !== '\t') break;
  }
  return { depth, start };
}

/**
 * Mail clients hard-wrap plain text at ~72-78 columns, and Chinese has no spaces to wrap at, so a
 * word is often cut in two: 报\n价. A line break between two CJK characters is therefore no
 * separator: the lines are joined (with the next line's indentation and quote marks, when both
 * lines are quoted to the same depth), so 报价 is one bigram again. A blank line (a paragraph
 * break), a change of quote depth, or anything but CJK on either side keeps the break, so Latin
 * words are never glued together. (Quoted-printable soft breaks and format=flowed with DelSp=yes —
 * how flowing clients send CJK — are already undone by the parser; with DelSp=no the space a
 * client put at the break is content by RFC 3676 §4.2, and stays a separator like any space.)
 */
function joinWrappedCjkLines(s: string): string {
  const lines = s.split('\n');
  const out: string[] = [lines[0] as string];
  let previous = lines[0] as string;
  let previousDepth = quotePrefix(previous).depth;
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const { depth, start } = quotePrefix(line);
    const end = lastVisible(previous);
    const next = line.codePointAt(start);
    if (
      end !== undefined &&
      next !== undefined &&
      depth === previousDepth &&
      classOf(end) === CharClass.Cjk &&
      classOf(next) === CharClass.Cjk
    ) {
      out[out.length - 1] = (out[out.length - 1] as string).replace(/[ \t\r]+$/, '');
      out.push(line.slice(start));
    } else {
      out.push('\n', line);
      previousDepth = depth;
    }
    previous = line;
  }
  return out.join('');
}

function splitRuns(text: string): Run[] {
  // NFKC maps full-width Latin and compatibility forms onto plain letters; ASCII is already normal.
  const normal = (nonAscii.test(text) ? text.normalize('NFKC') : text).toLowerCase();
  const s = hasCjkBeforeLineBreak(normal) ? joinWrappedCjkLines(normal) : normal;
  const runs: Run[] = [];
  let i = 0;
  let runStart = -1;
  let runClass = CharClass.Separator;
  const close = (end: number) => {
    if (runStart < 0) return;
    const piece = s.slice(runStart, end);
    runs.push(runClass === CharClass.Cjk ? { isCjk: true, text: foldHan(piece) } : { isCjk: false, text: foldWord(piece) });
    runStart = -1;
  };
  while (i < s.length) {
    const codePoint = s.codePointAt(i) as number;
    const width = codePoint > 0xffff ? 2 : 1;
    const cls = classOf(codePoint);
    if (runStart >= 0 && (cls === runClass || (runClass === CharClass.Word && cls === CharClass.Mark))) {
      i += width;
      continue;
    }
    close(i);
    if (cls === CharClass.Word || cls === CharClass.Cjk) {
      runStart = i;
      runClass = cls;
    }
    i += width;
  }
  close(s.length);
  return runs;
}

function bigrams(run: string): string[] {
  const chars = Array.from(run);
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(`${chars[i]}${chars[i + 1]}`);
  return out;
}

/** Tokens of one CJK run as indexed: its bigrams, then its last character. */
function indexedCjkTokens(run: string): string[] {
  const tokens: string[] = [];
  pushIndexedCjkTokens(Array.from(run), tokens);
  return tokens;
}

/** The same tokens of a run already split into characters, pushed one by one (a body's runs are thousands long). */
function pushIndexedCjkTokens(chars: string[], out: string[]): void {
  if (chars.length === 0) return;
  for (let i = 0; i + 1 < chars.length; i++) out.push((chars[i] as string) + chars[i + 1]);
  out.push(chars[chars.length - 1] as string);
}

/**
 * The text to hand to the engine's index (FTS5 unicode61 or to_tsvector('simple')). Pass
 * `characters` to also collect the distinct CJK characters (see charactersOfIndexTexts) in
 * the same pass.
 */
export function toIndexText(text: string, maxChars: number = maxIndexedChars, characters?: Set<string>): string {
  const input = cut(text, maxChars);
  if (isAsciiText(input)) return asciiIndexText(input);
  const out: string[] = [];
  for (const run of splitRuns(input)) {
    if (!run.isCjk) {
      out.push(run.text);
      continue;
    }
    out.push(cjkIndexText(run.text, characters));
  }
  return out.join(' ');
}

let units = new Uint16Array(4096);

/**
 * indexedCjkTokens(run).join(' ') made in one buffer of UTF-16 code units: a Chinese body's
 * thousands of two-character strings were most of indexing's garbage. Runs with characters
 * outside the BMP (rare) take the general way.
 */
function cjkIndexText(run: string, characters: Set<string> | undefined): string {
  const n = run.length;
  for (let i = 0; i < n; i++) {
    const code = run.charCodeAt(i);
    if (code >= 0xd800 && code <= 0xdfff) {
      const chars = Array.from(run);
      if (characters) for (const ch of chars) if (characters.size < maxDistinctCharacters) characters.add(ch);
      const tokens: string[] = [];
      pushIndexedCjkTokens(chars, tokens);
      return tokens.join(' ');
    }
  }
  if (characters) for (let i = 0; i < n && characters.size < maxDistinctCharacters; i++) characters.add(run[i] as string);
  if (n < 2) return run;
  if (units.length < 3 * n) units = new Uint16Array(3 * n);
  let k = 0;
  for (let i = 0; i + 1 < n; i++) {
    units[k++] = run.charCodeAt(i);
    units[k++] = run.charCodeAt(i + 1);
    units[k++] = 0x20;
  }
  units[k++] = run.charCodeAt(n - 1);
  return Buffer.from(units.buffer, 0, k * 2).toString('utf16le');
}

/**
 * No code unit above 0x7f: every other one takes two or more UTF-8 bytes. Native and ~5× faster
 * than the \P{ASCII} regex over a whole body (most mail bodies are ASCII and take this test).
 */
const isAsciiText = (text: string) => Buffer.byteLength(text, 'utf8') === text.length;

/**
 * toIndexText for plain ASCII (most mail bodies), byte by byte: lower-cased runs of letters and
 * digits (classOf), each cut to maxTokenChars, one space apart. The same output as the general
 * path at a third of its cost; regex split or replace were slower still.
 */
function asciiIndexText(text: string): string {
  const bytes = Buffer.from(text, 'latin1');
  const out = Buffer.allocUnsafe(bytes.length);
  let length = 0;
  let wordLength = 0;
  for (let i = 0; i < bytes.length; i++) {
    let byte = bytes[i] as number;
    if (byte >= 0x41 && byte <= 0x5a) byte |= 0x20;
    if ((byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7a)) {
      if (wordLength === 0 && length > 0) out[length++] = 0x20;
      if (wordLength < maxTokenChars) out[length++] = byte;
      wordLength++;
    } else {
      wordLength = 0;
    }
  }
  return out.toString('latin1', 0, length);
}

/**
 * Every distinct CJK character of the text, once, for single-character queries (钢, 铝, 铜 are
 * common ones). Matching 钢 as the prefix 钢* of the bigrams instead makes both engines merge
 * the postings of every bigram that starts with it: 250 ms at 200k mails on SQLite. One token
 * per distinct character adds about a third to a Chinese mail's tokens.
 */
export function toCharacterIndexText(text: string, maxChars: number = maxIndexedChars): string {
  return charactersOfIndexTexts([toIndexText(text, maxChars)]);
}

/**
 * The same characters, read off texts already made by toIndexText (normalised, CJK as pairs):
 * indexing a mail then normalises and splits its body once, not twice.
 */
export function charactersOfIndexTexts(indexTexts: string[]): string {
  const seen = new Set<string>();
  for (const indexText of indexTexts) {
    for (const token of indexText.split(' ')) {
      if (token === '' || classOf(token.codePointAt(0) as number) !== CharClass.Cjk) continue;
      for (const ch of token) {
        if (seen.size >= maxDistinctCharacters) return [...seen].join(' ');
        seen.add(ch);
      }
    }
  }
  return [...seen].join(' ');
}

/**
 * The term of a quoted phrase or of one script group of a typed word: its tokens match the
 * indexed tokens of the same text wherever it occurs inside longer text. A CJK run at the end
 * is matched as a substring: its bigrams without the final unigram (报价 finds 报价单), or the
 * prefix of its one character after other tokens ("LED 灯" finds LED灯泡). A lone character
 * is the exact token of the characters column.
 */
function phraseOf(runs: Run[], wantsPrefix: boolean): SearchTerm | undefined {
  const first = runs[0];
  if (runs.length === 1 && first?.isCjk && Array.from(first.text).length === 1) return { tokens: [first.text], prefix: false };
  const tokens: string[] = [];
  let prefix = false;
  runs.forEach((run, i) => {
    const isLast = i === runs.length - 1;
    if (!run.isCjk) {
      tokens.push(run.text);
      prefix = isLast && wantsPrefix && Array.from(run.text).length >= minWordPrefixChars;
    } else if (!isLast) {
      tokens.push(...indexedCjkTokens(run.text));
    } else if (Array.from(run.text).length === 1) {
      tokens.push(run.text);
      prefix = true;
    } else {
      tokens.push(...bigrams(run.text));
      prefix = false;
    }
  });
  if (tokens.length === 0) return undefined;
  // A cut phrase matches more, never less: the engines bound the work of a very long phrase.
  if (tokens.length > maxTermTokens) return { tokens: tokens.slice(0, maxTermTokens), prefix: false };
  return { tokens, prefix };
}

/**
 * Terms of one typed word. Its CJK and other parts become separate terms (LED灯 → led AND 灯):
 * as one phrase, a final lone character would be the slow prefix 灯*, and mail writes the
 * same thing as LED灯, LED 灯 or LED-灯 anyway. A part of one script stays a phrase
 * (maria@customer.test → "maria customer test").
 */
function termsOfWord(text: string, wantsPrefix: boolean): SearchTerm[] {
  const groups: Run[][] = [];
  for (const run of splitRuns(text)) {
    const group = groups[groups.length - 1];
    if (group?.[0]?.isCjk === run.isCjk) group.push(run);
    else groups.push([run]);
  }
  return groups.flatMap((group, i) => phraseOf(group, wantsPrefix && i === groups.length - 1) ?? []);
}

/**
 * Parses a search box into AND-ed terms. Supported syntax: words, "quoted phrases" (also
 * with “”, 「」), and a trailing `*` on a word of 3 or more letters for prefix matching.
 * Everything else, including FTS5 and tsquery operators (AND, OR, NOT, NEAR(, -, ^, :,
 * parentheses), is searched as ordinary text or dropped as punctuation, so no input can
 * change the query's structure.
 */
export function toQuery(userQuery: string): SearchTerm[] {
  const input = cut(userQuery, maxQueryChars).normalize('NFKC');
  const chunks: { text: string; quoted: boolean; prefix: boolean }[] = [];
  let current = '';
  let inQuote = false;
  const flush = (quoted: boolean) => {
    const trimmed = quoted ? current : current.trim();
    if (trimmed) chunks.push({ text: trimmed, quoted, prefix: !quoted && trimmed.endsWith('*') });
    current = '';
  };
  for (const ch of input) {
    if (quoteChars.has(ch)) {
      flush(inQuote);
      inQuote = !inQuote;
    } else if (!inQuote && /\s/u.test(ch)) {
      flush(false);
    } else {
      current += ch;
    }
  }
  // An unclosed quote runs to the end of the input, as in most search boxes.
  flush(inQuote);

  const terms: SearchTerm[] = [];
  const seen = new Set<string>();
  for (const chunk of chunks) {
    const chunkTerms = chunk.quoted ? [phraseOf(splitRuns(chunk.text), false) ?? []].flat() : termsOfWord(chunk.text, chunk.prefix);
    for (const term of chunkTerms) {
      const key = `${term.tokens.join(' ')}${term.prefix ? '*' : ''}`;
      if (seen.has(key) || terms.length >= maxQueryTerms) continue;
      seen.add(key);
      terms.push(term);
    }
  }
  return terms;
}

/** The FTS5 MATCH string: every phrase is a quoted string, the only syntax kept is the prefix `*`. */
export function toFts5Match(terms: SearchTerm[]): string {
  return terms.map((t) => `"${t.tokens.join(' ').replaceAll('"', '""')}"${t.prefix ? '*' : ''}`).join(' AND ');
}

/**
 * The to_tsquery('simple', …) string: each token single-quoted (quotes and backslashes
 * escaped), phrases joined with <->, terms with &. to_tsquery runs each quoted token
 * through the same parser as to_tsvector, so both sides agree on lexemes.
 */
export function toTsquerySource(terms: SearchTerm[]): string {
  const quote = (token: string) => `'${token.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
  return terms
    .map((t) => {
      const parts = t.tokens.map((token, i) => (t.prefix && i === t.tokens.length - 1 ? `${quote(token)}:*` : quote(token)));
      return parts.length > 1 ? `(${parts.join(' <-> ')})` : parts.join('');
    })
    .join(' & ');
}
