import { describe, expect, it } from 'vitest';
import {
  maxIndexedChars,
  maxTokenChars,
  type SearchTerm,
  toCharacterIndexText,
  toFts5Match,
  toIndexText,
  toQuery,
  toTsquerySource,
} from './search-text.js';

/** What the engines do with a term: its tokens must appear adjacent, in order, the last possibly as a prefix. */
function matches(indexText: string, term: SearchTerm): boolean {
  const tokens = indexText.split(' ');
  return tokens.some((_, start) =>
    term.tokens.every((want, i) => {
      const have = tokens[start + i];
      if (have === undefined) return false;
      return term.prefix && i === term.tokens.length - 1 ? have.startsWith(want) : have === want;
    }),
  );
}
/** A term matches within one column: the text's tokens or its characters. */
const finds = (text: string, query: string) => {
  const terms = toQuery(query);
  return terms.length > 0 && terms.every((t) => matches(toIndexText(text), t) || matches(toCharacterIndexText(text), t));
};

describe('index text', () => {
  it('writes Chinese runs as overlapping bigrams followed by the last character', () => {
    expect(toIndexText('报价单')).toBe('报价 价单 单');
    expect(toIndexText('请报价！')).toBe('请报 报价 价');
    expect(toIndexText('钢')).toBe('钢');
  });

  it('keeps Latin, Cyrillic, Greek words and numbers whole, lower-cased, without punctuation', () => {
    expect(toIndexText('Please QUOTE: 500 pcs, LED-panel 600x600 (Москва) ΣΟΦΟΣ')).toBe(
      'please quote 500 pcs led panel 600x600 москва σοφος',
    );
  });

  it('gives plain ASCII text (its own fast path) the tokens the general path gives', () => {
    const long = `${'A'.repeat(70)}b`;
    const ascii = `Re: PO#4711 -- Qty 2,000pcs\r\n\tFOB Ningbo; ${long} x_y end.`;
    expect(toIndexText(ascii)).toBe(`re po 4711 qty 2 000pcs fob ningbo ${'a'.repeat(60)} x y end`);
    // One non-ASCII character sends the same text through the general path.
    expect(toIndexText(`${ascii} é`)).toBe(`${toIndexText(ascii)} e`);
    expect(toIndexText(' \r\n--- ')).toBe('');
  });

  it('splits mixed runs so LED灯 is the word led and the Chinese 灯', () => {
    expect(toIndexText('LED灯泡')).toBe('led 灯泡 泡');
  });

  it('folds full-width forms and Latin or Greek accents', () => {
    expect(toIndexText('ＬＥＤ１２３ Café Ωμέγα')).toBe('led123 cafe ωμεγα');
  });

  it('bigrams Japanese kana and Korean Hangul like Chinese', () => {
    expect(toIndexText('カタログ')).toBe('カタ タロ ログ グ');
    expect(toIndexText('견적')).toBe('견적 적');
  });

  it('drops every character FTS5 or tsquery could read as syntax', () => {
    expect(toIndexText(`a"b' NEAR(c) d* -e ^f g:h & | ! <-> \\`)).toBe('a b near c d e f g h');
  });

  it('tokenizes exactly like the Unicode regex it replaced, on any mix of scripts, marks and symbols', () => {
    // The scanner classifies characters itself for speed; the regex states the rule plainly.
    const cjk = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\p{Script=Hangul}\\u30FC';
    const rule = new RegExp(`([${cjk}]+)|([[\\p{L}\\p{N}]--[${cjk}]][[\\p{L}\\p{N}\\p{M}]--[${cjk}]]*)`, 'gv');
    // A line break between two CJK characters is hard wrapping, not a separator (no quote marks in this alphabet).
    const wrapped = new RegExp(`(?<=[${cjk}])[ \\t\\r]*\\n[ \\t]*(?=[${cjk}])`, 'gv');
    const reference = (text: string) =>
      [...text.normalize('NFKC').toLowerCase().replace(wrapped, '').matchAll(rule)]
        .flatMap((m) => {
          if (m[2] !== undefined)
            return [
              m[2]
                .normalize('NFD')
                .replace(/(?<=[\p{Script=Latin}\p{Script=Greek}])\p{M}+/gu, '')
                .normalize('NFC'),
            ];
          const chars = Array.from(m[1] as string);
          return [...chars.slice(1).map((c, i) => `${chars[i]}${c}`), chars[chars.length - 1] as string];
        })
        .join(' ');
    const alphabet = Array.from('aZ9 _-.@报价单样品ー한국テストカナé\u0301\u302eΑθῆ½ﬁß İ😀𝒜Ⅻ，。！\t\n"\'ＡＢ１');
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let n = 0; n < 2000; n++) {
      const text = Array.from({ length: 1 + Math.floor(random() * 30) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      expect(toIndexText(text), JSON.stringify(text)).toBe(reference(text));
    }
  });

  it('joins Chinese hard-wrapped across a line break, but not across a paragraph break, a change of quote depth or Latin words', () => {
    expect(toIndexText('请您尽快报\n价，谢谢')).toBe('请您 您尽 尽快 快报 报价 价 谢谢 谢');
    expect(toIndexText('报 \r\n  价')).toBe('报价 价');
    expect(toIndexText('> 请报\n> 价单\n>> 样品')).toBe('请报 报价 价单 单 样品 品');
    expect(toIndexText('> 请报\n>\n> 价单')).toBe('请报 报 价单 单');
    expect(toIndexText('请报\n\n价单')).toBe('请报 报 价单 单');
    expect(toIndexText('请报\n \n价单')).toBe('请报 报 价单 单');
    expect(toIndexText('谢谢\n> 报价')).toBe('谢谢 谢 报价 价');
    expect(toIndexText('LED\npanel\n\nprice')).toBe('led panel price');
    expect(toIndexText('报价\nLED\n灯')).toBe('报价 价 led 灯');
    // A character outside the BMP (CJK extension B) ends a line too.
    expect(toIndexText('𠀀\n价')).toBe('𠀀价 价');
    expect(finds('我们需要样\n品和报价', '样品')).toBe(true);
    expect(finds('我们需要样\n品和报价', '需要样品')).toBe(true);
    expect(finds('我们需要样\n\n品和报价', '样品')).toBe(false);
  });

  it('is bounded: long text is cut and long tokens are shortened', () => {
    expect(toIndexText('x'.repeat(500))).toBe('x'.repeat(maxTokenChars));
    const long = toIndexText('报价'.repeat(maxIndexedChars));
    expect(long.split(' ').length).toBeLessThanOrEqual(maxIndexedChars);
    expect(toIndexText(`${'a'.repeat(9)}😀`, 10)).toBe('a'.repeat(9));
  });
});

describe('query parsing', () => {
  it('turns a 2-character Chinese word into one bigram token', () => {
    expect(toQuery('报价')).toEqual([{ tokens: ['报价'], prefix: false }]);
  });

  it('turns a longer Chinese word into a phrase of its bigrams, in order', () => {
    expect(toQuery('钨钢刀')).toEqual([{ tokens: ['钨钢', '钢刀'], prefix: false }]);
  });

  it('matches a single Chinese character as the exact token of the characters column', () => {
    expect(toCharacterIndexText('报价单，报价 LED 钢')).toBe('报 价 单 钢');
    expect(toQuery('钢')).toEqual([{ tokens: ['钢'], prefix: false }]);
    expect(finds('不锈钢板', '钢')).toBe(true);
    expect(finds('材料是钢。', '钢')).toBe(true);
    expect(finds('铝板', '钢')).toBe(false);
  });

  it('finds a Chinese word inside longer text but not its characters reversed or apart', () => {
    expect(finds('请报价', '报价')).toBe(true);
    expect(finds('报价单', '报价')).toBe(true);
    expect(finds('价报', '报价')).toBe(false);
    expect(finds('报，价', '报价')).toBe(false);
    expect(finds('硬质钨钢刀具', '钨钢刀')).toBe(true);
    expect(finds('钢刀和钨钢', '钨钢刀')).toBe(false);
  });

  it('keeps quoted phrases together and lets a trailing * ask for a prefix', () => {
    expect(toQuery('"LED panel" ship*')).toEqual([
      { tokens: ['led', 'panel'], prefix: false },
      { tokens: ['ship'], prefix: true },
    ]);
    expect(toQuery('“报价单 LED”')).toEqual([{ tokens: ['报价', '价单', '单', 'led'], prefix: false }]);
    expect(finds('请看报价单 LED 面板', '"报价单 LED"')).toBe(true);
    expect(finds('LED 报价单', '"报价单 LED"')).toBe(false);
  });

  it('searches an address or a dotted number as the phrase of its parts', () => {
    expect(toQuery('maria@customer.test')).toEqual([{ tokens: ['maria', 'customer', 'test'], prefix: false }]);
    expect(finds('From Maria <maria@customer.test>', 'maria@customer.test')).toBe(true);
  });

  it('searches prefixes shorter than 3 letters as words, which would expand to much of the vocabulary', () => {
    expect(toQuery('sh*')).toEqual([{ tokens: ['sh'], prefix: false }]);
    expect(toQuery('shi*')).toEqual([{ tokens: ['shi'], prefix: true }]);
  });

  it('splits a typed word where Chinese meets other scripts, but keeps a quoted phrase whole', () => {
    expect(toQuery('LED灯')).toEqual([
      { tokens: ['led'], prefix: false },
      { tokens: ['灯'], prefix: false },
    ]);
    expect(toQuery('报价单PDF')).toEqual([
      { tokens: ['报价', '价单'], prefix: false },
      { tokens: ['pdf'], prefix: false },
    ]);
    expect(toQuery('"LED 灯"')).toEqual([{ tokens: ['led', '灯'], prefix: true }]);
    expect(finds('LED灯泡 500 pcs', '"LED 灯"')).toBe(true);
    expect(finds('LED 面板和灯', '"LED 灯"')).toBe(false);
  });

  it('reads operators and stray syntax as plain words or nothing', () => {
    expect(toQuery('NEAR( AND OR NOT - * " ^ :')).toEqual(['near', 'and', 'or', 'not'].map((t) => ({ tokens: [t], prefix: false })));
    expect(toQuery('  ')).toEqual([]);
    expect(toQuery('"unclosed phrase')).toEqual([{ tokens: ['unclosed', 'phrase'], prefix: false }]);
  });

  it('drops repeated terms and bounds the number of terms', () => {
    expect(toQuery('led LED Led')).toHaveLength(1);
    expect(toQuery(Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ')).length).toBeLessThanOrEqual(16);
  });
});

describe('engine syntax', () => {
  const terms = toQuery('钨钢刀 "led panel" ship* 钢');

  it('quotes every FTS5 phrase and keeps only the prefix star', () => {
    expect(toFts5Match(terms)).toBe('"钨钢 钢刀" AND "led panel" AND "ship"* AND "钢"');
  });

  it('quotes every tsquery lexeme and joins phrases with <->', () => {
    expect(toTsquerySource(terms)).toBe(`('钨钢' <-> '钢刀') & ('led' <-> 'panel') & 'ship':* & '钢'`);
  });

  it('escapes quotes and backslashes even in tokens that cannot come from toQuery', () => {
    expect(toFts5Match([{ tokens: ['a"b'], prefix: false }])).toBe('"a""b"');
    expect(toTsquerySource([{ tokens: ["a'b\\"], prefix: false }])).toBe(`'a''b\\\\'`);
  });

  it('never yields tokens with anything but letters, digits and marks, whatever is typed', () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    const alphabet = [
      'a',
      'Z',
      '9',
      '"',
      "'",
      '*',
      '-',
      '(',
      ')',
      ':',
      '^',
      '\\',
      ' ',
      '报',
      '价',
      '钢',
      'é',
      '&',
      '|',
      '!',
      '<',
      '>',
      '“',
      '」',
    ];
    for (let n = 0; n < 500; n++) {
      const input = Array.from({ length: next() % 30 }, () => alphabet[next() % alphabet.length]).join('');
      for (const term of toQuery(input)) {
        for (const token of term.tokens) expect(token).toMatch(/^[\p{L}\p{N}\p{M}]+$/u);
      }
    }
  });
});

describe('traditional and simplified Chinese', () => {
  it('fold to one form at index and query time, so 出货 finds 出貨 and the other way round', () => {
    expect(toIndexText('請報價出貨日期')).toBe(toIndexText('请报价出货日期'));
    expect(toQuery('出貨')).toEqual(toQuery('出货'));
    expect(toCharacterIndexText('貨')).toBe(toCharacterIndexText('货'));
  });

  it('keeps the length of a run (character by character, not OpenCC phrases) and leaves kana and hangul alone', () => {
    expect(toIndexText('軟體')).toBe(toIndexText('软体'));
    expect(toIndexText('ソフトウェア 한국어')).toBe('ソフ フト トウ ウェ ェア ア 한국 국어 어');
  });
});
