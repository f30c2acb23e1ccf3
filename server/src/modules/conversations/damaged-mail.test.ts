import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseMail } from './parse-mail.js';

// Real-world damage families of issue 17 (gateways that rewrite mail), one fixture each, written
// for this test (no third-party corpus): each read wrong before the fix.
const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => readFileSync(path.join(here, 'fixtures', `damaged-${name}.eml`));
const chinese = '您好，请报价出货日期。谢谢';

describe('parseMail: mail damaged on the way', () => {
  it('reads a text part declared base64 that holds raw 8-bit text as the text it is', async () => {
    const mail = await parseMail(fixture('b64-raw8bit'));
    expect(mail.text).toBe(chinese);
    expect(mail.parseStatus).toBe('partial');
    expect(mail.parseError).toContain('declared base64 holds raw text');
  });

  it('decodes the valid base64 and leaves out junk after it, instead of reading it all as windows-1252', async () => {
    const mail = await parseMail(fixture('b64-junk'));
    expect(mail.text).toBe('yötä kellon');
    expect(mail.parseError).toContain('junk after the base64');
  });

  it('checks a declared big5 against the bytes: GB2312 under a big5 label reads as Chinese', async () => {
    expect((await parseMail(fixture('big5-on-gb'))).text).toBe(chinese);
  });

  it('reads a multipart whose boundary lines were all stripped as text', async () => {
    const mail = await parseMail(fixture('multipart-noboundary'));
    expect(mail.text).toBe(chinese);
    expect(mail.parseError).toContain('without any boundary line');
  });

  it('decodes encoded words continued on the next line without folding whitespace', async () => {
    expect((await parseMail(fixture('ew-nofold'))).subject).toBe('询价单出货');
    expect((await parseMail(fixture('ew-split-word'))).subject).toBe('关于出货的询价单');
  });

  it('decodes every named HTML entity of an HTML-only mail', async () => {
    expect((await parseMail(fixture('html-entities'))).text).toBe('Grüße aus Köln, café & €5 …');
  });

  it('decodes UTF-7 text', async () => {
    expect((await parseMail(fixture('utf7'))).text).toBe('Frösche Grüße');
  });

  it('keeps an inline text part with a file name as an attachment, and its text in the body', async () => {
    const mail = await parseMail(fixture('inline-text-file'));
    expect(mail.text).toBe('See the list.\n\nitem 1\nitem 2');
    expect(mail.attachments.map((a) => [a.filename, a.mime, a.isInline, a.content.toString()])).toEqual([
      ['list.txt', 'text/plain', false, 'item 1\r\nitem 2'],
    ]);
  });

  it('still reads a declared GB2312 or Big5 body that is right as declared', async () => {
    const gb = Buffer.concat([
      Buffer.from('Subject: x\r\nContent-Type: text/plain; charset=gb2312\r\n\r\n'),
      Buffer.from([0xc4, 0xfa, 0xba, 0xc3]),
    ]);
    expect((await parseMail(gb)).text).toBe('您好');
    const big5 = Buffer.concat([
      Buffer.from('Subject: x\r\nContent-Type: text/plain; charset=big5\r\n\r\n'),
      Buffer.from([0xb1, 0x7a, 0xa6, 0x6e, 0xa1, 0x41, 0xbd, 0xd0, 0xb3, 0xf8, 0xbb, 0xf9, 0xa5, 0x58, 0xb3, 0x66]),
    ]);
    expect((await parseMail(big5)).text).toBe('您好，請報價出貨');
  });
});
