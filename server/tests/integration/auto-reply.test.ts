import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../src/compose.js';
import {
  type AutoReplyDeps,
  answerAutomatically,
  autoReplyDecisionFor,
  DEFAULT_REPLY_TIMING,
  saveAutoReplySettings,
  turnOffAutoReply,
  turnOnAutoReplyWithText,
} from '../../src/modules/auto-reply/index.js';
import { ingestMail, listConversations } from '../../src/modules/conversations/index.js';
import type { MessageClassifiedEvent } from '../../src/modules/events/index.js';
import { classifyStoredMessage } from '../../src/modules/mail-facts/index.js';
import { loadConversationDetail } from '../../src/modules/reading/index.js';
import { createSecurityMailer } from '../../src/modules/security/index.js';
import { viewCounts } from '../../src/modules/triage/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { addTestImapMailbox, openTestWorkspace } from '../support/workspace.js';

const HOUR = 60 * 60_000;
let counter = 0;

function mail(
  headers: string[],
  body = 'Dear team, please send us your best price for 2000 pcs of the LED panel.\r\n\r\nBest regards\r\nHans Müller\r\nTel. +49 30 1234567\r\n',
) {
  const id = `<af${Date.now()}.${++counter}@sender.test>`;
  return Buffer.from(
    [
      `Message-ID: ${id}`,
      `Date: ${new Date().toUTCString()}`,
      'MIME-Version: 1.0',
      ...headers,
      'Content-Type: text/plain; charset=utf-8',
      '',
      body,
    ].join('\r\n'),
  );
}

/**
 * Mail facts and the auto-reply decision on both engines (decision 0031): what the subscriber
 * stores for person and machine mail, where the conversation is filed, and the decision with its
 * reasons — off, machine mail, own addresses, once per mail, per sender and period, the hourly cap.
 */
describe.each(engines)('mail facts and auto-reply on %s', (engine) => {
  let database: TestDatabase;
  let ws: Workspace & { clock: { now(): number; advance(ms: number): number } };
  let sales = '';
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
  const autoDeps = (): AutoReplyDeps => ({
    db: ws.db,
    engine: ws.engine,
    blobs: ws.blobs,
    messageIds: ws.messageIds,
    recordReopened: ws.recordReopened,
    teamActivity: ws.teamActivity,
    clock: ws.clock,
    mailer: createSecurityMailer(ws.secrets, undefined),
    replyTiming: async () => DEFAULT_REPLY_TIMING,
  });
  /** Stores a mail in sales@ and runs the mail-facts subscriber as the worker would. */
  const receive = async (raw: Buffer) => {
    const stored = await ingestMail(deps(), { raw, mailboxIds: [sales], source: 'imap', receivedAt: ws.clock.now() });
    const event = { ...stored, mailboxId: sales, direction: 'in' as const, source: 'imap' as const, receivedAt: ws.clock.now() };
    const facts = await classifyStoredMessage({ db: ws.db, blobs: ws.blobs }, event);
    const classified: MessageClassifiedEvent = {
      ...event,
      category: facts?.category ?? 'person',
      mayAutoReply: false,
      language: facts?.language ?? null,
      country: facts?.country ?? null,
    };
    return { ...stored, facts, classified };
  };

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    ws = await openTestWorkspace(database);
    sales = (await addTestImapMailbox(ws, 'sales@acme.test')).id;
    await addTestImapMailbox(ws, 'info@acme.test');
  });
  afterAll(async () => {
    await ws?.close();
    await database?.drop();
  });

  it('stores category, reasons, language and country of person and machine mail, and files machine conversations apart', async () => {
    const person = await receive(mail(['From: Hans Müller <hans@kunde.de>', 'To: sales@acme.test', 'Subject: Inquiry LED panels']));
    expect(person.facts).toMatchObject({ category: 'person', language: 'en', country: 'DE', countrySource: 'cctld' });
    const newsletter = await receive(
      mail([
        'From: News <news@shop.example.com>',
        'To: sales@acme.test',
        'Subject: Our December deals',
        'List-Unsubscribe: <mailto:unsub@shop.example.com>',
        'Precedence: bulk',
      ]),
    );
    expect(newsletter.facts?.category).toBe('bulk');
    const rows = await ws.db
      .selectFrom('messages')
      .select(['id', 'category', 'category_reasons', 'language', 'country', 'country_source'])
      .where('id', 'in', [person.messageId, newsletter.messageId])
      .execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(person.messageId)).toMatchObject({ category: 'person', language: 'en', country: 'DE', country_source: 'cctld' });
    expect(JSON.parse(byId.get(newsletter.messageId)?.category_reasons ?? '[]').map((r: { signal: string }) => r.signal)).toContain(
      'list-unsubscribe',
    );
    const conversations = await ws.db
      .selectFrom('conversations')
      .select(['id', 'category'])
      .where('id', 'in', [person.conversationId, newsletter.conversationId])
      .execute();
    expect(new Map(conversations.map((c) => [c.id, c.category]))).toEqual(
      new Map([
        [person.conversationId, 'person'],
        [newsletter.conversationId, 'bulk'],
      ]),
    );
    // The conversation shows them on each incoming message (language, sender country and how, machine mail).
    const reader = { userId: 'reader', scope: { kind: 'all' as const, level: 'manage' as const } };
    const shown = async (conversationId: string) =>
      (await loadConversationDetail(ws.db, { conversationId, reader })).timeline.find((i) => i.kind === 'message');
    expect(await shown(person.conversationId)).toMatchObject({
      language: 'en',
      senderCountry: { code: 'DE', source: 'cctld' },
      category: 'person',
    });
    expect(await shown(newsletter.conversationId)).toMatchObject({ category: 'bulk' });
    // A redelivered event changes nothing and publishes nothing again.
    expect(
      await classifyStoredMessage(
        { db: ws.db, blobs: ws.blobs },
        { ...person, mailboxId: sales, direction: 'in', source: 'imap', receivedAt: 0 },
      ),
    ).toBeNull();
  });

  it('keeps a conversation the team started a person’s when an out-of-office reply comes back into it', async () => {
    const ours = mail(['From: Sales <sales@acme.test>', 'To: Kim <kim@buyer.test>', 'Subject: Our offer']);
    const sent = await ingestMail(deps(), { raw: ours, mailboxIds: [sales], source: 'imap', receivedAt: ws.clock.now() });
    await classifyStoredMessage(
      { db: ws.db, blobs: ws.blobs },
      { ...sent, mailboxId: sales, direction: 'out', source: 'imap', receivedAt: 0 },
    );
    const ourId = /^Message-ID: (.+)$/m.exec(ours.toString())?.[1]?.trim() ?? '';
    const away = await receive(
      mail([
        'From: Kim <kim@buyer.test>',
        'To: sales@acme.test',
        'Subject: Automatic reply: Our offer',
        'Auto-Submitted: auto-replied',
        `In-Reply-To: ${ourId}`,
      ]),
    );
    expect(away.facts?.category).toBe('auto-reply');
    expect(away.conversationId).toBe(sent.conversationId);
    const row = await ws.db.selectFrom('conversations').select('category').where('id', '=', sent.conversationId).executeTakeFirstOrThrow();
    expect(row.category).toBe('person');
    // Nobody became a contact through the out-of-office reply alone: Kim is one because the team wrote to her.
    const kim = await ws.db.selectFrom('contacts').select(['address', 'last_seen_at']).where('address', '=', 'kim@buyer.test').execute();
    expect(kim).toHaveLength(1);
    await ws.db.updateTable('conversations').set({ status: 'closed' }).where('id', '=', sent.conversationId).execute();
  });

  it('lists machine conversations in the Automated view only, and leaves them out of Unassigned, Open and their counts', async () => {
    const list = async (view: 'automated' | 'unassigned' | 'open') =>
      (await listConversations(ws.db, { mailboxIds: 'all', userId: 'nobody', limit: 50, view, engine: ws.engine })).items.map(
        (c) => c.subject,
      );
    expect(await list('automated')).toEqual(['Our December deals']);
    expect(await list('unassigned')).toEqual(['Inquiry LED panels']);
    expect(await list('open')).toEqual(['Inquiry LED panels']);
    const counts = await viewCounts(ws.db, { mailboxIds: 'all', userId: 'nobody' });
    expect(counts.views).toMatchObject({ automated: 1, unassigned: 1, open: 1 });
    expect(counts.mailboxes.find((m) => m.id === sales)).toMatchObject({ open: 1, unassigned: 1 });
  });

  it('decides per mail: off, machine mail, own addresses, once per sender and period, and sends exactly once', async () => {
    const now = ws.clock.now();
    const base = { mailboxId: sales, category: 'person' as const, mayAutoReply: true, now };
    expect(await autoReplyDecisionFor(ws.db, { ...base, from: 'anna@buyer.test' })).toEqual({ send: false, reason: 'auto_reply_off' });
    await turnOnAutoReplyWithText(ws.db, {
      mailboxId: sales,
      text: 'Dear {{customer.name}}, thanks. Reference {{reference}}; answer by {{expected_reply_time}}.',
      actorId: null,
      now,
    });
    expect(await autoReplyDecisionFor(ws.db, { ...base, from: 'anna@buyer.test' })).toEqual({ send: true, reason: 'send' });
    expect(await autoReplyDecisionFor(ws.db, { ...base, from: 'news@shop.test', category: 'bulk', mayAutoReply: false })).toEqual({
      send: false,
      reason: 'not_a_person:bulk',
    });
    expect(await autoReplyDecisionFor(ws.db, { ...base, from: 'anna@buyer.test', mayAutoReply: false })).toEqual({
      send: false,
      reason: 'sender_asks_no_auto_reply',
    });
    expect(await autoReplyDecisionFor(ws.db, { ...base, from: 'Info@Acme.test' })).toEqual({ send: false, reason: 'own_address' });
    expect(await autoReplyDecisionFor(ws.db, { ...base, from: 'anna@buyer.test', receivedAt: now - HOUR })).toEqual({
      send: false,
      reason: 'received_before_auto_reply_on',
    });

    const first = await receive(mail(['From: Anna Li <anna@buyer.test>', 'To: sales@acme.test', 'Subject: Sample request']));
    const sent = await answerAutomatically(autoDeps(), { ...first.classified, mayAutoReply: true });
    expect(sent).toHaveProperty('outboxId');
    // The same event again (a redelivered job) queues nothing more.
    expect(await answerAutomatically(autoDeps(), { ...first.classified, mayAutoReply: true })).toEqual({ reason: 'already_answered' });
    const outbox = await ws.db.selectFrom('outbox_messages').selectAll().where('conversation_id', '=', first.conversationId).execute();
    expect(outbox).toHaveLength(1);
    expect(outbox[0]).toMatchObject({ automatic_kind: 'auto-reply', state: 'queued', created_by: 'pier:automatic' });
    const reply = await ws.db
      .selectFrom('messages')
      .select(['raw_sha256', 'direction', 'in_reply_to'])
      .where('id', '=', outbox[0]?.message_id ?? '')
      .executeTakeFirstOrThrow();
    expect(reply.direction).toBe('out');
    const raw = (await ws.blobs.get(reply.raw_sha256)).toString('utf8');
    expect(raw).toMatch(/^Auto-Submitted: auto-replied\r$/m);
    expect(raw).toMatch(/^X-Auto-Response-Suppress: All\r$/m);
    expect(raw).toMatch(/^X-Loop: sales@acme\.test\r$/m);
    expect(raw).toMatch(/^Subject: Re: Sample request\r$/m);
    expect(raw).toContain('Dear Anna Li, thanks. Reference #');
    const original = await ws.db
      .selectFrom('messages')
      .select('message_id_header')
      .where('id', '=', first.messageId)
      .executeTakeFirstOrThrow();
    expect(reply.in_reply_to).toBe(original.message_id_header);

    // A second mail of Anna's within four days: none; after the period: one again.
    const second = await receive(mail(['From: Anna Li <anna@buyer.test>', 'To: sales@acme.test', 'Subject: One more question']));
    expect(await answerAutomatically(autoDeps(), { ...second.classified, mayAutoReply: true })).toEqual({
      reason: 'sender_answered_within_period',
    });
    ws.clock.advance(96 * HOUR + 1000);
    const later = await receive(mail(['From: Anna Li <anna@buyer.test>', 'To: sales@acme.test', 'Subject: Back again']));
    expect(await answerAutomatically(autoDeps(), { ...later.classified, mayAutoReply: true })).toHaveProperty('outboxId');
  });

  it('caps auto-replies per conversation and hour', async () => {
    const first = await receive(mail(['From: Bo <bo@buyer.test>', 'To: sales@acme.test', 'Subject: Team thread']));
    expect(await answerAutomatically(autoDeps(), { ...first.classified, mayAutoReply: true })).toHaveProperty('outboxId');
    expect(
      await autoReplyDecisionFor(ws.db, {
        mailboxId: sales,
        from: 'colleague-of-bo@buyer.test',
        category: 'person',
        mayAutoReply: true,
        conversationId: first.conversationId,
        now: ws.clock.now(),
      }),
    ).toEqual({ send: false, reason: 'conversation_hourly_cap' });
  });

  // Two worker nodes answering two mails of one sender at once (decision 0074): one reply, not two.
  it('answers a sender once when two nodes answer two of their mails at once', async () => {
    const other = engine === 'postgres' ? await openTestWorkspace(database) : ws;
    try {
      const mails = await Promise.all(
        ['Price list', 'Catalogue'].map((subject) =>
          receive(mail(['From: Dana <dana@buyer.test>', 'To: sales@acme.test', `Subject: ${subject}`])),
        ),
      );
      const answers = await Promise.all(
        mails.map((m, i) =>
          answerAutomatically(i === 0 ? autoDeps() : { ...autoDeps(), db: other.db, blobs: other.blobs }, {
            ...m.classified,
            mayAutoReply: true,
          }),
        ),
      );
      expect(answers.filter((a) => 'outboxId' in a)).toHaveLength(1);
      const sends = await ws.db.selectFrom('auto_reply_sends').select('id').where('correspondent', '=', 'dana@buyer.test').execute();
      expect(sends).toHaveLength(1);
    } finally {
      if (other !== ws) await other.close();
    }
  });

  it('refuses unknown variables and a template set without a default on save, and turns off', async () => {
    await expect(
      turnOnAutoReplyWithText(ws.db, { mailboxId: sales, text: 'Hello {{customer.firstname}}', actorId: null, now: ws.clock.now() }),
    ).rejects.toThrow(/unknown variable \{\{customer\.firstname\}\}/);
    await expect(
      saveAutoReplySettings(ws.db, {
        mailboxId: sales,
        actorId: null,
        now: ws.clock.now(),
        settings: {
          enabled: true,
          periodHours: 96,
          hourlyCap: 1,
          templates: { versions: [{ language: 'de', insideHours: 'Danke', outsideHours: null }] },
        },
      }),
    ).rejects.toThrow(/exactly one version is the default/);
    await turnOffAutoReply(ws.db, { mailboxId: sales, actorId: null, now: ws.clock.now() });
    expect(await autoReplyDecisionFor(ws.db, { mailboxId: sales, from: 'new@buyer.test', category: 'person', mayAutoReply: true })).toEqual(
      { send: false, reason: 'auto_reply_off' },
    );
  });
});
