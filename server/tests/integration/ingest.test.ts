import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../../src/compose.js';
import { ingestMail } from '../../src/modules/conversations/index.js';
import { createMailbox } from '../../src/modules/mailboxes/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';

const rfq = (transit: string) =>
  Buffer.from(
    `${transit}Message-ID: <rfq-1@customer.test>\r\nFrom: Maria <maria@customer.test>\r\nTo: sales@acme.test\r\nCc: info@acme.test\r\nSubject: =?UTF-8?B?6K+i5Lu3IExFRCBwYW5lbA==?=\r\nDate: Thu, 26 Nov 2026 10:00:00 +0100\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease quote 500 pcs, 报价 by Friday.\r\n`,
  );

describe.each(engines)('storing incoming mail on %s', (engine) => {
  let database: TestDatabase;
  let ws: Workspace;
  let sales: string;
  let info: string;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    ws = await openWorkspace({ ...database, secretKey: undefined });
    sales = (await createMailbox(ws.db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' })).id;
    info = (await createMailbox(ws.db, { address: 'info@acme.test', displayName: 'Info', purpose: 'inquiry' })).id;
  });
  afterAll(async () => {
    await ws?.close();
    await database?.drop();
  });

  it('keeps the raw bytes unchanged and decodes the headers', async () => {
    const raw = rfq('Received: by mx.acme.test\r\n');
    const stored = await ingestMail(ws, { raw, mailboxIds: [sales], source: 'smtp' });
    expect(stored.isNew).toBe(true);
    const row = await ws.db.selectFrom('messages').selectAll().where('id', '=', stored.messageId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ subject: '询价 LED panel', from_addr: 'maria@customer.test', from_name: 'Maria', parse_status: 'ok' });
    expect(row.snippet).toContain('报价');
    expect(JSON.parse(row.to_addrs)).toEqual(['sales@acme.test']);
    expect((await ws.blobs.get(row.raw_sha256)).equals(raw)).toBe(true);
  });

  it('stores a mail that reached two mailboxes once, in one conversation shown in both', async () => {
    const again = await ingestMail(ws, {
      raw: rfq('Delivered-To: info@acme.test\r\nReceived: by mx2\r\n'),
      mailboxIds: [info],
      source: 'smtp',
    });
    expect(again.isNew).toBe(false);
    const messages = await ws.db.selectFrom('messages').select('id').where('message_id_header', '=', '<rfq-1@customer.test>').execute();
    expect(messages).toHaveLength(1);
    const locations = await ws.db.selectFrom('message_locations').select('mailbox_id').where('message_id', '=', again.messageId).execute();
    expect(locations.map((l) => l.mailbox_id).sort()).toEqual([sales, info].sort());
    const queues = await ws.db
      .selectFrom('conversation_mailboxes')
      .select('mailbox_id')
      .where('conversation_id', '=', again.conversationId)
      .execute();
    expect(queues.map((q) => q.mailbox_id).sort()).toEqual([sales, info].sort());
  });

  it('is idempotent: the same delivery stored twice adds nothing', async () => {
    const before = await ws.db.selectFrom('message_locations').select('id').execute();
    await ingestMail(ws, { raw: rfq('Received: by mx.acme.test\r\n'), mailboxIds: [sales], source: 'smtp' });
    expect(await ws.db.selectFrom('message_locations').select('id').execute()).toHaveLength(before.length);
  });

  it('treats a reused Message-ID with another body as another message', async () => {
    const other = Buffer.from(rfq('').toString().replace('Please quote 500 pcs', 'Please quote 900 pcs'));
    expect((await ingestMail(ws, { raw: other, mailboxIds: [sales], source: 'smtp' })).isNew).toBe(true);
  });

  it('files a reply that names the first mail in In-Reply-To into its conversation', async () => {
    const first = await ingestMail(ws, {
      raw: Buffer.from(rfq('').toString().replace('<rfq-1@', '<order-7@')),
      mailboxIds: [sales],
      source: 'smtp',
    });
    const reply = Buffer.from(
      'Message-ID: <order-8@customer.test>\r\nFrom: maria@customer.test\r\nTo: sales@acme.test\r\nSubject: Re: 询价\r\nIn-Reply-To: <order-7@customer.test>\r\nReferences: <order-7@customer.test>\r\n\r\nAny news?\r\n',
    );
    const stored = await ingestMail(ws, { raw: reply, mailboxIds: [sales], source: 'smtp' });
    expect(stored.conversationId).toBe(first.conversationId);
  });

  it('stores a mail it cannot make sense of, raw, instead of dropping it', async () => {
    const garbage = Buffer.from([0x00, 0xff, 0xfe, 0x0a, 0x0d, 0x0a, 0x80, 0x81]);
    const stored = await ingestMail(ws, { raw: garbage, mailboxIds: [sales], source: 'smtp' });
    const row = await ws.db.selectFrom('messages').selectAll().where('id', '=', stored.messageId).executeTakeFirstOrThrow();
    expect((await ws.blobs.get(row.raw_sha256)).equals(garbage)).toBe(true);
    expect(row.raw_size).toBe(garbage.length);
  });
});
