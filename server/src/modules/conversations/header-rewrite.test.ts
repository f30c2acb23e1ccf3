import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { prepareParserInput } from './header-rewrite.js';

const gbk = (text: string) => iconv.encode(text, 'gb18030');

describe('prepareParserInput', () => {
  it('leaves bodies alone and writes header text as UTF-8', () => {
    const raw = Buffer.concat([
      Buffer.from('Subject: '),
      gbk('报价'),
      Buffer.from('\r\nContent-Type: text/plain; charset=gbk\r\n\r\n'),
      gbk('正文'),
    ]);
    const { input } = prepareParserInput(raw);
    expect(input.toString('utf8').startsWith('Subject: 报价\r\n')).toBe(true);
    expect(input.subarray(input.length - 4).equals(gbk('正文'))).toBe(true);
  });

  const headerOf = (input: Buffer) => input.toString('utf8').split('\r\n\r\n')[0];

  it('writes each run of encoded words as one UTF-8 word, joined across a split character', () => {
    const bytes = gbk('王堃');
    const raw = Buffer.from(
      `Subject: =?gbk?B?${bytes.subarray(0, 3).toString('base64')}?= =?gbk?Q?${[...bytes.subarray(3)].map((x) => `=${x.toString(16).toUpperCase()}`).join('')}?=\r\nContent-Type: text/plain; charset=gbk\r\n\r\nhi`,
    );
    expect(headerOf(prepareParserInput(raw).input)).toBe(
      `Subject: =?UTF-8?B?${Buffer.from('王堃').toString('base64')}?=\r\nContent-Type: text/plain; charset=gbk`,
    );
  });

  it('writes RFC 2231 continuations in another charset as one UTF-8 parameter', () => {
    const raw = Buffer.from(
      "Content-Type: application/pdf\r\nContent-Disposition: attachment; filename*0*=gbk''%B1%A8; filename*1*=%BC%DB.pdf\r\n\r\n%PDF",
    );
    expect(headerOf(prepareParserInput(raw).input)).toContain("Content-Disposition: attachment; filename*=utf-8''%E6%8A%A5%E4%BB%B7.pdf");
  });

  it('routes text parts mailparser would read as UTF-8 unchecked to the body decoder, with the mail’s charset as hint', () => {
    const raw = Buffer.from(
      'Subject: =?gb2312?B?sai8yw==?=\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nx\r\n--b\r\n\r\ny\r\n--b--\r\n',
    );
    const prepared = prepareParserInput(raw).input.toString('latin1');
    expect(prepared).toContain('Content-Type: text/plain; charset="x-pier-undeclared+gb18030"\r\n\r\nx');
    expect(prepared).toContain('--b\r\nContent-Type: text/plain; charset="x-pier-undeclared+gb18030"\r\n\r\ny');
  });

  it('says which charset the raw header text was detected in, and what the walk found broken', () => {
    const raw = Buffer.concat([Buffer.from('From: '), gbk('张经理'), Buffer.from(' <a@b.cn>\r\nContent-Type: multipart/mixed\r\n\r\nx')]);
    expect(prepareParserInput(raw)).toMatchObject({ headerCodec: 'gb18030', issues: ['multipart/mixed without boundary'] });
  });

  it('returns the same bytes for a mail that needs no rewriting', () => {
    const raw = Buffer.from('Subject: plain\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nhi');
    expect(prepareParserInput(raw).input.equals(raw)).toBe(true);
  });

  it('inserts the missing Content-Type once when the first field is rewritten too (the header block was doubled)', () => {
    const subject = `=?UTF-8?B?${Buffer.from('报价').toString('base64')}?=`;
    const raw = Buffer.from(`Subject: =?gbk?B?${gbk('报价').toString('base64')}?=\r\nTo: a@b.cn\r\n\r\nhi`);
    expect(prepareParserInput(raw).input.toString('latin1')).toBe(
      `Content-Type: text/plain; charset="x-pier-undeclared+gb18030"\r\nSubject: ${subject}\r\nTo: a@b.cn\r\n\r\nhi`,
    );
  });
});
