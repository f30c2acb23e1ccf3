import { type LiveServerMessage, SESSION_COOKIE } from '@pier/contracts';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ingestMail } from '../../src/modules/conversations/index.js';
import { createMailbox, grantMailboxAccess, loadOwnAddresses } from '../../src/modules/mailboxes/index.js';
import { attachBounce } from '../../src/modules/outbox/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { defaultSessionTimeouts, startSession } from '../../src/modules/security/sessions.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { type LiveTestSocket, openLiveSocket } from '../support/live-socket.js';
import { startTestPier } from '../support/pier.js';

/**
 * Issue 12 (decision 0027): inbound mail never pulls a conversation into another mailbox. An
 * accounting@-only thread (customer mail with an attachment, an internal note, an outgoing reply
 * in the outbox) is attacked by mail to sales@; then everything a sales@-only agent can reach
 * through the API is read, and no byte of the accounting thread may be in any response body.
 */
const customer = 'payer@customer.test';

type Mail = { messageId: string; from?: string; to?: string; cc?: string; subject?: string; inReplyTo?: string; body?: string };
function rawMail(m: Mail): string {
  return [
    `Message-ID: ${m.messageId}`,
    `From: ${m.from ?? customer}`,
    `To: ${m.to ?? 'sales@acme.test'}`,
    ...(m.cc ? [`Cc: ${m.cc}`] : []),
    `Subject: ${m.subject ?? 'Hello'}`,
    ...(m.inReplyTo ? [`In-Reply-To: ${m.inReplyTo}`, `References: ${m.inReplyTo}`] : []),
    `Date: ${new Date().toUTCString()}`,
    'Content-Type: text/plain; charset=utf-8',
    '',
    m.body ?? 'Attack body',
    '',
  ].join('\r\n');
}

describe.each(engines)('a mail never opens another mailbox’s conversation (%s)', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  const box: Record<'sales' | 'accounting' | 'info', string> = { sales: '', accounting: '', info: '' };
  const as: Record<'sales' | 'salesReader' | 'accounting' | 'info' | 'both', ApiClient> = {} as never;
  /** The accounting@-only thread each test attacks: its own subject and secrets, so tests never meet. */
  let thread: { id: string; first: string; pierReplyId: string; subject: string; secrets: string[] };
  let counter = 0;
  const sockets: Partial<Record<'sales' | 'salesReader' | 'accounting', LiveTestSocket>> = {};
  const id = (label: string) => `<${label}-${++counter}-${Math.random().toString(36).slice(2)}@customer.test>`;

  /** Delivers through Pier's SMTP listener, as the Internet would (one transaction for all recipients). */
  async function deliver(raw: string, recipients: string[]) {
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort ?? 0, secure: false, ignoreTLS: true });
    try {
      await smtp.sendMail({ envelope: { from: customer, to: recipients }, raw });
    } finally {
      smtp.close();
    }
  }
  /** Stores a copy as a mailbox's sync would, one mailbox at a time. */
  async function synced(raw: string, mailbox: keyof typeof box) {
    const { db, blobs, engine: e, messageIds, recordReopened, teamActivity } = pier.workspace;
    const ctx = { engine: e, ownAddresses: await loadOwnAddresses(db), messageIds, recordReopened, teamActivity };
    return ingestMail({ db, blobs, ctx }, { raw: Buffer.from(raw), mailboxIds: [box[mailbox]], source: 'imap' });
  }
  const conversationOf = async (messageIdHeader: string) =>
    (
      await pier.workspace.db
        .selectFrom('messages')
        .innerJoin('conversation_messages', 'conversation_messages.message_id', 'messages.id')
        .select('conversation_messages.conversation_id')
        .where('messages.message_id_header', '=', messageIdHeader)
        .executeTakeFirstOrThrow()
    ).conversation_id;

  /** Every response body the user can get about the conversations of their mailboxes, and about the accounting thread. */
  async function everythingReadableBy(client: ApiClient, attacked = thread.id): Promise<{ text: string; conversations: string[] }> {
    const bodies: string[] = [];
    const read = async (path: string) => {
      const response = await client.get<unknown>(path);
      bodies.push(typeof response.body === 'string' ? response.body : JSON.stringify(response.body));
      return response;
    };
    const conversations = new Set<string>();
    for (const query of ['', `?q=${thread?.secrets[0] ?? 'IBAN'}`, '?q=invoice', `?q=${encodeURIComponent(customer)}`]) {
      const list = await read(`/api/conversations${query}`);
      for (const c of (list.body as { items?: { id: string }[] }).items ?? []) conversations.add(c.id);
    }
    for (const conversationId of [...conversations, attacked]) {
      const detail = await read(`/api/conversations/${conversationId}`);
      for (const suffix of ['outbox', 'triage', 'people', 'fraud', 'approvals', 'contacts']) {
        await read(`/api/conversations/${conversationId}/${suffix}`);
      }
      const timeline = (detail.body as { timeline?: { kind: string; id: string; attachments?: { id: string }[] }[] }).timeline ?? [];
      for (const item of timeline.filter((t) => t.kind === 'message')) {
        await read(`/api/messages/${item.id}/html`);
        await read(`/api/messages/${item.id}/raw`);
        for (const attachment of item.attachments ?? []) await read(`/api/attachments/${attachment.id}`);
      }
    }
    // The accounting thread's own messages and attachments, asked for directly.
    const { db } = pier.workspace;
    const messages = await db.selectFrom('conversation_messages').select('message_id').where('conversation_id', '=', attacked).execute();
    for (const m of messages) {
      await read(`/api/messages/${m.message_id}/html`);
      await read(`/api/messages/${m.message_id}/raw`);
      const attachments = await db.selectFrom('attachments').select('id').where('message_id', '=', m.message_id).execute();
      for (const a of attachments) await read(`/api/attachments/${a.id}`);
    }
    const outbox = await db.selectFrom('outbox_messages').select('id').where('conversation_id', '=', attacked).execute();
    for (const o of outbox) await read(`/api/outbox/${o.id}`);
    return { text: bodies.join('\n'), conversations: [...conversations] };
  }
  /**
   * The live socket: accounting@'s agent got the thread's frames and the sales@ agents got the
   * attack's, so every frame about both was fanned out; none about the thread reached sales@.
   */
  async function expectNoFrameOfTheThreadInSales(attackConversation: string) {
    const about = (conversationId: string) => (m: LiveServerMessage) => 'conversationId' in m && m.conversationId === conversationId;
    await sockets.accounting?.waitFor(about(thread.id));
    for (const who of ['sales', 'salesReader'] as const) {
      await sockets[who]?.waitFor(about(attackConversation));
      expect(sockets[who]?.messages.filter(about(thread.id))).toEqual([]);
    }
  }
  async function expectNothingOfTheAccountingThread(client: ApiClient) {
    const seen = await everythingReadableBy(client);
    expect(seen.conversations).not.toContain(thread.id);
    for (const secret of thread.secrets) expect(seen.text, secret).not.toContain(secret);
  }

  /** The customer's mail with an attachment, an internal note, and a reply in the outbox: accounting@ only. */
  async function newAccountingThread(): Promise<typeof thread> {
    const n = ++counter;
    const secrets = [`IBAN-SECRET-${n}`, `PDF-SECRET-${n}`, `NOTE-SECRET-${n}`, `REPLY-SECRET-${n}`];
    const subject = `Invoice ${n} payment`;
    const first = id('acc');
    const { db } = pier.workspace;
    await deliver(
      [
        `Message-ID: ${first}`,
        `From: Payer <${customer}>`,
        'To: accounting@acme.test',
        `Subject: ${subject}`,
        `Date: ${new Date().toUTCString()}`,
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain; charset=utf-8',
        '',
        `Please pay to ${secrets[0]}.`,
        '--b',
        'Content-Type: application/pdf; name="invoice-117.pdf"',
        'Content-Disposition: attachment; filename="invoice-117.pdf"',
        '',
        secrets[1],
        '--b--',
        '',
      ].join('\r\n'),
      ['accounting@acme.test'],
    );
    const conversationId = await conversationOf(first);
    expect((await as.accounting.post(`/api/conversations/${conversationId}/notes`, { body: secrets[2] })).status).toBe(201);
    const sent = await as.accounting.post<{ id: string }>('/api/outbox', {
      mailboxId: box.accounting,
      mode: 'reply',
      conversationId,
      to: [customer],
      subject: `Re: ${subject}`,
      html: `<p>${secrets[3]}</p>`,
    });
    expect(sent.status).toBe(202);
    const { message_id_header: pierReplyId } = await db
      .selectFrom('outbox_messages')
      .select('message_id_header')
      .where('id', '=', sent.body.id)
      .executeTakeFirstOrThrow();
    const made = { id: conversationId, first, pierReplyId, subject, secrets };
    // The accounting agent reads it all: the probe reads what it should.
    const own = await everythingReadableBy(as.accounting, made.id);
    for (const secret of secrets) expect(own.text, secret).toContain(secret);
    return made;
  }

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database, { PIER_LOGIN_RATE_LIMIT: '10000', PIER_API_RATE_LIMIT: '0' });
    const { db } = pier.workspace;
    for (const name of ['sales', 'accounting', 'info'] as const) {
      box[name] = (await createMailbox(db, { address: `${name}@acme.test`, displayName: name, purpose: 'sales' })).id;
    }
    // Sending needs SMTP settings; a closed loopback port: nothing leaves.
    await db.updateTable('mailboxes').set({ smtp_host: '127.0.0.1', smtp_port: 1, smtp_tls: 'none' }).execute();
    const grants: Record<keyof typeof as, [keyof typeof box, 'read' | 'reply'][]> = {
      sales: [['sales', 'reply']],
      salesReader: [['sales', 'read']],
      accounting: [['accounting', 'reply']],
      info: [['info', 'reply']],
      both: [
        ['sales', 'reply'],
        ['accounting', 'reply'],
      ],
    };
    for (const [who, list] of Object.entries(grants) as [keyof typeof as, [keyof typeof box, 'read' | 'reply'][]][]) {
      const user = await createAccount(db, {
        email: `${who.toLowerCase()}@acme.test`,
        name: who,
        password: 'a long enough password',
        role: 'agent',
      });
      for (const [mailbox, level] of list) await grantMailboxAccess(db, user.id, box[mailbox], level);
      const session = await startSession(
        db,
        user.id,
        { ip: '127.0.0.1', userAgent: 'isolation' },
        { secondFactor: 'done', timeouts: defaultSessionTimeouts },
      );
      as[who] = pier.api();
      as[who].cookies.set(SESSION_COOKIE, session.token);
      if (who === 'sales' || who === 'salesReader' || who === 'accounting') sockets[who] = await openLiveSocket(pier.url, as[who]);
    }
  }, 120_000);
  beforeEach(async () => {
    thread = await newAccountingThread();
  });
  afterAll(async () => {
    for (const socket of Object.values(sockets)) await socket?.close();
    await pier?.stop();
    await database?.drop();
  });

  it('a mail to sales@ whose In-Reply-To names a message of the accounting thread starts a new conversation in sales@', async () => {
    const attack = id('attack-a');
    await deliver(rawMail({ messageId: attack, inReplyTo: thread.first, subject: `Re: ${thread.subject}` }), ['sales@acme.test']);
    const attackConversation = await conversationOf(attack);
    expect(attackConversation).not.toBe(thread.id);
    await expectNoFrameOfTheThreadInSales(attackConversation);
    await expectNothingOfTheAccountingThread(as.sales);
    await expectNothingOfTheAccountingThread(as.salesReader);
    // The link between the two is shown only to someone who can read both mailboxes.
    expect(JSON.stringify((await as.sales.get(`/api/conversations/${attackConversation}`)).body)).not.toContain(thread.id);
    const both = await as.both.get<{ related: { id: string; via: string }[] }>(`/api/conversations/${attackConversation}`);
    expect(both.body.related).toContainEqual(expect.objectContaining({ id: thread.id, via: 'mail' }));
  });

  it('a mail to sales@ with the customer’s forged From and “Re: <subject>” and no threading headers starts a new conversation in sales@', async () => {
    const attack = id('attack-b');
    await deliver(rawMail({ messageId: attack, subject: `RE: ${thread.subject}` }), ['sales@acme.test']);
    const attackConversation = await conversationOf(attack);
    expect(attackConversation).not.toBe(thread.id);
    await expectNoFrameOfTheThreadInSales(attackConversation);
    await expectNothingOfTheAccountingThread(as.sales);
  });

  it('a mail to sales@ naming the accounting thread in a made-up Pier Message-ID, old or new shape, starts a new conversation in sales@', async () => {
    const hex = thread.id.replaceAll('-', '');
    for (const forged of [`<anything.pier-${hex}@anything.test>`, `<x1.pier-${hex}.${'0'.repeat(24)}@acme.test>`]) {
      const attack = id('attack-c');
      await deliver(rawMail({ messageId: attack, inReplyTo: forged, subject: 'Re: hello' }), ['sales@acme.test']);
      expect(await conversationOf(attack)).not.toBe(thread.id);
    }
    await expectNothingOfTheAccountingThread(as.sales);
  });

  it('a genuine Pier Message-ID of the accounting thread, sent to sales@, opens nothing either: the thread is not in sales@', async () => {
    const attack = id('attack-genuine-id');
    await deliver(rawMail({ messageId: attack, inReplyTo: thread.pierReplyId.toUpperCase(), subject: `Re: ${thread.subject}` }), [
      'sales@acme.test',
    ]);
    const attackConversation = await conversationOf(attack);
    expect(attackConversation).not.toBe(thread.id);
    await expectNoFrameOfTheThreadInSales(attackConversation);
    await expectNothingOfTheAccountingThread(as.sales);
  });

  it('a reply to sales@ Cc accounting@ into the accounting thread is one new conversation in both queues, and the thread stays closed to sales@', async () => {
    const both = id('cc-both');
    await deliver(
      rawMail({
        messageId: both,
        to: 'sales@acme.test',
        cc: 'accounting@acme.test',
        inReplyTo: thread.first,
        subject: `Re: ${thread.subject}`,
        body: 'Cc to both',
      }),
      ['sales@acme.test', 'accounting@acme.test'],
    );
    const conversation = await conversationOf(both);
    expect(conversation).not.toBe(thread.id);
    for (const who of ['sales', 'accounting'] as const) {
      const detail = await as[who].get<{ timeline: { text?: string }[] }>(`/api/conversations/${conversation}`);
      expect(detail.status).toBe(200);
      expect(JSON.stringify(detail.body)).toContain('Cc to both');
    }
    await expectNothingOfTheAccountingThread(as.sales);
  });

  it('the same mail synced by sales@ first and accounting@ later, or the other way round, never opens the thread to sales@', async () => {
    // sales@ first: a new conversation in sales@, which accounting@ then shows too (it holds only this mail).
    const salesFirst = rawMail({
      messageId: id('order-sa'),
      to: 'sales@acme.test',
      cc: 'accounting@acme.test',
      inReplyTo: thread.first,
      subject: `Re: ${thread.subject}`,
    });
    const a = await synced(salesFirst, 'sales');
    const b = await synced(salesFirst, 'accounting');
    expect(b).toMatchObject({ messageId: a.messageId, conversationId: a.conversationId });
    expect(a.conversationId).not.toBe(thread.id);
    expect((await as.accounting.get(`/api/conversations/${a.conversationId}`)).status).toBe(200);
    // accounting@ first: the mail joins the thread; its copy in sales@ does not bring the thread
    // along, but sales@ gets the mail: a message of its own in a new conversation in sales@.
    const orderAs = id('order-as');
    const accountingFirst = rawMail({
      messageId: orderAs,
      to: 'sales@acme.test',
      cc: 'accounting@acme.test',
      inReplyTo: thread.first,
      subject: `Re: ${thread.subject}`,
      body: 'Copy for sales',
    });
    const c = await synced(accountingFirst, 'accounting');
    const d = await synced(accountingFirst, 'sales');
    expect(c.conversationId).toBe(thread.id);
    expect(d.isNew).toBe(true);
    expect(d.conversationId).not.toBe(thread.id);
    expect(d.messageId).not.toBe(c.messageId);
    const inSales = await as.sales.get<{ items: { id: string; mailboxIds: string[] }[] }>('/api/conversations');
    expect(inSales.body.items.find((i) => i.id === d.conversationId)?.mailboxIds).toEqual([box.sales]);
    const salesView = await as.sales.get<{ related: { id: string }[] }>(`/api/conversations/${d.conversationId}`);
    expect(JSON.stringify(salesView.body)).toContain('Copy for sales');
    expect(salesView.body.related.map((r) => r.id)).not.toContain(thread.id);
    // Someone who reads both mailboxes is shown the link between the two.
    const bothView = await as.both.get<{ related: { id: string; via: string; mailboxes: string[] }[] }>(
      `/api/conversations/${d.conversationId}`,
    );
    expect(bothView.body.related.find((r) => r.id === thread.id)).toMatchObject({ via: 'mail', mailboxes: ['accounting@acme.test'] });
    // Synced again (another folder, a full resync): the same copy, nothing new.
    expect(await synced(accountingFirst, 'sales')).toMatchObject({
      messageId: d.messageId,
      conversationId: d.conversationId,
      isNew: false,
    });
    // The customer's next mail to sales@ answering it joins sales@'s conversation, not the thread.
    const next = id('order-as-next');
    await deliver(rawMail({ messageId: next, inReplyTo: orderAs, subject: `Re: ${thread.subject}`, body: 'Next one' }), [
      'sales@acme.test',
    ]);
    expect(await conversationOf(next)).toBe(d.conversationId);
    await expectNoFrameOfTheThreadInSales(d.conversationId);
    await expectNothingOfTheAccountingThread(as.sales);
    await expectNothingOfTheAccountingThread(as.salesReader);
  });

  it('an attack that arrives before the customer’s next genuine mail does not catch it, and the genuine mail joins the thread', async () => {
    const attack = id('attack-before');
    await deliver(rawMail({ messageId: attack, subject: `Re: ${thread.subject}` }), ['sales@acme.test']);
    const genuine = id('genuine-next');
    await deliver(rawMail({ messageId: genuine, to: 'accounting@acme.test', subject: `AW: ${thread.subject}`, body: 'Paid today' }), [
      'accounting@acme.test',
    ]);
    expect(await conversationOf(genuine)).toBe(thread.id);
    expect(await conversationOf(attack)).not.toBe(thread.id);
    await expectNothingOfTheAccountingThread(as.sales);
  });

  it('a reply that reached sales@ before its original reached accounting@ does not pull the original into sales@', async () => {
    const original = id('late-original');
    const early = id('early-reply');
    await deliver(rawMail({ messageId: early, inReplyTo: original, subject: 'Re: Remittance' }), ['sales@acme.test']);
    await deliver(rawMail({ messageId: original, to: 'accounting@acme.test', subject: 'Remittance', body: `${thread.secrets[0]} again` }), [
      'accounting@acme.test',
    ]);
    expect(await conversationOf(original)).not.toBe(await conversationOf(early));
    await expectNothingOfTheAccountingThread(as.sales);
    const seen = await everythingReadableBy(as.sales);
    expect(seen.conversations).not.toContain(await conversationOf(original));
  });

  it('a forged delivery report to sales@ naming the accounting thread’s sent mail changes nothing and opens nothing', async () => {
    const report = id('forged-dsn');
    const dsn = [
      `Message-ID: ${report}`,
      'From: MAILER-DAEMON@customer.test',
      'To: sales@acme.test',
      'Subject: Undelivered Mail Returned to Sender',
      `Date: ${new Date().toUTCString()}`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="B"',
      '',
      '--B',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.customer.test',
      '',
      `Final-Recipient: rfc822; ${customer}`,
      'Action: failed',
      'Status: 5.1.1',
      '',
      '--B',
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: ${thread.pierReplyId}`,
      '',
      '--B--',
      '',
    ].join('\r\n');
    await deliver(dsn, ['sales@acme.test']);
    const { db, blobs } = pier.workspace;
    const stored = await db.selectFrom('messages').select('id').where('message_id_header', '=', report).executeTakeFirstOrThrow();
    expect(await attachBounce({ db, blobs }, stored.id)).toBe(false);
    expect(await conversationOf(report)).not.toBe(thread.id);
    await expectNothingOfTheAccountingThread(as.sales);
  });

  it('legitimate threading still works: a customer reply joins its thread, and a reply to Pier’s own mail joins even when a relay changed its case', async () => {
    const reply = id('legit-reply');
    await deliver(rawMail({ messageId: reply, to: 'accounting@acme.test', inReplyTo: thread.first, subject: `Re: ${thread.subject}` }), [
      'accounting@acme.test',
    ]);
    expect(await conversationOf(reply)).toBe(thread.id);
    const toPier = id('reply-to-pier');
    await deliver(
      rawMail({ messageId: toPier, to: 'accounting@acme.test', inReplyTo: thread.pierReplyId.toUpperCase(), subject: 'New subject' }),
      ['accounting@acme.test'],
    );
    expect(await conversationOf(toPier)).toBe(thread.id);
  });

  it('a new mail from Pier starts the conversation its Message-ID names, and the customer’s answer joins it', async () => {
    const sent = await as.sales.post<{ id: string }>('/api/outbox', {
      mailboxId: box.sales,
      mode: 'new',
      to: [customer],
      subject: 'Our new catalogue',
      html: '<p>Attached</p>',
    });
    expect(sent.status).toBe(202);
    const row = await pier.workspace.db
      .selectFrom('outbox_messages')
      .select(['conversation_id', 'message_id_header'])
      .where('id', '=', sent.body.id)
      .executeTakeFirstOrThrow();
    expect(pier.workspace.messageIds.verifiedConversation([row.message_id_header])).toBe(row.conversation_id);
    const answer = id('catalogue-answer');
    await deliver(rawMail({ messageId: answer, inReplyTo: row.message_id_header.toUpperCase(), subject: 'Thanks' }), ['sales@acme.test']);
    expect(await conversationOf(answer)).toBe(row.conversation_id);
    const detail = await as.sales.get<{ timeline: { kind: string }[] }>(`/api/conversations/${row.conversation_id}`);
    expect(detail.body.timeline.filter((t) => t.kind === 'message')).toHaveLength(2);
  });

  it('a new mail from the composer, sent or undone, leaves no empty conversation in the list or the counts (issue 17)', async () => {
    for (const undo of [false, true]) {
      const sent = await as.sales.post<{ id: string }>('/api/outbox', {
        mailboxId: box.sales,
        mode: 'new',
        to: [customer],
        subject: undo ? 'Undone offer' : 'Offer',
        html: '<p>Offer</p>',
      });
      expect(sent.status).toBe(202);
      if (undo) expect((await as.sales.post(`/api/outbox/${sent.body.id}/cancel`)).status).toBe(200);
    }
    const list = await as.sales.get<{ items: { id: string; subject: string }[] }>('/api/conversations?limit=200');
    for (const item of list.body.items) {
      const detail = await as.sales.get<{ timeline: { kind: string }[] }>(`/api/conversations/${item.id}`);
      expect(detail.status, item.subject).toBe(200);
      expect(
        detail.body.timeline.some((t) => t.kind === 'message'),
        item.subject,
      ).toBe(true);
    }
    expect(list.body.items.map((i) => i.subject)).not.toContain('Undone offer');
    const { db } = pier.workspace;
    const empty = await db
      .selectFrom('conversations')
      .select('id')
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('conversation_messages')
              .select('message_id')
              .whereRef('conversation_messages.conversation_id', '=', 'conversations.id'),
          ),
        ),
      )
      .execute();
    expect(empty).toEqual([]);
  });

  /** A customer's first mail synced by accounting@ alone (its copy in sales@ comes later): a conversation holding only it. */
  async function firstMailInAccounting(label: string) {
    const raw = rawMail({
      messageId: id(label),
      to: 'accounting@acme.test, sales@acme.test',
      subject: `Shipment ${label}`,
      body: 'Where is my order?',
    });
    const stored = await synced(raw, 'accounting');
    return { raw, conversationId: stored.conversationId };
  }
  /**
   * The copy arrives through sales@: sales@ gets the customer's mail in a conversation of its own,
   * and the worked-on conversation stays closed to sales@ agents.
   */
  async function expectCopyKeepsItClosed(first: { raw: string; conversationId: string }, secrets: string[]) {
    const copy = await synced(first.raw, 'sales');
    expect(copy.isNew).toBe(true);
    expect(copy.conversationId).not.toBe(first.conversationId);
    for (const who of ['sales', 'salesReader'] as const) {
      const view = await as[who].get(`/api/conversations/${copy.conversationId}`);
      expect(JSON.stringify(view.body)).toContain('Where is my order?');
    }
    thread = { ...thread, id: first.conversationId, secrets };
    for (const who of ['sales', 'salesReader'] as const) await expectNothingOfTheAccountingThread(as[who]);
  }

  it('a copy synced by sales@ of a first mail that got an internal note does not show the note, nor the conversation, to sales@', async () => {
    const first = await firstMailInAccounting('noted');
    const note = `LONE-NOTE-SECRET-${++counter}`;
    expect((await as.accounting.post(`/api/conversations/${first.conversationId}/notes`, { body: note })).status).toBe(201);
    await expectCopyKeepsItClosed(first, [note]);
  });

  it('a copy synced by sales@ of a first mail with a reply queued, or queued and undone, shows no reply text to sales@', async () => {
    for (const undo of [false, true]) {
      const first = await firstMailInAccounting(undo ? 'undone' : 'replied');
      const reply = `LONE-REPLY-SECRET-${++counter}`;
      const sent = await as.accounting.post<{ id: string }>('/api/outbox', {
        mailboxId: box.accounting,
        mode: 'reply',
        conversationId: first.conversationId,
        to: [customer],
        subject: 'Re: shipment',
        html: `<p>${reply}</p>`,
      });
      expect(sent.status).toBe(202);
      // Undone, the reply's message is gone and the conversation holds only the first mail again.
      if (undo) expect((await as.accounting.post(`/api/outbox/${sent.body.id}/cancel`)).status).toBe(200);
      await expectCopyKeepsItClosed(first, [reply]);
    }
  });

  it('a copy synced by sales@ of a first mail nobody worked on yet shows its conversation in both queues', async () => {
    const first = await firstMailInAccounting('untouched');
    const copy = await synced(first.raw, 'sales');
    expect(copy).toMatchObject({ conversationId: first.conversationId, isNew: false });
    for (const who of ['sales', 'accounting'] as const) {
      const list = await as[who].get<{ items: { id: string; mailboxIds: string[] }[] }>('/api/conversations');
      const item = list.body.items.find((c) => c.id === first.conversationId);
      expect(item?.mailboxIds.sort()).toEqual([box.sales, box.accounting].sort());
    }
  });

  it('one mail to sales@ and info@ is one message in one conversation, shown in both queues', async () => {
    const rfq = id('rfq-both');
    await deliver(rawMail({ messageId: rfq, to: 'sales@acme.test, info@acme.test', subject: 'RFQ 500 pcs', body: 'Quote please' }), [
      'sales@acme.test',
      'info@acme.test',
    ]);
    const conversation = await conversationOf(rfq);
    for (const who of ['sales', 'info'] as const) {
      const list = await as[who].get<{ items: { id: string; mailboxIds: string[] }[] }>('/api/conversations');
      const item = list.body.items.find((c) => c.id === conversation);
      expect(item?.mailboxIds.sort()).toEqual([box.sales, box.info].sort());
    }
    const rows = await pier.workspace.db.selectFrom('messages').select('id').where('message_id_header', '=', rfq).execute();
    expect(rows).toHaveLength(1);
  });
});
