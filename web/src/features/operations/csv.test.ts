import { describe, expect, it } from 'vitest';
import { csvText } from './csv';

describe('csvText', () => {
  it('writes UTF-8 with a BOM, quotes what needs it and neutralises formulas', () => {
    expect(
      csvText([
        ['邮箱', 'count'],
        ['sales@acme.test', 16],
        ['a, "b"', null],
        ['=HYPERLINK("x")', -1],
      ]),
    ).toBe('\ufeff邮箱,count\r\nsales@acme.test,16\r\n"a, ""b""",\r\n"\'=HYPERLINK(""x"")",-1\r\n');
  });
});
