import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../../src/compose.js';
import { ingestMail, prepareMail, storePreparedBatch } from '../../src/modules/conversations/index.js';
import { createMailbox } from '../../src/modules/mailboxes/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';

/**
 * Issue 17 §2: a reply whose client dropped In-Reply-To and References ("Re: Inquiry" a day
 * after "Inquiry") joins the customer's conversation with that subject; the same subject from
 * another customer stays apart. Checked in both arrival orders (IMAP syncs newest first).
 */
const DAY = 24 * 60 * 60_000;
let counter = 0;
const mail = (from: string, subject: string) =>
  Buffer.from(
    [
      `Message-ID: <st-${++counter}-${Math.random().toString(36).slice(2)}@customer.test>`,
      `From: ${from}`,
      'To: sales@acme.test',
      `Subject: ${subject}`,
      'Date: Thu, 26 Nov 2026 10:00:00 +0100',
      'Content-Type: text/plain; charset=utf-8',
      '',
      `Mail ${counter}`,
      '',
    ].join('\r\n'),
  );

describe.each(engines)('replies that lost their threading headers, on %s', (engine) => {
  let database: TestDatabase;
  let ws: Workspace;
  let sales: string;
  const base = Date.UTC(2026, 10, 2, 9);

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    ws = await openWorkspace({ ...database, secretKey: undefined });
    sales = (await createMailbox(ws.db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' })).id;
  });
  afterAll(async () => {
    await ws?.close();
    await database?.drop();
  });
  const ctx = () => ({
    engine: ws.engine,
    ownAddresses: new Set(['sales@acme.test']),
    messageIds: ws.messageIds,
    recordReopened: ws.recordReopened,
    teamActivity: ws.teamActivity,
  });
  const store = (raw: Buffer, receivedAt: number) =>
    ingestMail({ ...ws, ctx: ctx() }, { raw, mailboxIds: [sales], source: 'imap', receivedAt });

  it('joins "Re: Inquiry" a day after the same customer’s "Inquiry", and keeps another customer’s "Re: Inquiry" apart', async () => {
    const first = await store(mail('Hans <hans@hanse-licht.de>', 'Inquiry'), base);
    const reply = await store(mail('Hans <hans@hanse-licht.de>', 'Re: Inquiry'), base + DAY);
    expect(reply.conversationId).toBe(first.conversationId);
    const other = await store(mail('Ana <ana@globex.es>', 'Re: Inquiry'), base + DAY + 1000);
    expect(other.conversationId).not.toBe(first.conversationId);
  });

  it('joins a colleague at the same company writing "AW: Inquiry", but not someone on the same free-mail provider', async () => {
    const first = await store(mail('Jonas <jonas@hanse-import.de>', 'Anfrage Downlights'), base);
    const colleague = await store(mail('Petra <petra@hanse-import.de>', 'AW: Anfrage Downlights'), base + DAY);
    expect(colleague.conversationId).toBe(first.conversationId);
    const a = await store(mail('Li <li.ming@163.com>', 'Quotation LED'), base);
    const b = await store(mail('Wang <wang.fang@163.com>', 'Re: Quotation LED'), base + DAY);
    expect(b.conversationId).not.toBe(a.conversationId);
  });

  it('joins when the reply arrives first (newest-first sync) and the original after it', async () => {
    const reply = await store(mail('Hans <hans@hanse-licht.de>', 'RE: Price list 2027'), base + DAY);
    const original = await store(mail('Hans <hans@hanse-licht.de>', 'Price list 2027'), base);
    expect(original.conversationId).toBe(reply.conversationId);
  });

  it('does not join an old conversation without a reply prefix, nor one older than the window', async () => {
    const first = await store(mail('Hans <hans@hanse-licht.de>', 'Samples'), base);
    const again = await store(mail('Hans <hans@hanse-licht.de>', 'Samples'), base + DAY);
    expect(again.conversationId).not.toBe(first.conversationId);
    const old = await store(mail('Hans <hans@hanse-licht.de>', 'Catalogue'), base - 90 * DAY);
    const late = await store(mail('Hans <hans@hanse-licht.de>', 'Re: Catalogue'), base);
    expect(late.conversationId).not.toBe(old.conversationId);
  });

  // The stored candidates of a sync batch are read in one query; each mail must still get only its own.
  it('threads a whole sync batch of header-less replies, each with its own customer’s conversation', async () => {
    const hans = await store(mail('Hans <hans@hanse-licht.de>', 'Offer 2027'), base);
    const ana = await store(mail('Ana <ana@globex.es>', 'Offer 2027'), base);
    const li = await store(mail('Li <li.ming@163.com>', 'Offer 2027'), base);
    const raws = [
      mail('Ana <ana@globex.es>', 'Re: Offer 2027'),
      mail('Petra <petra@hanse-licht.de>', 'AW: Offer 2027'),
      mail('Wang <wang.fang@163.com>', 'Re: Offer 2027'),
      mail('Hans <hans@hanse-licht.de>', 'Re: Catalogue'),
    ];
    const prepared = await Promise.all(raws.map((raw) => prepareMail(ws.blobs, raw)));
    const [anaReply, petra, wang, other] = await ws.db.transaction().execute((trx) =>
      storePreparedBatch(
        trx,
        ctx(),
        prepared.map((m, i) => ({ mail: m, location: { mailboxId: sales, source: 'imap' as const, receivedAt: base + DAY + i } })),
      ),
    );
    expect(anaReply?.conversationId).toBe(ana.conversationId);
    expect(petra?.conversationId).toBe(hans.conversationId);
    expect([hans, ana, li].map((c) => c.conversationId)).not.toContain(wang?.conversationId);
    expect([hans, ana, li].map((c) => c.conversationId)).not.toContain(other?.conversationId);
  });
});
