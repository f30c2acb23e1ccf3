import type { BusinessHours, ConversationList, ConversationSummary, MailboxOperationsSettings } from '@pier/contracts';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSetting } from '../../src/db/settings.js';
import { turnOnAutoReplyWithText } from '../../src/modules/auto-reply/index.js';
import { createMailbox, grantMailboxAccess } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTeam } from '../../src/modules/triage/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD as password } from '../support/users.js';
import { waitFor } from '../support/wait.js';
import { addTestImapMailbox } from '../support/workspace.js';

const H = 3_600_000;
const DAY = 24 * H;
const weekdayKeys = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const allDay = [{ start: '00:00', end: '24:00' }];
const utcDate = (t: number) => new Date(t).toISOString().slice(0, 10);
const midnightAfter = (t: number) => Date.parse(`${utcDate(t)}T00:00:00Z`) + DAY;

/** UTC, open round the clock, except a "weekend" on the two days after `t` and a "holiday" on the third. */
function hoursClosingAfter(t: number): BusinessHours {
  const weekly = Object.fromEntries(weekdayKeys.map((d) => [d, allDay])) as BusinessHours['weekly'];
  for (const k of [1, 2]) weekly[weekdayKeys[new Date(t + k * DAY).getUTCDay()] as keyof BusinessHours['weekly']] = [];
  return {
    timeZone: 'UTC',
    weekly,
    holidayCalendar: null,
    extraDaysOff: [utcDate(t + 3 * DAY)],
    extraWorkingDays: [],
    shiftedWorkdayHoursAs: 'mon',
  };
}

/**
 * Working time from `t` under hoursClosingAfter(t), computed by hand: the rest of t's day is open,
 * then three closed days (weekend, holiday), then open again from midnight.
 */
function dueByHand(t: number, workMs: number): number {
  const restOfDay = midnightAfter(t) - t;
  return workMs <= restOfDay ? t + workMs : midnightAfter(t) + 3 * DAY + (workMs - restOfDay);
}

type Who = 'admin' | 'li' | 'reader' | 'outsider';

describe.each(engines)('SLA: business hours, due times, warnings and breaches on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  const users: Record<Who, string> = {} as never;
  const as: Record<Who, ApiClient> = {} as never;
  const mailboxes: Record<'sales' | 'support', string> = {} as never;
  let smtp: ReturnType<typeof nodemailer.createTransport>;

  const list = async (client: ApiClient, query = '') => {
    const res = await client.get<ConversationList>(`/api/conversations${query ? `?${query}` : ''}`);
    expect(res.status).toBe(200);
    return res.body;
  };
  const row = async (subject: string) => (await list(as.admin)).items.find((c) => c.subject === subject);
  const arrived = (subject: string) => waitFor(async () => row(subject), `conversation "${subject}"`);
  const slaOf = (subject: string, ok: (s: ConversationSummary['sla']) => boolean, what: string) =>
    waitFor(async () => {
      const found = await row(subject);
      return found && ok(found.sla) ? found : undefined;
    }, what);
  /** Moves the clock by `ms` plus a minute: the minute job's next slot is due at once. */
  const advance = async (ms: number) => pier.clock.advance(Math.max(0, ms) + 60_000);
  const emails: Record<Who, string> = {
    admin: 'boss@acme.test',
    li: 'li.wei@acme.test',
    reader: 'reader@acme.test',
    outsider: 'out@acme.test',
  };
  async function signIn() {
    for (const who of Object.keys(emails) as Who[]) {
      as[who] = pier.api();
      expect((await as[who].post('/api/auth/login', { email: emails[who], password })).status).toBe(200);
    }
  }
  const notifications = async (client: ApiClient) =>
    (await client.get<{ items: { kind: string; data: Record<string, unknown> }[] }>('/api/notifications')).body.items;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    // Sessions outlive the days the clock moves (the idle timeout follows the clock too).
    pier = await startTestPier(database, { PIER_SESSION_IDLE_MINUTES: String(60 * 24 * 90) });
    const { db } = pier.workspace;
    users.admin = (await createAccount(db, { email: 'boss@acme.test', name: 'Boss', password, role: 'admin' })).id;
    users.li = (await createAccount(db, { email: 'li.wei@acme.test', name: 'Li Wei', password, role: 'agent' })).id;
    users.reader = (await createAccount(db, { email: 'reader@acme.test', name: 'Reader', password, role: 'agent' })).id;
    users.outsider = (await createAccount(db, { email: 'out@acme.test', name: 'Outsider', password, role: 'agent' })).id;
    mailboxes.sales = (await createMailbox(db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' })).id;
    mailboxes.support = (await createMailbox(db, { address: 'support@acme.test', displayName: 'Support', purpose: 'service' })).id;
    for (const m of [mailboxes.sales, mailboxes.support]) {
      await grantMailboxAccess(db, users.li, m, 'reply');
      await grantMailboxAccess(db, users.reader, m, 'read');
    }
    await signIn();
    smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort ?? 0, secure: false, ignoreTLS: true });
  });
  afterAll(async () => {
    smtp?.close();
    await pier?.stop();
    await database?.drop();
  });

  it('shows the default hours and policies to readers; only an admin who manages the mailbox changes them', async () => {
    const res = await as.reader.get<MailboxOperationsSettings>(`/api/mailboxes/${mailboxes.sales}/operations-settings`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      businessHoursIsDefault: true,
      businessHours: {
        timeZone: 'Asia/Shanghai',
        holidayCalendar: { country: 'CN' },
        weekly: { mon: [{ start: '09:00', end: '18:00' }], sat: [] },
      },
    });
    expect(res.body.slaPolicies).toEqual(
      ['low', 'normal', 'high', 'urgent'].map((priority) => ({
        priority,
        firstReplyHours: 24,
        nextReplyHours: 24,
        resolutionHours: null,
        isDefault: true,
      })),
    );
    expect(res.body.calendarCoveredUntil).toBeGreaterThanOrEqual(2026);

    // Someone without access learns nothing about the mailbox's settings.
    const outsider = await as.outsider.get(`/api/mailboxes/${mailboxes.sales}/operations-settings`);
    expect(outsider.status).toBe(404);
    expect(JSON.stringify(outsider.body)).not.toMatch(/Asia\/Shanghai|timeZone|firstReply/);

    const hours = hoursClosingAfter(Date.now());
    for (const who of ['li', 'reader', 'outsider'] as const) {
      const denied = await as[who].put(`/api/mailboxes/${mailboxes.sales}/business-hours`, { businessHours: hours });
      expect(denied.status).toBe(403); // agents: refused on their role before any mailbox lookup
      expect(JSON.stringify(denied.body)).not.toMatch(/timeZone|weekly/);
      const policy = await as[who].put(`/api/mailboxes/${mailboxes.sales}/sla-policies`, {
        policies: [{ priority: 'normal', firstReplyHours: 1, nextReplyHours: null, resolutionHours: null }],
      });
      expect(policy.status).toBe(403);
      expect(JSON.stringify(policy.body)).not.toMatch(/firstReply/);
    }
    // Bad input: a clear 400.
    const unknownCalendar = await as.admin.put(`/api/mailboxes/${mailboxes.sales}/business-hours`, {
      businessHours: { ...hours, holidayCalendar: { country: 'XX' } },
    });
    expect(unknownCalendar).toMatchObject({
      status: 400,
      body: { error: { code: 'mailbox.holiday_calendar_unknown', message: 'no holiday calendar for XX' } },
    });
    const badZone = await as.admin.put(`/api/mailboxes/${mailboxes.sales}/business-hours`, {
      businessHours: { ...hours, timeZone: 'Mars/Olympus' },
    });
    expect(badZone.status).toBe(400);
    expect(JSON.stringify(badZone.body)).toContain('unknown IANA time zone');
    const zero = await as.admin.put(`/api/mailboxes/${mailboxes.sales}/sla-policies`, {
      policies: [{ priority: 'normal', firstReplyHours: 0, nextReplyHours: null, resolutionHours: null }],
    });
    expect(zero.status).toBe(400);
    expect(JSON.stringify(zero.body)).toContain('more than 0 working hours');
    const calendars = await as.li.get<{ countries: { code: string; regions: { code: string }[] }[] }>('/api/holiday-calendars');
    expect(calendars.body.countries.find((c) => c.code === 'DE')?.regions.map((r) => r.code)).toContain('BY');
  });

  it('a customer mail is due 24 working hours later, across the weekend and a holiday, and recomputed when the hours change', async () => {
    await smtp.sendMail({
      from: 'Maria <maria@lopez.es>',
      to: 'sales@acme.test',
      subject: 'RFQ LED panels',
      text: 'Please quote.',
      messageId: '<rfq-1@lopez.es>',
    });
    const first = await arrived('RFQ LED panels');
    const received = first.lastMessageAt;
    // Under the default hours (Shanghai office week) it is due somewhere in the future.
    await slaOf('RFQ LED panels', (s) => s?.phase === 'first_reply' && s.dueAt !== null, 'a first-reply due time');

    const saved = await as.admin.put<MailboxOperationsSettings>(`/api/mailboxes/${mailboxes.sales}/business-hours`, {
      businessHours: hoursClosingAfter(received),
    });
    expect(saved.status).toBe(200);
    expect(saved.body.businessHoursIsDefault).toBe(false);
    const due = await slaOf('RFQ LED panels', (s) => s?.dueAt === dueByHand(received, 24 * H), 'the due time under the new hours');
    expect(due.sla).toEqual({
      phase: 'first_reply',
      dueAt: dueByHand(received, 24 * H),
      warnAt: dueByHand(received, 0.8 * 24 * H),
      paused: false,
    });
    expect(due.sla?.dueAt).toBe(received + 4 * DAY);
    const audit = await as.admin.get<{ items: { action: string; mailboxId: string | null }[] }>(
      '/api/audit?action=mailbox.business_hours_changed',
    );
    expect(audit.body.items).toEqual([expect.objectContaining({ action: 'mailbox.business_hours_changed', mailboxId: mailboxes.sales })]);
  });

  it('an auto-reply is not the first reply: the clock keeps running', async () => {
    const { db } = pier.workspace;
    // A mailbox that can send (the bench's Postfix), with its auto-reply on.
    const auto = await addTestImapMailbox(pier.workspace, 'sla-auto@acme.test');
    await turnOnAutoReplyWithText(db, {
      mailboxId: auto.id,
      text: 'Thank you, we answer by {{expected_reply_time}}.',
      actorId: null,
      now: pier.clock.now() - 60_000,
    });
    await smtp.sendMail({
      from: 'Lee <lee@buyer.kr>',
      to: 'sla-auto@acme.test',
      subject: 'Catalogue please',
      text: 'Please send your catalogue.',
    });
    const conversation = await arrived('Catalogue please');
    const sent = await waitFor(
      async () =>
        db.selectFrom('outbox_messages').select(['automatic_kind']).where('conversation_id', '=', conversation.id).executeTakeFirst(),
      'the auto-reply in the outbox',
    );
    expect(sent.automatic_kind).toBe('auto-reply');
    await waitFor(
      async () => ((await row('Catalogue please'))?.fromAddress === 'sla-auto@acme.test' ? true : undefined),
      'the auto-reply in the conversation',
    );
    // The minute job looks at the conversation again, after the auto-reply: the first reply is still owed.
    // (An evaluation that changes nothing writes nothing, so the job's cursor, not the row, shows it ran.)
    const { updated_at: changedAt } = await db
      .selectFrom('conversations')
      .select('updated_at')
      .where('id', '=', conversation.id)
      .executeTakeFirstOrThrow();
    await advance(0);
    await waitFor(async () => {
      const [at, id] = (await readSetting(db, 'sla.cursor'))?.split('|') ?? ['0', ''];
      return Number(at) > Number(changedAt) || (Number(at) === Number(changedAt) && (id ?? '') >= conversation.id) ? true : undefined;
    }, 'the minute job past the auto-reply');
    const state = await db
      .selectFrom('conversation_sla')
      .select(['phase', 'due_at', 'started_at', 'first_reply_at'])
      .where('conversation_id', '=', conversation.id)
      .executeTakeFirstOrThrow();
    expect(state).toMatchObject({ phase: 'first_reply', started_at: conversation.lastMessageAt, first_reply_at: null });
    expect(Number(state.due_at)).toBeGreaterThan(conversation.lastMessageAt);
  });

  it('the clock pauses while the conversation waits on the customer', async () => {
    await as.admin.put(`/api/mailboxes/${mailboxes.support}/business-hours`, {
      businessHours: {
        ...hoursClosingAfter(Date.now()),
        weekly: Object.fromEntries(weekdayKeys.map((d) => [d, allDay])),
        extraDaysOff: [],
      },
    });
    await smtp.sendMail({ from: 'ken@buyer.jp', to: 'support@acme.test', subject: 'Broken sample', text: 'The sample arrived broken.' });
    const conversation = await arrived('Broken sample');
    const received = conversation.lastMessageAt;
    await slaOf('Broken sample', (s) => s?.dueAt === received + 24 * H, 'due 24 h later (open round the clock)');

    expect((await as.li.post(`/api/conversations/${conversation.id}/status`, { status: 'pending' })).status).toBe(200);
    const pausedAt = await advance(0);
    const paused = await slaOf('Broken sample', (s) => s?.paused === true, 'the clock paused');
    expect(paused.sla).toMatchObject({ phase: 'first_reply', dueAt: null, warnAt: null });

    await advance(10 * H); // ten hours waiting on the customer do not count
    expect((await as.li.post(`/api/conversations/${conversation.id}/status`, { status: 'open' })).status).toBe(200);
    const resumedAt = await advance(0);
    const resumed = await slaOf('Broken sample', (s) => s?.paused === false && s.dueAt !== null, 'the clock running again');
    // Due = received + 24 h + the paused stretch (paused and resumed by the minute job: each within a minute or two of real time).
    const pausedFor = (resumed.sla?.dueAt ?? 0) - (received + 24 * H);
    expect(pausedFor).toBeGreaterThanOrEqual(10 * H);
    expect(pausedFor).toBeLessThanOrEqual(resumedAt - pausedAt + 120_000);
  });

  it('warns the assignee and the team lead at 80 %, and a breach notifies them once', async () => {
    const rfq = await arrived('RFQ LED panels');
    // The conversation's team is led by the admin (ops-teams' lead): the lead hears of it too.
    const team = await createTeam(pier.workspace.db, { name: 'Sales team', memberIds: [users.li], leadId: users.admin });
    expect((await as.admin.post(`/api/conversations/${rfq.id}/assign`, { assigneeId: users.li, teamId: team.id })).status).toBe(200);
    const warnAt = rfq.sla?.warnAt ?? 0;
    const dueAt = rfq.sla?.dueAt ?? 0;
    expect(warnAt).toBe(dueByHand(rfq.lastMessageAt, 0.8 * 24 * H));

    await advance(warnAt - pier.clock.now());
    const warning = await waitFor(async () => (await notifications(as.li)).find((n) => n.kind === 'sla_warning'), 'the 80 % warning');
    expect(warning.data).toEqual({ conversationId: rfq.id, subject: 'RFQ LED panels', phase: 'first_reply', dueAt });
    expect((await notifications(as.li)).some((n) => n.kind === 'sla_breached')).toBe(false);

    await advance(dueAt - pier.clock.now());
    const breach = await waitFor(async () => (await notifications(as.li)).find((n) => n.kind === 'sla_breached'), 'the breach');
    expect(breach.data).toEqual({ conversationId: rfq.id, subject: 'RFQ LED panels', phase: 'first_reply', dueAt });
    // Once per clock: more minutes pass, no second notice.
    await advance(5 * 60_000);
    await advance(0);
    await waitFor(async () => ((await row('RFQ LED panels'))?.sla?.dueAt === dueAt ? true : undefined), 'the row still breached');
    const all = await notifications(as.li);
    expect(all.filter((n) => n.kind === 'sla_breached')).toHaveLength(1);
    expect(all.filter((n) => n.kind === 'sla_warning')).toHaveLength(1);
    const lead = await notifications(as.admin);
    expect(lead.filter((n) => n.kind === 'sla_breached').map((n) => n.data.conversationId)).toEqual([rfq.id]);
    expect(lead.filter((n) => n.kind === 'sla_warning').map((n) => n.data.conversationId)).toEqual([rfq.id]);
    // Nobody else hears about it.
    expect((await notifications(as.reader)).filter((n) => n.kind.startsWith('sla_'))).toEqual([]);
  });

  it('sorts by "due soonest", pages on, and a reply stops the clock', async () => {
    await smtp.sendMail({
      from: 'tom@late.test',
      to: 'sales@acme.test',
      subject: 'Second RFQ',
      text: 'Another quote please.',
      messageId: '<rfq-2@late.test>',
    });
    await smtp.sendMail({
      from: 'ann@done.test',
      to: 'sales@acme.test',
      subject: 'Answered',
      text: 'Question.',
      messageId: '<q-1@done.test>',
    });
    await slaOf('Answered', (s) => s?.dueAt != null, 'a due time for "Answered"');
    // The reply written in another mail program, seen by Pier (from the mailbox's own address).
    await smtp.sendMail({
      from: 'sales@acme.test',
      to: 'sales@acme.test',
      subject: 'Re: Answered',
      text: 'Here is the answer.',
      inReplyTo: '<q-1@done.test>',
      references: ['<q-1@done.test>'],
    });
    await slaOf('Answered', (s) => s === null, 'the reply stops the clock');
    await slaOf('Second RFQ', (s) => s?.dueAt != null, 'a due time for "Second RFQ"');

    const byDue = await list(as.li, 'sort=due');
    const subjects = byDue.items.map((c) => c.subject);
    expect(subjects).toEqual(['Broken sample', 'RFQ LED panels', 'Second RFQ', 'Answered']);
    const dues = byDue.items.map((c) => c.sla?.dueAt ?? null);
    expect(dues.slice(0, 3).every((d, i, a) => d !== null && (i === 0 || d >= (a[i - 1] as number)))).toBe(true);
    const page1 = await list(as.li, 'sort=due&limit=2');
    expect(page1.items.map((c) => c.subject)).toEqual(['Broken sample', 'RFQ LED panels']);
    const page2 = await list(as.li, `sort=due&limit=2&cursor=${page1.nextCursor}`);
    expect(page2.items.map((c) => c.subject)).toEqual(['Second RFQ', 'Answered']);
    // The outsider sees no conversation at all, due or not.
    const outsider = await as.outsider.get<ConversationList>('/api/conversations?sort=due');
    expect(outsider.status).toBe(200);
    expect(outsider.body.items).toEqual([]);
  });
});
