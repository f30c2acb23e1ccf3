import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeBytes, resolveCharset } from './charsets.js';

describe('resolveCharset', () => {
  it.each([
    ['GB2312', 'gb18030'],
    ['gbk', 'gb18030'],
    ['x-gbk', 'gb18030'],
    ['CP936', 'gb18030'],
    ['EUC-CN', 'gb18030'],
    ['gb_2312-80', 'gb18030'],
    ['GB18030', 'gb18030'],
    ['Big5', 'big5hkscs'],
    ['Big5-HKSCS', 'big5hkscs'],
    ['iso-8859-1', 'windows-1252'],
    ['US-ASCII', 'windows-1252'],
    ['latin1', 'windows-1252'],
    ['ks_c_5601-1987', 'cp949'],
    ['Shift_JIS', 'shiftjis'],
    ['ISO-2022-JP', 'iso-2022-jp'],
    ['KOI8-R', 'koi8r'],
    ['win-1251', 'windows1251'],
    ['UTF-8', 'utf-8'],
    ['utf-8*en', 'utf-8'],
    ['UTF-7', 'utf7'],
  ])('resolves %s to %s', (label, codec) => {
    expect(resolveCharset(label)).toBe(codec);
  });

  it('knows nothing of transfer encodings or made-up names', () => {
    expect(resolveCharset('base64')).toBeNull();
    expect(resolveCharset('x-unknown-charset')).toBeNull();
    expect(resolveCharset('')).toBeNull();
  });
});

describe('decodeBytes', () => {
  it('decodes ISO-2022-JP including JIS X 0212 and a mislabelled Shift_JIS body', () => {
    const jis0212 = Buffer.from([0x1b, 0x24, 0x28, 0x44, 0x30, 0x21, 0x1b, 0x28, 0x42]);
    expect(decodeBytes(jis0212, 'iso-2022-jp')).toBe('丂');
    expect(decodeBytes(iconv.encode('見積', 'shiftjis'), 'iso-2022-jp')).toBe('見積');
  });
});
