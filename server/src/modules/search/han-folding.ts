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

/** A run of CJK characters with every traditional Han character replaced by its simplified form. */
export function foldHan(run: string): string {
  let out = '';
  for (const char of run) {
    const code = char.codePointAt(0) as number;
    // Kana, hangul and the prolonged sound mark have no traditional form.
    if (code < 0x3400 || (code >= 0xac00 && code <= 0xd7af)) {
      out += char;
      continue;
    }
    let simple = folded.get(code);
    if (simple === undefined) {
      const converted = converter()(char);
      // One character in, one out; anything else keeps the character as it is.
      simple = [...converted].length === 1 ? converted : char;
      if (folded.size < MAX_CACHED) folded.set(code, simple);
    }
    out += simple;
  }
  return out;
}
