import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
// @ts-expect-error the bench's corpus generator is plain JavaScript
import { corpus } from '../../../../scripts/bench/corpus.mjs';
import { analyseMail } from './header-rewrite.js';
import { parseMail, parseWithMailparser } from './parse-mail.js';
import { readPlainMail } from './plain-mail.js';

// The short path (readPlainMail) must read every mail it accepts exactly as mailparser's path does.

const here = path.dirname(fileURLToPath(import.meta.url));
const dirs = [
  path.join(here, 'fixtures'),
  path.join(here, '../../../tests/fixtures/fraud/eval'),
  path.join(here, '../../../tests/fixtures/fraud/history'),
];
const fixtures = dirs.flatMap((dir) =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.eml'))
    .map((name) => path.join(dir, name)),
);

async function compare(raw: Buffer): Promise<boolean> {
  const analysed = analyseMail(raw);
  const plain = readPlainMail(raw, analysed);
  if (!plain) return false;
  const full = await parseWithMailparser(raw, analyseMail(raw));
  expect(plain).toEqual(full);
  return true;
}

const crlf = (lines: string[]) => Buffer.from(lines.join('\r\n'));

describe('readPlainMail: the short path reads as mailparser does', () => {
  it('on every fixture it accepts', async () => {
    let accepted = 0;
    for (const file of fixtures) if (await compare(readFileSync(file))) accepted++;
    // Most fixtures are damaged or unusual on purpose; the fraud ones are ordinary mail.
    expect(accepted).toBeGreaterThan(50);
  }, 120_000);

  it('on the bench corpus (UTF-8, GBK, alternatives, attachments), accepting all of it', async () => {
    let accepted = 0;
    const mails = [...corpus(200, 7)] as Buffer[];
    for (const raw of mails) if (await compare(raw)) accepted++;
    expect(accepted).toBe(mails.length);
  }, 120_000);

  it('on quoted-printable, undeclared 8-bit text, folded encoded words and quoted names', async () => {
    const gbk = iconv.encode('您好，请报价', 'gbk');
    const mails = [
      crlf([
        'From: "Müller, Jörg" <J.Mueller@Example.DE>',
        'To: =?utf-8?Q?Zo=C3=AB?= <zoe@example.com>, bob@example.com',
        'Cc: Team: a@example.com, "B" <b@example.com>;',
        'Subject: =?utf-8?Q?Gr=C3=BC=C3=9Fe?=',
        ' =?utf-8?B?IGF1cyBCZXJsaW4=?=',
        'Content-Type: text/plain; charset=iso-8859-1',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        'Gr=FC=DFe aus Berlin,=',
        ' lange Zeile',
        '',
      ]),
      Buffer.concat([crlf(['From: sales@example.cn', 'Subject: ', 'Content-Type: text/plain', '', '']), gbk, Buffer.from('\r\n')]),
      Buffer.concat([crlf(['From: a@example.com', 'Subject: raw', '', '']), gbk]),
      crlf([
        'From: a@example.com',
        'Content-Type: multipart/mixed; boundary=x',
        '',
        '--x',
        'Content-Type: text/plain; charset=utf-8',
        '',
        'See the file.',
        '--x',
        'Content-Type: application/octet-stream; name="=?utf-8?B?5oql5Lu35Y2VLnBkZg==?="',
        "Content-Disposition: attachment; filename*=utf-8''%E6%8A%A5%E4%BB%B7.xlsx",
        'Content-ID: <part1@x>',
        'Content-Transfer-Encoding: base64',
        '',
        'AAECAw==',
        '--x--',
        '',
      ]),
    ];
    for (const raw of mails) expect(await compare(raw)).toBe(true);
  });

  it('on inline images (related in alternative, alternative in related, cid references), HTML with files only, text files', async () => {
    const png = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
    const gbkName = `=?GBK?B?${iconv.encode('标志.png', 'gbk').toString('base64')}?=`;
    const image = (headers: string[]) => [...headers, 'Content-Transfer-Encoding: base64', '', png];
    const thunderbird = crlf([
      `From: =?GBK?B?${iconv.encode('王经理', 'gbk').toString('base64')}?= <wang@example.cn>`,
      'To: =?utf-8?B?5byg5LiJ?= <zhang@example.com>, "Li, Si" <li@example.com>',
      'Subject: logo',
      'Content-Type: multipart/alternative; boundary=a',
      '',
      '--a',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'See the logo.',
      '--a',
      'Content-Type: multipart/related; boundary=r',
      '',
      '--r',
      'Content-Type: text/html; charset=utf-8',
      '',
      '<p>See <img src="cid:Logo@X"></p>',
      '--r',
      ...image([`Content-Type: image/png; name="${gbkName}"`, 'Content-Disposition: inline', 'Content-ID: <logo@x>']),
      '--r--',
      '--a--',
    ]);
    const outlook = crlf([
      'From: b@example.com',
      'Content-Type: multipart/mixed; boundary=m',
      '',
      '--m',
      'Content-Type: multipart/related; boundary="r"; type="multipart/alternative"',
      '',
      '--r',
      'Content-Type: multipart/alternative; boundary=a',
      '',
      '--a',
      'Content-Type: text/plain; charset="gb2312"',
      'Content-Transfer-Encoding: base64',
      '',
      iconv.encode('您好，见附件。', 'gbk').toString('base64'),
      '--a',
      'Content-Type: text/html; charset="gb2312"',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      '<p>=C4=FA=BA=C3</p><img src=3D"cid:image001.png@01D">',
      '--a--',
      '',
      '--r',
      ...image(['Content-Type: image/png; name="image001.png"', 'Content-ID: <image001.png@01D>']),
      '--r',
      ...image(['Content-Type: image/gif', 'Content-ID: <unused@01D>']),
      '--r--',
      '',
      '--m',
      ...image(['Content-Type: application/pdf; name="quote.pdf"', 'Content-Disposition: attachment; filename="quote.pdf"']),
      '--m--',
    ]);
    const htmlWithFiles = (top: string) =>
      crlf([
        'From: c@example.com',
        `Content-Type: ${top}; boundary=x`,
        '',
        '--x',
        'Content-Type: text/html; charset=utf-8',
        '',
        '<p>Caf&eacute; <img src="cid:a@b"></p>',
        '--x',
        ...image(['Content-Type: image/png', 'Content-Disposition: attachment; filename=a.png', 'Content-ID: <a@b>']),
        '--x',
        ...image(['Content-Type: application/octet-stream; name=sheet.xlsx', 'Content-Disposition: inline']),
        '--x--',
      ]);
    const textFiles = crlf([
      'From: d@example.com',
      'Content-Type: multipart/mixed; boundary=x',
      '',
      '--x',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Files attached.',
      '--x',
      'Content-Type: text/html; charset=utf-8; name=invoice.html',
      'Content-Disposition: attachment; filename=invoice.html',
      '',
      '<script>location="http://x.test"</script>',
      '--x',
      'Content-Type: text/plain; name=list.txt',
      'Content-Disposition: attachment',
      'Content-Transfer-Encoding: base64',
      '',
      iconv.encode('型号 数量', 'gbk').toString('base64'),
      '--x',
      'Content-Type: text/csv; charset=gbk',
      'Content-Disposition: attachment; filename="=?utf-8?B?5oql5Lu3LmNzdg==?="',
      '',
      'a,b',
      '--x--',
    ]);
    for (const raw of [thunderbird, outlook, htmlWithFiles('multipart/related'), htmlWithFiles('multipart/mixed'), textFiles]) {
      expect(await compare(raw)).toBe(true);
    }
    const read = readPlainMail(outlook, analyseMail(outlook));
    expect(read?.text).toBe('您好，见附件。');
    expect(read?.attachments.map((a) => [a.filename, a.contentId, a.isInline])).toEqual([
      ['image001.png', 'image001.png@01D', true],
      ['attachment-2.gif', 'unused@01D', false],
      ['quote.pdf', null, false],
    ]);
    expect(readPlainMail(thunderbird, analyseMail(thunderbird))?.from?.name).toBe('王经理');
  });

  it('on format=flowed text: DelSp=yes and no, quoted flowed lines, signatures, GBK, base64 and quoted-printable', async () => {
    const flowed = (params: string, body: string[] | Buffer, encoding = '') =>
      Buffer.concat([
        crlf([
          'From: a@example.com',
          `Content-Type: text/plain; ${params}`,
          ...(encoding ? [`Content-Transfer-Encoding: ${encoding}`] : []),
          '',
          '',
        ]),
        Buffer.isBuffer(body) ? body : crlf(body),
      ]);
    const lines = [
      'Hello, this is a ',
      'flowed paragraph.',
      '',
      '> quoted and ',
      '> flowed ',
      '>> deeper ',
      '>> still',
      ' stuffed ',
      'line',
      '-- ',
      'Sig',
    ];
    const mails = [
      flowed('charset=utf-8; format=flowed', lines),
      flowed('charset=utf-8; format="Flowed"; delsp=yes', ['您好，请报', '价。谢谢 ', '您', '> 引 ', '> 用']),
      flowed('format=flowed; DelSp=Yes; charset=gbk', Buffer.from(iconv.encode('请报 \r\n价 \r\n单', 'gbk').toString('base64')), 'base64'),
      flowed('format=flowed; charset=iso-8859-1', ['Gr=FC=DFe, =', 'soft ', 'and flowed', ''], 'quoted-printable'),
      flowed('format=fixed', ['not ', 'flowed']),
    ];
    for (const raw of mails) expect(await compare(raw)).toBe(true);
    expect(readPlainMail(mails[1] as Buffer, analyseMail(mails[1] as Buffer))?.text).toBe('您好，请报\n价。谢谢您\n> 引用');
  });

  it('leaves what it does not know to mailparser', async () => {
    const htmlRoot = crlf(['From: a@example.com', 'Content-Type: text/html', '', '<p>x</p>']);
    const relatedText = crlf([
      'From: a@example.com',
      'Content-Type: multipart/related; boundary=r',
      '',
      '--r',
      'Content-Type: text/html',
      '',
      '<p>x</p>',
      '--r',
      'Content-Type: text/css',
      '',
      'p { color: red }',
      '--r--',
    ]);
    const relatedTwice = crlf([
      'From: a@example.com',
      'Content-Type: multipart/alternative; boundary=a',
      '',
      '--a',
      'Content-Type: text/plain',
      '',
      'x',
      '--a',
      'Content-Type: text/html',
      '',
      '<p>x</p>',
      '--a',
      'Content-Type: text/html',
      '',
      '<p>y</p>',
      '--a--',
    ]);
    const named = crlf([
      'From: a@example.com',
      'Content-Type: multipart/mixed; boundary=x',
      '',
      '--x',
      'Content-Type: text/plain',
      '',
      'a',
      '--x',
      'Content-Type: text/plain; name=list.txt',
      'Content-Disposition: inline; filename=list.txt',
      '',
      'b',
      '--x--',
    ]);
    for (const raw of [htmlRoot, relatedText, relatedTwice, named]) {
      expect(readPlainMail(raw, analyseMail(raw))).toBeNull();
      expect((await parseMail(raw)).parseStatus).not.toBe('failed');
    }
  });
});
