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

  it('leaves what it does not know to mailparser', async () => {
    const related = crlf([
      'From: a@example.com',
      'Content-Type: multipart/related; boundary=r',
      '',
      '--r',
      'Content-Type: text/html',
      '',
      '<p>x</p>',
      '--r--',
    ]);
    const flowed = crlf(['From: a@example.com', 'Content-Type: text/plain; format=flowed', '', 'a ', 'b']);
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
    for (const raw of [related, flowed, named]) {
      expect(readPlainMail(raw, analyseMail(raw))).toBeNull();
      expect((await parseMail(raw)).parseStatus).not.toBe('failed');
    }
  });
});
