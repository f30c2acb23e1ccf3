import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../../src/compose.js';
import { ingestMail, prepareMail, storePreparedBatch } from '../../src/modules/conversations/index.js';
import { defineSubscriber, eventJobHandlers } from '../../src/modules/events/index.js';
import { createMailbox } from '../../src/modules/mailboxes/index.js';
import { searchMessages } from '../../src/modules/search/index.js';
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
  const deps = () => ({
    ...ws,
    ctx: {
      engine: ws.engine,
      ownAddresses: new Set(['sales@acme.test', 'info@acme.test']),
      messageIds: ws.messageIds,
      recordReopened: ws.recordReopened,
      teamActivity: ws.teamActivity,
    },
  });

  afterAll(async () => {
    await ws?.close();
    await database?.drop();
  });

  it('keeps the raw bytes unchanged and decodes the headers', async () => {
    const raw = rfq('Received: by mx.acme.test\r\n');
    const stored = await ingestMail(deps(), { raw, mailboxIds: [sales], source: 'smtp' });
    expect(stored.isNew).toBe(true);
    const row = await ws.db.selectFrom('messages').selectAll().where('id', '=', stored.messageId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ subject: '询价 LED panel', from_addr: 'maria@customer.test', from_name: 'Maria', parse_status: 'ok' });
    expect(row.snippet).toContain('报价');
    expect(JSON.parse(row.to_addrs)).toEqual(['sales@acme.test']);
    expect((await ws.blobs.get(row.raw_sha256)).equals(raw)).toBe(true);
  });

  it('stores a mail that reached two mailboxes once, in one conversation shown in both', async () => {
    const again = await ingestMail(deps(), {
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

  it('publishes message.received once per new message, in the same transaction, and fans it out per subscriber', async () => {
    const events = await ws.db.selectFrom('jobs').select(['name', 'payload']).where('name', '=', 'event:message.received').execute();
    // The mail above reached two mailboxes but is one message: one event.
    const payloads = events.map((e) => JSON.parse(e.payload)).filter((p) => p.source === 'smtp');
    expect(payloads).toHaveLength(1);
    expect(payloads[0]).toMatchObject({ mailboxId: sales, direction: 'in', source: 'smtp' });

    const seen: string[] = [];
    const subscriber = defineSubscriber({
      name: 't.subscriber',
      event: 'message.received',
      key: (p) => p.messageId,
      run: async (p) => {
        seen.push(p.messageId);
      },
    });
    const handlers = new Map(eventJobHandlers(ws.db, [subscriber]).map((h) => [h.name, h]));
    const run = async (name: string) => {
      const jobs = await ws.queue.claim({ workerId: 't', names: [name], limit: 100, leaseMs: 60_000 });
      for (const job of jobs) {
        const handler = handlers.get(job.name);
        await handler?.run(handler.payload.parse(JSON.parse(job.payload)));
        await ws.queue.complete(job.id, 't');
      }
    };
    await run('event:message.received');
    await run('t.subscriber');
    expect(seen).toContain(payloads[0].messageId);
  });

  it('is idempotent: the same delivery stored twice adds nothing', async () => {
    const before = await ws.db.selectFrom('message_locations').select('id').execute();
    await ingestMail(deps(), { raw: rfq('Received: by mx.acme.test\r\n'), mailboxIds: [sales], source: 'smtp' });
    expect(await ws.db.selectFrom('message_locations').select('id').execute()).toHaveLength(before.length);
  });

  it('treats a reused Message-ID with another body as another message', async () => {
    const other = Buffer.from(rfq('').toString().replace('Please quote 500 pcs', 'Please quote 900 pcs'));
    expect((await ingestMail(deps(), { raw: other, mailboxIds: [sales], source: 'smtp' })).isNew).toBe(true);
  });

  it('files a reply that names the first mail in In-Reply-To into its conversation', async () => {
    const first = await ingestMail(deps(), {
      raw: Buffer.from(rfq('').toString().replace('<rfq-1@', '<order-7@')),
      mailboxIds: [sales],
      source: 'smtp',
    });
    const reply = Buffer.from(
      'Message-ID: <order-8@customer.test>\r\nFrom: maria@customer.test\r\nTo: sales@acme.test\r\nSubject: Re: 询价\r\nIn-Reply-To: <order-7@customer.test>\r\nReferences: <order-7@customer.test>\r\n\r\nAny news?\r\n',
    );
    const stored = await ingestMail(deps(), { raw: reply, mailboxIds: [sales], source: 'smtp' });
    expect(stored.conversationId).toBe(first.conversationId);
  });

  it('stores a mail it cannot make sense of, raw, instead of dropping it', async () => {
    const garbage = Buffer.from([0x00, 0xff, 0xfe, 0x0a, 0x0d, 0x0a, 0x80, 0x81]);
    const stored = await ingestMail(deps(), { raw: garbage, mailboxIds: [sales], source: 'smtp' });
    const row = await ws.db.selectFrom('messages').selectAll().where('id', '=', stored.messageId).executeTakeFirstOrThrow();
    expect((await ws.blobs.get(row.raw_sha256)).equals(garbage)).toBe(true);
    expect(row.raw_size).toBe(garbage.length);
  });
});

describe.each(engines)('threading, contacts and search on %s', (engine) => {
  let database: TestDatabase;
  let ws: Workspace;
  let sales: string;
  const deps = () => ({
    ...ws,
    ctx: {
      engine: ws.engine,
      ownAddresses: new Set(['sales@acme.test']),
      messageIds: ws.messageIds,
      recordReopened: ws.recordReopened,
      teamActivity: ws.teamActivity,
    },
  });
  const mail = (headers: Record<string, string>, body = 'Hello') =>
    Buffer.from(
      `${Object.entries({
        'Message-ID': `<${Math.random().toString(36).slice(2)}@x.test>`,
        To: 'sales@acme.test',
        Date: 'Thu, 26 Nov 2026 10:00:00 +0000',
        ...headers,
      })
        .map(([k, v]) => `${k}: ${v}`)
        .join('\r\n')}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`,
    );
  const store = async (raw: Buffer, receivedAt = Date.now()) =>
    ingestMail(deps(), { raw, mailboxIds: [sales], source: 'smtp', receivedAt });

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    ws = await openWorkspace({ ...database, secretKey: undefined });
    sales = (await createMailbox(ws.db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' })).id;
  });
  afterAll(async () => {
    await ws?.close();
    await database?.drop();
  });

  it('never merges two customers who both wrote "Inquiry"', async () => {
    const a = await store(mail({ From: 'anna@globex.test', Subject: 'Inquiry' }));
    const b = await store(mail({ From: 'ben@initech.test', Subject: 'Inquiry' }));
    const c = await store(mail({ From: 'ben@initech.test', Subject: 'RE: Inquiry' }));
    expect(a.conversationId).not.toBe(b.conversationId);
    // A reply that lost its headers (Outlook) still finds the same customer's thread by subject.
    expect(c.conversationId).toBe(b.conversationId);
  });

  it('threads replies with prefixes in other languages, but a new mail without prefix starts a conversation', async () => {
    const first = await store(mail({ From: 'li@hanse-licht.test', Subject: 'Anfrage Downlights' }));
    expect((await store(mail({ From: 'li@hanse-licht.test', Subject: 'AW: Anfrage Downlights' }))).conversationId).toBe(
      first.conversationId,
    );
    expect((await store(mail({ From: 'li@hanse-licht.test', Subject: '回复：Anfrage Downlights' }))).conversationId).toBe(
      first.conversationId,
    );
    expect((await store(mail({ From: 'li@hanse-licht.test', Subject: 'Anfrage Downlights' }))).conversationId).not.toBe(
      first.conversationId,
    );
  });

  it("finds the conversation from Pier's token in In-Reply-To even when the original is unknown", async () => {
    const original = await store(mail({ From: 'maria@sol-y-luz.test', Subject: 'Catalogue' }));
    const token = ws.messageIds.create(original.conversationId, 'acme.test');
    const reply = await store(mail({ From: 'maria@sol-y-luz.test', Subject: 'Something else entirely', 'In-Reply-To': token }));
    expect(reply.conversationId).toBe(original.conversationId);
  });

  it('keeps a reply with a new subject in its thread when its headers say so', async () => {
    const original = await store(mail({ From: 'tom@nordlicht.test', Subject: 'Order 4711', 'Message-ID': '<order-4711@nordlicht.test>' }));
    const reply = await store(
      mail({ From: 'tom@nordlicht.test', Subject: 'Shipping marks', 'In-Reply-To': '<order-4711@nordlicht.test>' }),
    );
    expect(reply.conversationId).toBe(original.conversationId);
  });

  it('joins an original to the reply that was stored before it (newest-first sync)', async () => {
    const reply = await store(mail({ From: 'eva@lumiere.test', Subject: 'RE: samples', 'In-Reply-To': '<samples-1@lumiere.test>' }));
    const original = await store(mail({ From: 'eva@lumiere.test', Subject: 'samples', 'Message-ID': '<samples-1@lumiere.test>' }));
    expect(original.conversationId).toBe(reply.conversationId);
  });

  it('creates contacts and companies by registrable domain, never for free-mail or the team itself', async () => {
    await store(mail({ From: 'Jonas Weber <jonas@mail.hanse-licht.co.uk>', Cc: 'buyer.cn@qq.com, sales@acme.test', Subject: 'Samples' }));
    const jonas = await ws.db
      .selectFrom('contacts')
      .leftJoin('companies', 'companies.id', 'contacts.company_id')
      .select(['contacts.name', 'companies.domain', 'contacts.country'])
      .where('contacts.address', '=', 'jonas@mail.hanse-licht.co.uk')
      .executeTakeFirstOrThrow();
    expect(jonas).toEqual({ name: 'Jonas Weber', domain: 'hanse-licht.co.uk', country: 'GB' });
    const qq = await ws.db.selectFrom('contacts').select('company_id').where('address', '=', 'buyer.cn@qq.com').executeTakeFirstOrThrow();
    expect(qq.company_id).toBeNull();
    expect(await ws.db.selectFrom('contacts').select('id').where('address', '=', 'sales@acme.test').executeTakeFirst()).toBeUndefined();
  });

  it('keeps attachments as blobs and makes body, subject and attachment names searchable, Chinese included', async () => {
    const raw = Buffer.from(
      'Message-ID: <att-1@globex.test>\r\nFrom: anna@globex.test\r\nTo: sales@acme.test\r\nSubject: =?UTF-8?B?6K+35oql5Lu3?=\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease send your quotation for tungsten carbide 样品.\r\n--b\r\nContent-Type: application/pdf; name="drawing-88.pdf"\r\nContent-Disposition: attachment; filename="drawing-88.pdf"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b--\r\n',
    );
    const stored = await store(raw);
    const attachment = await ws.db
      .selectFrom('attachments')
      .selectAll()
      .where('message_id', '=', stored.messageId)
      .executeTakeFirstOrThrow();
    expect(attachment).toMatchObject({ filename: 'drawing-88.pdf', mime: 'application/pdf', size: 9 });
    expect((await ws.blobs.get(attachment.sha256)).toString()).toBe('%PDF-1.4\n');
    for (const query of ['tungsten', '样品', '报价', 'drawing']) {
      const hits = await searchMessages(ws.db, ws.engine, { query, limit: 10, mailboxIds: [sales] });
      expect(
        hits.map((h) => h.messageId),
        query,
      ).toContain(stored.messageId);
    }
  });
});

describe.each(engines)('storing a fetched batch at once on %s', (engine) => {
  let database: TestDatabase;
  let ws: Workspace;
  let sales: string;
  const ctx = () => ({
    engine: ws.engine,
    ownAddresses: new Set(['sales@acme.test']),
    messageIds: ws.messageIds,
    recordReopened: ws.recordReopened,
    teamActivity: ws.teamActivity,
  });
  const mail = (headers: Record<string, string>, body = 'Hello') =>
    Buffer.from(
      `${Object.entries({ 'Message-ID': `<${Math.random().toString(36).slice(2)}@x.test>`, To: 'sales@acme.test', ...headers })
        .map(([k, v]) => `${k}: ${v}`)
        .join('\r\n')}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`,
    );
  const t0 = Date.UTC(2026, 10, 26, 10);
  /** Stores the mails as one batch (one transaction), each seen at its own UID, t0 + i minutes. */
  const storeBatch = async (raws: Buffer[]) => {
    const mails = await Promise.all(raws.map((raw) => prepareMail(ws.blobs, raw)));
    return ws.db.transaction().execute((trx) =>
      storePreparedBatch(
        trx,
        ctx(),
        mails.map((m, i) => ({
          mail: m,
          location: { mailboxId: sales, source: 'imap' as const, folderPath: 'INBOX', uid: uid++, receivedAt: t0 + i * 60_000 },
        })),
      ),
    );
  };
  let uid = 1;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    ws = await openWorkspace({ ...database, secretKey: undefined });
    sales = (await createMailbox(ws.db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' })).id;
  });
  afterAll(async () => {
    await ws?.close();
    await database?.drop();
  });

  it('threads mails of the same batch with each other, in either order, as if stored one by one', async () => {
    const [original, reply, earlyReply, lateOriginal, inquiryA, inquiryB, outlookReply, unrelated] = await storeBatch([
      mail({ From: 'anna@globex.test', Subject: 'Samples', 'Message-ID': '<b-1@globex.test>' }),
      mail({ From: 'anna@globex.test', Subject: 'New subject', 'In-Reply-To': '<b-1@globex.test>' }),
      mail({ From: 'eva@lumiere.test', Subject: 'RE: quote', 'In-Reply-To': '<b-2@lumiere.test>' }),
      mail({ From: 'eva@lumiere.test', Subject: 'quote', 'Message-ID': '<b-2@lumiere.test>' }),
      mail({ From: 'ben@initech.test', Subject: 'Inquiry' }),
      mail({ From: 'carl@hanse-licht.test', Subject: 'Inquiry' }),
      mail({ From: 'ben@initech.test', Subject: 'RE: Inquiry' }),
      mail({ From: 'ben@initech.test', Subject: 'Inquiry' }),
    ]);
    expect(reply?.conversationId).toBe(original?.conversationId);
    expect(lateOriginal?.conversationId).toBe(earlyReply?.conversationId);
    expect(inquiryA?.conversationId).not.toBe(inquiryB?.conversationId);
    expect(outlookReply?.conversationId).toBe(inquiryA?.conversationId);
    expect(unrelated?.conversationId).not.toBe(inquiryA?.conversationId);
    // The conversation moved to its newest message (the 7th of the batch).
    const inquiry = await ws.db
      .selectFrom('conversations')
      .select('last_message_at')
      .where('id', '=', inquiryA?.conversationId ?? '')
      .executeTakeFirstOrThrow();
    expect(inquiry.last_message_at).toBe(t0 + 6 * 60_000);
  });

  it('stores a mail that appears twice in a batch once, with one location per folder, and publishes one event per new message', async () => {
    const before = (await ws.db.selectFrom('jobs').select('id').where('name', '=', 'event:message.received').execute()).length;
    const twice = mail({ From: 'Li <li@nordlicht.test>', Subject: 'Twice' });
    const [first, second, other] = await storeBatch([twice, twice, mail({ From: 'li@nordlicht.test', Subject: 'Other' })]);
    expect(first?.isNew).toBe(true);
    expect(second).toMatchObject({ isNew: false, messageId: first?.messageId, conversationId: first?.conversationId });
    expect(other?.isNew).toBe(true);
    const locations = await ws.db
      .selectFrom('message_locations')
      .select('uid')
      .where('message_id', '=', first?.messageId ?? '')
      .execute();
    // One location per (message, mailbox, folder), as when the copies are stored one by one.
    expect(locations).toHaveLength(1);
    const after = (await ws.db.selectFrom('jobs').select('id').where('name', '=', 'event:message.received').execute()).length;
    expect(after - before).toBe(2);
    // One contact for the address seen in both new messages, its name kept, last seen at the later mail.
    const li = await ws.db.selectFrom('contacts').selectAll().where('address', '=', 'li@nordlicht.test').execute();
    expect(li).toHaveLength(1);
    expect(li[0]).toMatchObject({ name: 'Li', first_seen_at: t0, last_seen_at: t0 + 2 * 60_000 });
    const links = await ws.db
      .selectFrom('message_contacts')
      .select('message_id')
      .where('contact_id', '=', li[0]?.id ?? '')
      .execute();
    expect(links).toHaveLength(2);
    for (const query of ['twice', 'other']) {
      expect(await searchMessages(ws.db, ws.engine, { query, limit: 10, mailboxIds: [sales] }), query).toHaveLength(1);
    }
  });

  it('keeps the list line of stored conversations on their newest message when a batch adds older, newer or same-time replies', async () => {
    const storeAt = async (raws: [Buffer, number][]) => {
      const mails = await Promise.all(raws.map(([raw]) => prepareMail(ws.blobs, raw)));
      return ws.db.transaction().execute((trx) =>
        storePreparedBatch(
          trx,
          ctx(),
          mails.map((m, i) => ({
            mail: m,
            location: { mailboxId: sales, source: 'imap' as const, folderPath: 'INBOX', uid: uid++, receivedAt: raws[i]?.[1] ?? 0 },
          })),
        ),
      );
    };
    const base = t0 + 86_400_000;
    const firsts = await storeAt([
      [mail({ From: 'Olga <olga@one.test>', Subject: 'One', 'Message-ID': '<line-1@one.test>' }, 'first of one'), base],
      [mail({ From: 'Nils <nils@two.test>', Subject: 'Two', 'Message-ID': '<line-2@two.test>' }, 'first of two'), base],
      [mail({ From: 'Sara <sara@three.test>', Subject: 'Three', 'Message-ID': '<line-3@three.test>' }, 'first of three'), base],
    ]);
    const replies = await storeAt([
      [mail({ From: 'Oleg <oleg@one.test>', Subject: 'RE: One', 'In-Reply-To': '<line-1@one.test>' }, 'an older reply'), base - 60_000],
      [mail({ From: 'Nora <nora@two.test>', Subject: 'RE: Two', 'In-Reply-To': '<line-2@two.test>' }, 'a newer reply'), base + 60_000],
      [mail({ From: 'Sam <sam@three.test>', Subject: 'RE: Three', 'In-Reply-To': '<line-3@three.test>' }, 'a same-time reply'), base],
    ]);
    expect(replies.map((r) => r.conversationId)).toEqual(firsts.map((f) => f.conversationId));
    const lines = new Map<string, string>();
    for (const first of firsts) {
      const id = first.conversationId;
      const row = await ws.db
        .selectFrom('conversations')
        .select(['last_from_addr', 'last_snippet'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      // What refreshConversationLatest would read: the newest message by received_at, then id.
      const newest = await ws.db
        .selectFrom('conversation_messages')
        .innerJoin('messages', 'messages.id', 'conversation_messages.message_id')
        .select(['messages.from_addr', 'messages.snippet'])
        .where('conversation_messages.conversation_id', '=', id)
        .orderBy('messages.received_at', 'desc')
        .orderBy('messages.id', 'desc')
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ last_from_addr: newest.from_addr, last_snippet: newest.snippet });
      lines.set(id, row.last_snippet);
    }
    expect(lines.get(firsts[0]?.conversationId ?? '')).toBe('first of one');
    expect(lines.get(firsts[1]?.conversationId ?? '')).toBe('a newer reply');
  });

  it("reopens a closed conversation once when the customer's replies arrive in a batch", async () => {
    const [original] = await storeBatch([
      mail({ From: 'maria@sol-y-luz.test', Subject: 'Catalogue', 'Message-ID': '<b-3@sol-y-luz.test>' }),
    ]);
    await ws.db
      .updateTable('conversations')
      .set({ status: 'closed' })
      .where('id', '=', original?.conversationId ?? '')
      .execute();
    await storeBatch([
      mail({ From: 'maria@sol-y-luz.test', Subject: 'RE: Catalogue', 'In-Reply-To': '<b-3@sol-y-luz.test>' }),
      mail({ From: 'maria@sol-y-luz.test', Subject: 'RE: Catalogue', 'In-Reply-To': '<b-3@sol-y-luz.test>' }, 'And another thing'),
    ]);
    const conversation = await ws.db
      .selectFrom('conversations')
      .select('status')
      .where('id', '=', original?.conversationId ?? '')
      .executeTakeFirstOrThrow();
    expect(conversation.status).toBe('open');
    const events = await ws.db
      .selectFrom('conversation_events')
      .select(['type', 'data'])
      .where('conversation_id', '=', original?.conversationId ?? '')
      .execute();
    expect(events).toEqual([{ type: 'reopened', data: JSON.stringify({ from: 'closed', reason: 'message' }) }]);
  });

  it('writes the "reopened" event in the transaction of the batch: a batch that fails leaves neither the reopen nor the event', async () => {
    const [original] = await storeBatch([
      mail({ From: 'li@dragon-lamps.test', Subject: 'Freight', 'Message-ID': '<b-4@dragon-lamps.test>' }),
    ]);
    const conversationId = original?.conversationId ?? '';
    await ws.db.updateTable('conversations').set({ status: 'closed' }).where('id', '=', conversationId).execute();
    const reply = await prepareMail(
      ws.blobs,
      mail({ From: 'li@dragon-lamps.test', Subject: 'RE: Freight', 'In-Reply-To': '<b-4@dragon-lamps.test>' }),
    );
    const failed = ws.db.transaction().execute(async (trx) => {
      await storePreparedBatch(trx, ctx(), [
        { mail: reply, location: { mailboxId: sales, source: 'imap', folderPath: 'INBOX', uid: uid++ } },
      ]);
      const inside = await trx.selectFrom('conversation_events').select('type').where('conversation_id', '=', conversationId).execute();
      expect(inside).toEqual([{ type: 'reopened' }]);
      throw new Error('the checkpoint could not be saved');
    });
    await expect(failed).rejects.toThrow('the checkpoint could not be saved');
    const conversation = await ws.db
      .selectFrom('conversations')
      .select('status')
      .where('id', '=', conversationId)
      .executeTakeFirstOrThrow();
    expect(conversation.status).toBe('closed');
    const events = await ws.db.selectFrom('conversation_events').select('type').where('conversation_id', '=', conversationId).execute();
    expect(events).toEqual([]);
  });
});
