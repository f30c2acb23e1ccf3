import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeLabelledUtf8, decodeUndeclared, detectCharset, isValidUtf8 } from './charset-detection.js';

const gbk = (text: string) => iconv.encode(text, 'gb18030');

describe('detectCharset', () => {
  it.each([
    ['您好，请报价。', 'gb18030', 'gb18030'],
    ['关于报价单的询问（第二版）', 'gb18030', 'gb18030'],
    ['张经理', 'gb18030', 'gb18030'],
    ['您好，請報價。', 'big5', 'big5hkscs'],
    ['陳小姐', 'big5', 'big5hkscs'],
    ['許功蓋', 'big5', 'big5hkscs'],
    ['Réunion à Paris', 'windows-1252', 'windows-1252'],
    ['Grüße aus München', 'windows-1252', 'windows-1252'],
    ['Größe', 'windows-1252', 'windows-1252'],
    ['Señor García, ¿cómo está?', 'windows-1252', 'windows-1252'],
    ['“quoted” – €5', 'windows-1252', 'windows-1252'],
    ['报价 price', 'utf-8', 'utf-8'],
  ])('detects %s written in %s as %s', (text, charset, expected) => {
    const bytes = charset === 'utf-8' ? Buffer.from(text) : iconv.encode(text, charset);
    expect(detectCharset(bytes)).toBe(expected);
  });

  it('follows a declared multi-byte hint when it decodes cleanly, and ignores it when it does not', () => {
    expect(detectCharset(gbk('镕堃'))).toBe('windows-1252');
    expect(detectCharset(gbk('镕堃'), 'gb18030')).toBe('gb18030');
    expect(detectCharset(iconv.encode('您好，請報價。', 'big5'), 'gb18030')).toBe('big5hkscs');
  });

  it('falls back to a declared single-byte hint rather than windows-1252', () => {
    expect(detectCharset(iconv.encode('Здравствуйте', 'koi8-r'), 'koi8r')).toBe('koi8r');
  });
});

describe('isValidUtf8', () => {
  it('accepts UTF-8 and ASCII, refuses GBK and a lone continuation byte', () => {
    expect(isValidUtf8(Buffer.from('报价 Grüße'))).toBe(true);
    expect(isValidUtf8(Buffer.from('plain'))).toBe(true);
    expect(isValidUtf8(gbk('报价'))).toBe(false);
    expect(isValidUtf8(Buffer.from([0x61, 0x80]))).toBe(false);
  });
});

describe('decodeUndeclared', () => {
  it('prefers the charset an HTML meta tag declares over guessing', () => {
    const html = Buffer.concat([Buffer.from('<meta charset="big5">'), iconv.encode('報價', 'big5')]);
    expect(decodeUndeclared(html, null)).toBe('<meta charset="big5">報價');
  });

  it('keeps valid UTF-8 and detects the rest', () => {
    expect(decodeUndeclared(Buffer.from('报价'), 'big5hkscs')).toBe('报价');
    expect(decodeUndeclared(gbk('请确认订单数量。'), null)).toBe('请确认订单数量。');
  });
});

describe('decodeLabelledUtf8', () => {
  it('believes the UTF-8 label over one stray byte, and not over bytes that are mostly GBK', () => {
    expect(decodeLabelledUtf8(Buffer.concat([Buffer.from('价格 '), Buffer.from([0xff])]), null)).toBe('价格 \ufffd');
    expect(decodeLabelledUtf8(gbk('请确认订单数量。'), null)).toBe('请确认订单数量。');
  });
});
