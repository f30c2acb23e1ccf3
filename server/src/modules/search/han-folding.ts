import { createRequire } from 'node:module';

/**
 * Traditional and simplified Chinese fold to one form for search, at index and at query time,
 * so 出货 finds 出貨 and 出貨 finds 出货: each Han character is mapped to its simplified form by
 * OpenCC's traditional → mainland dictionary (opencc-js). Character by character, not phrase by
 * phrase: the text keeps its length, so the bigrams of a run stay aligned with what a user types
 * (OpenCC's phrase table would turn 軟體 into 软件, which nobody searching 软体 means).
 *
 * The dictionary (~6 MB of tables) is loaded on the first Han character, not at start, and each
 * character is converted once per process (a mail uses few distinct characters).
 */
type Convert = (text: string) => string;
let convert: Convert | undefined;
const folded = new Map<number, string>();
const MAX_CACHED = 50_000;

function converter(): Convert {
  if (!convert) {
    const opencc = createRequire(import.meta.url)('opencc-js/t2cn') as { Converter: (o: { from: string; to: string }) => Convert };
    convert = opencc.Converter({ from: 't', to: 'cn' });
  }
  return convert;
}

/**
 * A run of CJK characters with every traditional Han character replaced by its simplified form.
 * Most runs have none and come back as they are; only a run that changes is copied.
 */
export function foldHan(run: string): string {
  let out: string[] | null = null;
  let copied = 0;
  for (let i = 0; i < run.length; i++) {
    const code = run.codePointAt(i) as number;
    const width = code > 0xffff ? 2 : 1;
    // Kana, hangul and the prolonged sound mark have no traditional form.
    if (code >= 0x3400 && !(code >= 0xac00 && code <= 0xd7af)) {
      const simple = simplified(code);
      if (simple !== null) {
        out ??= [];
        out.push(run.slice(copied, i), simple);
        copied = i + width;
      }
    }
    i += width - 1;
  }
  if (!out) return run;
  out.push(run.slice(copied));
  return out.join('');
}

/** The simplified form of a traditional character, or null when the character stays as it is. */
function simplified(code: number): string | null {
  let simple = folded.get(code);
  if (simple === undefined) {
    const char = String.fromCodePoint(code);
    const converted = converter()(char);
    // One character in, one out; anything else keeps the character as it is.
    simple = [...converted].length === 1 && converted !== char ? converted : '';
    if (folded.size < MAX_CACHED) folded.set(code, simple);
  }
  return simple === '' ? null : simple;
}
