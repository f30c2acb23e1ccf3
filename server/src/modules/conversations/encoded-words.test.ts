import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeHeaderValue } from './encoded-words.js';

const gbk = (text: string) => iconv.encode(text, 'gb18030');

describe('decodeHeaderValue', () => {
  const b = (charset: string, bytes: Buffer) => `=?${charset}?B?${bytes.toString('base64')}?=`;

  it('drops the whitespace between adjacent encoded words but keeps it around plain text', () => {
    expect(decodeHeaderValue(Buffer.from('=?UTF-8?Q?a?= =?UTF-8?Q?b?= c =?UTF-8?Q?d?='))).toBe('ab c d');
  });

  it('joins a GBK character split across two words, even under two spellings of the label', () => {
    const bytes = gbk('王堃');
    expect(decodeHeaderValue(Buffer.from(`${b('gb2312', bytes.subarray(0, 3))}\r\n ${b('GBK', bytes.subarray(3))}`))).toBe('王堃');
  });

  it('decodes adjacent words in different charsets each by its own', () => {
    expect(decodeHeaderValue(Buffer.from(`${b('GBK', gbk('报价'))} ${b('big5', iconv.encode('報價', 'big5'))}`))).toBe('报价報價');
  });

  it('reads raw 8-bit text as UTF-8 when valid, else in the given charset', () => {
    expect(decodeHeaderValue(Buffer.from('Re: 报价'))).toBe('Re: 报价');
    expect(decodeHeaderValue(Buffer.concat([Buffer.from('Re: '), gbk('报价')]), 'gb18030')).toBe('Re: 报价');
  });

  it('keeps malformed words as text', () => {
    expect(decodeHeaderValue(Buffer.from('=?UTF-8?X?abc?= =?broken'))).toBe('=?UTF-8?X?abc?= =?broken');
  });

  it('reads underscores in Q words as spaces and =XX as bytes', () => {
    expect(decodeHeaderValue(Buffer.from('=?UTF-8?Q?Gr=C3=BC=C3=9Fe_aus_M=C3=BCnchen?='))).toBe('Grüße aus München');
  });

  it('detects the bytes of a word whose charset label nobody knows', () => {
    expect(decodeHeaderValue(Buffer.from(b('x-unknown', gbk('请确认订单数量。'))))).toBe('请确认订单数量。');
  });
});
