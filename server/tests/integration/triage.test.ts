import type { ConversationSummary, ConversationTriage, TriageState, ViewCounts } from '@pier/contracts';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/db/ids.js';
import { relateConversations, relatedByMail } from '../../src/modules/conversations/index.js';
import { createMailbox, grantMailboxAccess } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { refreshSpamFlag, viewCounts, wakeSnoozedConversations } from '../../src/modules/triage/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD as password } from '../support/users.js';
import { waitFor } from '../support/wait.js';

type Who = 'admin' | 'li' | 'zhang' | 'reader' | 'auditor';

describe.each(engines)('working conversations (triage) on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  const users: Record<Who, string> = {} as never;
  const as: Record<Who, ApiClient> = {} as never;
  const mailboxes: Record<'sales' | 'accounting', string> = {} as never;
  let smtp: ReturnType<typeof nodemailer.createTransport>;

  const list = async (client: ApiClient, query = '') =>
    (await client.get<{ items: ConversationSummary[] }>(`/api/conversations${query ? `?${query}` : ''}`)).body.items;
  const idOf = async (subject: string) => {
    const found = (await list(as.admin)).find((c) => c.subject === subject);
    if (!found) throw new Error(`no conversation "${subject}"`);
    return found.id;
  };
  const triage = async (client: ApiClient, id: string) => client.get<ConversationTriage>(`/api/conversations/${id}/triage`);

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database);
    const { db } = pier.workspace;
    users.admin = (await createAccount(db, { email: 'boss@acme.test', name: 'Boss', password, role: 'admin' })).id;
    users.li = (await createAccount(db, { email: 'li.wei@acme.test', name: 'Li Wei', password, role: 'agent' })).id;
    users.zhang = (await createAccount(db, { email: 'zhang@acme.test', name: '张伟', password, role: 'agent' })).id;
    users.reader = (await createAccount(db, { email: 'reader@acme.test', name: 'Reader', password, role: 'agent' })).id;
    users.auditor = (await createAccount(db, { email: 'audit@acme.test', name: 'Audit', password, role: 'auditor' })).id;
    mailboxes.sales = (await createMailbox(db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' })).id;
    mailboxes.accounting = (
      await createMailbox(db, { address: 'accounting@acme.test', displayName: 'Accounting', purpose: 'accounting' })
    ).id;
    await grantMailboxAccess(db, users.li, mailboxes.sales, 'reply');
    await grantMailboxAccess(db, users.zhang, mailboxes.sales, 'reply');
    await grantMailboxAccess(db, users.reader, mailboxes.sales, 'read');
    await grantMailboxAccess(db, users.auditor, mailboxes.sales, 'read');

    smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort ?? 0, secure: false, ignoreTLS: true });
    await smtp.sendMail({
      from: 'Maria Lopez <maria@lopez-trading.es>',
      to: 'sales@acme.test',
      subject: 'RFQ LED panels',
      text: 'Please quote 500 LED panels.',
      messageId: '<rfq-1@lopez-trading.es>',
    });
    await smtp.sendMail({
      from: 'buyer@customer.test',
      to: 'sales@acme.test',
      subject: '样品寄送',
      text: '请寄送钨钢刀样品，附件是报价单。',
      attachments: [{ filename: '报价单.pdf', content: Buffer.from('%PDF-1.4 test') }],
    });
    await smtp.sendMail({ from: 'other@customer.test', to: 'sales@acme.test', subject: 'Duplicate RFQ', text: 'Same request again, LED.' });
    await smtp.sendMail({ from: 'bank@customer.test', to: 'accounting@acme.test', subject: 'Invoice 2026-11', text: 'Payment due.' });

    for (const [who, email] of [
      ['admin', 'boss@acme.test'],
      ['li', 'li.wei@acme.test'],
      ['zhang', 'zhang@acme.test'],
      ['reader', 'reader@acme.test'],
      ['auditor', 'audit@acme.test'],
    ] as const) {
      as[who] = pier.api();
      expect((await as[who].post('/api/auth/login', { email, password })).status).toBe(200);
    }
  });
  afterAll(async () => {
    smtp?.close();
    await pier?.stop();
    await database?.drop();
  });

  it('assigns to an agent with reply access, records the event and notifies the assignee', async () => {
    const id = await idOf('RFQ LED panels');
    const res = await as.zhang.post<TriageState>(`/api/conversations/${id}/assign`, { assigneeId: users.li });
    expect(res.status).toBe(200);
    expect(res.body.assignee).toEqual({ id: users.li, name: 'Li Wei' });
    // A reader (read access only) and an auditor cannot be assignees.
    for (const assigneeId of [users.reader, users.auditor, 'made-up']) {
      expect(await as.zhang.post(`/api/conversations/${id}/assign`, { assigneeId })).toMatchObject({
        status: 400,
        body: { error: { code: 'conversation.assignee_invalid' } },
      });
    }
    const timeline = (await triage(as.li, id)).body.timeline;
    expect(timeline.filter((i) => i.kind === 'event')).toEqual([
      expect.objectContaining({
        type: 'assigned',
        actor: { id: users.zhang, name: '张伟' },
        data: { assignee: { id: users.li, name: 'Li Wei' } },
      }),
    ]);
    const notes = (await as.li.get<{ items: { kind: string; data: { conversationId: string } }[]; unread: number }>('/api/notifications'))
      .body;
    expect(notes.unread).toBe(1);
    expect(notes.items[0]).toMatchObject({ kind: 'assigned', data: { conversationId: id } });
    expect((await as.li.post('/api/notifications/read', {})).body).toEqual({ marked: 1 });
    expect((await as.li.get<{ unread: number }>('/api/notifications')).body.unread).toBe(0);

    // The list shows the assignee; Mine and Unassigned follow.
    expect((await list(as.li, 'view=mine')).map((c) => c.subject)).toEqual(['RFQ LED panels']);
    expect((await list(as.li, 'view=unassigned')).map((c) => c.subject).sort()).toEqual(['Duplicate RFQ', '样品寄送']);
    const summary = (await list(as.li)).find((c) => c.id === id);
    expect(summary).toMatchObject({
      assignee: { id: users.li, name: 'Li Wei' },
      customerName: 'Maria Lopez',
      priority: 'normal',
      country: 'ES',
    });
  });

  it('snoozes until a time, then a job reopens it by itself', async () => {
    const id = await idOf('样品寄送');
    expect(await as.li.post(`/api/conversations/${id}/status`, { status: 'snoozed', snoozedUntil: Date.now() - 1 })).toMatchObject({
      status: 400,
      body: { error: { code: 'conversation.snooze_invalid' } },
    });
    const until = Date.now() + 60 * 60_000;
    expect(
      (await as.li.post<TriageState>(`/api/conversations/${id}/status`, { status: 'snoozed', snoozedUntil: until })).body,
    ).toMatchObject({
      status: 'snoozed',
      snoozedUntil: until,
    });
    expect((await list(as.li, 'view=snoozed')).map((c) => c.id)).toEqual([id]);
    expect(await wakeSnoozedConversations(pier.workspace.db, until - 1)).toBe(0);
    // An hour later on Pier's clock, the worker's wake-up job reopens it.
    pier.clock.advance(60 * 60_000);
    const state = await waitFor(async () => {
      const body = (await triage(as.li, id)).body;
      return body.state.status === 'open' ? body : undefined;
    }, 'the wake-up job to reopen the conversation');
    expect(state.state).toMatchObject({ status: 'open', snoozedUntil: null });
    expect(state.timeline.map((i) => (i.kind === 'event' ? i.type : i.kind))).toEqual(['snoozed', 'reopened']);
  });

  it('reopens a closed conversation when the customer writes again', async () => {
    const id = await idOf('RFQ LED panels');
    expect((await as.li.post<TriageState>(`/api/conversations/${id}/status`, { status: 'closed' })).body.status).toBe('closed');
    expect((await list(as.li, 'view=closed')).map((c) => c.id)).toContain(id);
    await smtp.sendMail({
      from: 'Maria Lopez <maria@lopez-trading.es>',
      to: 'sales@acme.test',
      subject: 'Re: RFQ LED panels',
      text: 'Any news?',
      inReplyTo: '<rfq-1@lopez-trading.es>',
      references: ['<rfq-1@lopez-trading.es>'],
    });
    const after = (await triage(as.li, id)).body;
    expect(after.state.status).toBe('open');
    expect(after.timeline.at(-1)).toMatchObject({
      kind: 'event',
      type: 'reopened',
      actor: null,
      data: { from: 'closed', reason: 'message' },
    });
  });

  it('tags, prioritises and follows, with counts per view, tag and mailbox', async () => {
    const id = await idOf('样品寄送');
    const tagged = await as.zhang.post<TriageState>(`/api/conversations/${id}/tags`, { add: ['样品', 'Urgent'] });
    expect(tagged.body.tags).toEqual(['urgent', '样品']);
    expect((await as.zhang.post<TriageState>(`/api/conversations/${id}/tags`, { remove: ['urgent'] })).body.tags).toEqual(['样品']);
    expect((await as.zhang.post<TriageState>(`/api/conversations/${id}/priority`, { priority: 'high' })).body.priority).toBe('high');
    expect((await as.zhang.post<TriageState>(`/api/conversations/${id}/follow`, { following: true })).body.following).toBe(true);
    expect((await triage(as.li, id)).body.state.following).toBe(false);

    expect((await list(as.li, `tag=${encodeURIComponent('样品')}`)).map((c) => c.id)).toEqual([id]);
    const counts = (await as.li.get<ViewCounts>('/api/views')).body;
    expect(counts.views).toMatchObject({ open: 3, mine: 1, unassigned: 2, snoozed: 0, closed: 0 });
    expect(counts.tags).toEqual([{ name: '样品', open: 1 }]);
    expect(counts.mailboxes).toEqual([{ id: mailboxes.sales, open: 3, unassigned: 2 }]);
    // The admin also counts accounting@.
    expect((await as.admin.get<ViewCounts>('/api/views')).body.views.open).toBe(4);
    // Every count stops at the cap (the sidebar shows "N+"): views, mailboxes (open, unassigned) and tags alike.
    const capped = await viewCounts(pier.workspace.db, { mailboxIds: [mailboxes.sales], userId: users.li, cap: 2 });
    expect(capped.views).toMatchObject({ open: 2, mine: 1, unassigned: 2 });
    expect(capped.mailboxes).toEqual([{ id: mailboxes.sales, open: 2, unassigned: 2 }]);
    expect(capped.tags).toEqual([{ name: '样品', open: 1 }]);
    expect((await viewCounts(pier.workspace.db, { mailboxIds: [mailboxes.sales], userId: users.li, cap: 1 })).tags).toEqual([
      { name: '样品', open: 1 },
    ]);
  });

  it('lets a note mention only people who can see the conversation, and notifies them', async () => {
    const id = await idOf('样品寄送');
    expect(await as.li.post(`/api/conversations/${id}/notes`, { body: '@Boss look', mentions: [users.auditor, 'nobody'] })).toMatchObject({
      status: 400,
      body: { error: { code: 'note.mention_invalid' } },
    });
    const people = (await as.li.get<{ mentionable: { id: string }[]; assignable: { id: string }[] }>(`/api/conversations/${id}/people`))
      .body;
    expect(people.assignable.map((p) => p.id).sort()).toEqual([users.admin, users.li, users.zhang].sort());
    expect(people.mentionable.map((p) => p.id)).toContain(users.reader);
    const created = await as.li.post<{ id: string }>(`/api/conversations/${id}/notes`, {
      body: '@张伟 请确认样品库存',
      mentions: [users.zhang],
    });
    expect(created.status).toBe(201);
    const note = (await triage(as.zhang, id)).body.timeline.find((i) => i.kind === 'note');
    expect(note).toMatchObject({
      body: '@张伟 请确认样品库存',
      author: { id: users.li, name: 'Li Wei' },
      mentions: [{ id: users.zhang, name: '张伟' }],
    });
    const inbox = (await as.zhang.get<{ items: { kind: string; data: Record<string, unknown> }[] }>('/api/notifications?unread=1')).body
      .items;
    // Zhang follows the conversation, but the mention is the one notification for this note.
    expect(inbox.map((n) => n.kind)).toEqual(['mention']);
    expect(inbox[0]?.data).toMatchObject({ conversationId: id, noteId: created.body.id, by: { name: 'Li Wei' } });
  });

  it('searches with filters: from, to, tag, status, assignee, has:attachment, dates, mailbox and free text', async () => {
    const subjects = async (q: string, client = as.li) => (await list(client, `q=${encodeURIComponent(q)}`)).map((c) => c.subject).sort();
    expect(await subjects('from:maria')).toEqual(['RFQ LED panels']);
    expect(await subjects('from:"Maria Lopez" LED')).toEqual(['RFQ LED panels']);
    expect(await subjects('LED')).toEqual(['Duplicate RFQ', 'RFQ LED panels']);
    expect(await subjects('to:sales@acme.test has:attachment')).toEqual(['样品寄送']);
    expect(await subjects('tag:样品 钨钢刀')).toEqual(['样品寄送']);
    expect(await subjects('tag:样品 LED')).toEqual([]);
    expect(await subjects('assignee:me')).toEqual(['RFQ LED panels']);
    expect(await subjects('assignee:li.wei@acme.test status:open')).toEqual(['RFQ LED panels']);
    expect(await subjects('status:closed')).toEqual([]);
    expect(await subjects('before:2000-01-01')).toEqual([]);
    expect(await subjects('after:2000-01-01 报价')).toEqual(['样品寄送']);
    expect(await subjects('mailbox:sales 样品')).toEqual(['样品寄送']);
    // An unknown prefix is searched as text.
    expect(await subjects('foo:bar')).toEqual([]);
  });

  it('merges two conversations: messages, events and notes move, the old id points to the new one', async () => {
    const source = await idOf('Duplicate RFQ');
    const target = await idOf('RFQ LED panels');
    const invoice = await idOf('Invoice 2026-11');
    const { db } = pier.workspace;
    // The duplicate was linked to an accounting@ conversation (decision 0027); the link survives the merge.
    await relateConversations(db, [{ conversationId: source, relatedId: invoice, reason: 'thread' }], Date.now());
    await as.li.post(`/api/conversations/${source}/tags`, { add: ['dup'] });
    expect(await as.li.post(`/api/conversations/${source}/merge`, { intoId: source })).toMatchObject({ status: 400 });
    expect(await as.reader.post(`/api/conversations/${source}/merge`, { intoId: target })).toMatchObject({ status: 403 });
    const merged = await as.li.post(`/api/conversations/${source}/merge`, { intoId: target });
    expect(merged).toMatchObject({ status: 200, body: { conversationId: target } });
    expect(await triage(as.li, source)).toMatchObject({
      status: 404,
      body: { error: { code: 'conversation.not_found', details: { mergedInto: target } } },
    });
    const after = (await triage(as.li, target)).body;
    expect(after.state.tags).toContain('dup');
    expect(after.timeline.filter((i) => i.kind === 'event').map((i) => (i.kind === 'event' ? i.type : ''))).toEqual(
      expect.arrayContaining(['tagged', 'merged']),
    );
    const messages = await db.selectFrom('conversation_messages').select('message_id').where('conversation_id', '=', target).execute();
    expect(messages).toHaveLength(3);
    expect((await relatedByMail(db, target, 'all')).map((r) => r.id)).toEqual([invoice]);
    expect((await relatedByMail(db, invoice, 'all')).map((r) => r.id)).toEqual([target]);
    expect((await list(as.li)).map((c) => c.id)).not.toContain(source);
  });

  it('keeps conversations seen only in a Spam folder in the Spam view', async () => {
    const { db } = pier.workspace;
    const id = await idOf('样品寄送');
    const folderId = newId();
    await db
      .insertInto('folders')
      .values({
        id: folderId,
        mailbox_id: mailboxes.sales,
        path: 'Junk',
        role: 'spam',
        uidvalidity: 1,
        highest_modseq: null,
        synced_at: null,
        status_detail: null,
      })
      .execute();
    const messageIds = (await db.selectFrom('conversation_messages').select('message_id').where('conversation_id', '=', id).execute()).map(
      (m) => m.message_id,
    );
    await db
      .updateTable('message_locations')
      .set({ folder_id: folderId, folder_path: 'Junk' })
      .where('message_id', 'in', messageIds)
      .execute();
    await refreshSpamFlag(db, id);
    expect((await list(as.li, 'view=spam')).map((c) => c.id)).toEqual([id]);
    expect((await list(as.li, 'view=open')).map((c) => c.id)).not.toContain(id);
    expect((await as.li.get<ViewCounts>('/api/views')).body.views.spam).toBe(1);
    await db.updateTable('message_locations').set({ folder_id: null, folder_path: '' }).where('message_id', 'in', messageIds).execute();
    await refreshSpamFlag(db, id);
    expect((await list(as.li, 'view=spam')).map((c) => c.id)).toEqual([]);
  });

  it('keeps auditors and read-only users from changing anything', async () => {
    const id = await idOf('样品寄送');
    expect(await as.auditor.post(`/api/conversations/${id}/status`, { status: 'closed' })).toMatchObject({
      status: 403,
      body: { error: { code: 'auth.forbidden' } },
    });
    expect((await triage(as.auditor, id)).body.state.access).toBe('read');
    for (const [path, body] of [
      ['assign', { assigneeId: users.li }],
      ['status', { status: 'pending' }],
      ['tags', { add: ['x'] }],
      ['priority', { priority: 'low' }],
      ['notes', { body: 'hi' }],
    ] as const) {
      expect(await as.reader.post(`/api/conversations/${id}/${path}`, body)).toMatchObject({ status: 403 });
    }
    expect((await as.reader.post<TriageState>(`/api/conversations/${id}/follow`, { following: true })).status).toBe(200);
  });

  it('never lets an agent without access to accounting@ list, open, search, act on or note in its conversations (404)', async () => {
    const id = await idOf('Invoice 2026-11');
    const sales = await idOf('样品寄送');
    expect((await list(as.li)).map((c) => c.id)).not.toContain(id);
    for (const view of ['open', 'unassigned', 'pending', 'closed', 'spam'])
      expect((await list(as.li, `view=${view}`)).map((c) => c.id)).not.toContain(id);
    expect(await list(as.li, `q=${encodeURIComponent('Payment')}`)).toEqual([]);
    expect(await list(as.li, `q=${encodeURIComponent('mailbox:accounting')}`)).toEqual([]);
    expect(await list(as.li, `q=${encodeURIComponent('from:bank@customer.test')}`)).toEqual([]);
    expect(await as.li.get(`/api/conversations?mailboxId=${mailboxes.accounting}`)).toMatchObject({ status: 404 });
    const notFound = { status: 404, body: { error: { code: 'conversation.not_found' } } };
    expect(await triage(as.li, id)).toMatchObject(notFound);
    expect(await as.li.get(`/api/conversations/${id}/people`)).toMatchObject(notFound);
    for (const [path, body] of [
      ['assign', { assigneeId: users.li }],
      ['status', { status: 'closed' }],
      ['tags', { add: ['x'] }],
      ['priority', { priority: 'urgent' }],
      ['follow', { following: true }],
      ['notes', { body: 'secret' }],
      ['merge', { intoId: sales }],
    ] as const) {
      expect(await as.li.post(`/api/conversations/${id}/${path}`, body)).toMatchObject(notFound);
    }
    // Nor merge a conversation they can work into one they cannot see.
    expect(await as.li.post(`/api/conversations/${sales}/merge`, { intoId: id })).toMatchObject(notFound);
    // Nothing happened to it.
    const untouched = (await triage(as.admin, id)).body;
    expect(untouched.timeline).toEqual([]);
    expect(untouched.state).toMatchObject({ status: 'open', assignee: null, tags: [], priority: 'normal' });
    // The admin can assign it only to someone who can reply in accounting@.
    expect(await as.admin.post(`/api/conversations/${id}/assign`, { assigneeId: users.li })).toMatchObject({
      status: 400,
      body: { error: { code: 'conversation.assignee_invalid' } },
    });
  });
});
