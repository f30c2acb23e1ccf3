import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../../src/compose.js';
import { ingestMail } from '../../src/modules/conversations/index.js';
import { createMailbox } from '../../src/modules/mailboxes/index.js';
import { searchMessages } from '../../src/modules/search/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';

/** A plain-text mail as a client sends it: the body exactly as given (already wrapped and encoded). */
const mail = (name: string, contentType: string, transferEncoding: string, body: string | Buffer) =>
  Buffer.concat([
    Buffer.from(
      [
        `Message-ID: <${name}@customer.test>`,
        'From: Wang Lei <wang@customer.test>',
        'To: sales@acme.test',
        `Subject: ${name}`,
        'Date: Thu, 26 Nov 2026 10:00:00 +0800',
        'MIME-Version: 1.0',
        `Content-Type: ${contentType}`,
        `Content-Transfer-Encoding: ${transferEncoding}`,
        '',
        '',
      ].join('\r\n'),
    ),
    Buffer.isBuffer(body) ? body : Buffer.from(body),
  ]);

/** Quoted-printable with a soft line break (=CRLF) every `width` encoded characters, even inside a character's bytes. */
function qpWrapped(bytes: Buffer, width: number): string {
  const encoded = [...bytes].map((b) => `=${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  const lines: string[] = [];
  for (let i = 0; i < encoded.length; i += width) lines.push(encoded.slice(i, i + width));
  return `${lines.join('=\r\n')}\r\n`;
}

describe.each(engines)('searching Chinese mail hard-wrapped by the sender’s client, on %s', (engine) => {
  let database: TestDatabase;
  let ws: Workspace;
  let sales: string;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    ws = await openWorkspace({ ...database, secretKey: undefined });
    sales = (await createMailbox(ws.db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' })).id;
    const deps = {
      ...ws,
      ctx: {
        engine: ws.engine,
        ownAddresses: new Set(['sales@acme.test']),
        messageIds: ws.messageIds,
        recordReopened: ws.recordReopened,
        teamActivity: ws.teamActivity,
      },
    };
    const mails = [
      // Wrapped at a fixed width by the client: 报 | 价 across a hard line break (CRLF).
      mail('hard-wrapped', 'text/plain; charset=utf-8', '8bit', '您好！我们想采购一批LED面板，请尽快报\r\n价，并寄送样品。\r\n'),
      // The same in GBK, as Foxmail or Outlook (Chinese) send it.
      mail('gbk-wrapped', 'text/plain; charset=gbk', '8bit', iconv.encode('请提供付\r\n款方式和交货期。\r\n', 'gbk')),
      // A reply quoting the wrapped inquiry: both quoted lines keep their "> " marks.
      mail('quoted-wrapped', 'text/plain; charset=utf-8', '8bit', '已收到，谢谢。\r\n\r\n> 我们需要钨\r\n> 钢刀具的目录。\r\n'),
      // format=flowed with DelSp=yes (RFC 3676), how Thunderbird and Apple Mail flow CJK text.
      mail('flowed', 'text/plain; charset=utf-8; format=flowed; delsp=yes', '8bit', '请确认订单的包 \r\n装要求。\r\n'),
      // Quoted-printable soft breaks, one of them in the middle of a character's UTF-8 bytes.
      mail('quoted-printable', 'text/plain; charset=utf-8', 'quoted-printable', qpWrapped(Buffer.from('请把发票寄给我们。'), 22)),
      // Two paragraphs: the blank line is a real break, 收 and 货 are not one word here.
      mail('paragraphs', 'text/plain; charset=utf-8', '8bit', '请确认收\r\n\r\n货地址：宁波\r\nShipping by sea\r\n\r\nport Ningbo\r\n'),
    ];
    for (const [i, raw] of mails.entries()) {
      await ingestMail(deps, { raw, mailboxIds: [sales], source: 'smtp', receivedAt: Date.UTC(2026, 10, 1 + i) });
    }
  });
  afterAll(async () => {
    await ws?.close();
    await database?.drop();
  });

  const search = async (query: string) => {
    const hits = await searchMessages(ws.db, engine, { query, limit: 50, mailboxIds: 'all' });
    if (hits.length === 0) return [];
    const rows = await ws.db
      .selectFrom('messages')
      .select(['id', 'subject'])
      .where(
        'id',
        'in',
        hits.map((h) => h.messageId),
      )
      .execute();
    return rows.map((r) => r.subject).sort();
  };

  it('finds a 2-character word cut by a hard line break, in UTF-8 and in GBK', async () => {
    expect(await search('报价')).toEqual(['hard-wrapped']);
    expect(await search('付款')).toEqual(['gbk-wrapped']);
    expect(await search('尽快报价')).toEqual(['hard-wrapped']);
  });

  it('finds a word cut inside quoted lines of a reply', async () => {
    expect(await search('钨钢刀具')).toEqual(['quoted-wrapped']);
  });

  it('finds a word cut by a format=flowed soft break and by quoted-printable soft breaks', async () => {
    expect(await search('包装')).toEqual(['flowed']);
    expect(await search('发票')).toEqual(['quoted-printable']);
  });

  it('does not join across a paragraph break, nor Latin words across lines', async () => {
    expect(await search('收货')).toEqual([]);
    expect(await search('seaport')).toEqual([]);
    expect(await search('"by sea"')).toEqual(['paragraphs']);
  });
});
