import type { ConversationSummary, ConversationTriage, Rule, RulePreview, SaveRule } from '@pier/contracts';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { saveBusinessHours } from '../../src/modules/mailbox-settings/index.js';
import { createMailbox, grantMailboxAccess } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD as password } from '../support/users.js';
import { waitFor } from '../support/wait.js';

type Who = 'admin' | 'manager' | 'li' | 'outsider' | 'auditor';
const HOUR = 60 * 60_000;

describe.each(engines)('rules on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  const users: Record<Who, string> = {} as never;
  const as: Record<Who, ApiClient> = {} as never;
  const mailboxes: Record<'sales' | 'accounting', string> = {} as never;
  let smtp: ReturnType<typeof nodemailer.createTransport>;

  const rule = (over: Partial<SaveRule>): SaveRule => ({
    name: 'rule',
    mailboxId: mailboxes.sales,
    trigger: 'message',
    conditions: [],
    actions: [{ type: 'tag', tag: 'x' }],
    ...over,
  });
  const create = async (client: ApiClient, body: SaveRule) => client.post<Rule>('/api/rules', body);
  const conversationOf = (subject: string) =>
    waitFor(async () => {
      const items = (await as.admin.get<{ items: ConversationSummary[] }>('/api/conversations')).body.items;
      return items.find((c) => c.subject === subject)?.id;
    }, `conversation "${subject}"`);
  const triage = async (id: string) => (await as.admin.get<ConversationTriage>(`/api/conversations/${id}/triage`)).body;
  const ruleEvents = async (id: string) =>
    (await triage(id)).timeline.flatMap((i) => (i.kind === 'event' && i.data.rule ? [{ type: i.type, data: i.data }] : []));
  /** Runs of a rule on a conversation; positive evidence that its job ran, before asserting what did not happen. */
  const runsOf = async (ruleId: string, conversationId: string) =>
    pier.workspace.db
      .selectFrom('rule_runs')
      .selectAll()
      .where('rule_id', '=', ruleId)
      .where('conversation_id', '=', conversationId)
      .execute();
  const rulesJobsDone = () =>
    waitFor(async () => {
      const left = await pier.workspace.db
        .selectFrom('jobs')
        .select('id')
        .where('name', 'in', ['rules.apply', 'event:message.received', 'mail-facts.classify', 'event:message.classified'])
        .where('state', '=', 'queued')
        .executeTakeFirst();
      return left ? undefined : true;
    }, 'the rules jobs');

  /** The worker enqueued the schedule job of the clock's current 5-minute slot, and it ran. */
  const scheduleRan = () =>
    waitFor(async () => {
      const { db } = pier.workspace;
      const slot = String(Math.floor(pier.clock.now() / (5 * 60_000))).padStart(16, '0');
      const recorded = await db.selectFrom('settings').select('value').where('key', '=', 'schedule:rules.schedule').executeTakeFirst();
      const queued = await db.selectFrom('jobs').select('id').where('name', '=', 'rules.schedule').executeTakeFirst();
      return recorded?.value === slot && !queued ? true : undefined;
    }, 'the schedule run of this slot');

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database);
    const { db } = pier.workspace;
    users.admin = (await createAccount(db, { email: 'boss@acme.test', name: 'Boss', password, role: 'admin' })).id;
    users.manager = (await createAccount(db, { email: 'mgr@acme.test', name: 'Manager', password, role: 'agent' })).id;
    users.li = (await createAccount(db, { email: 'li.wei@acme.test', name: 'Li Wei', password, role: 'agent' })).id;
    users.outsider = (await createAccount(db, { email: 'acc@acme.test', name: 'Accountant', password, role: 'agent' })).id;
    users.auditor = (await createAccount(db, { email: 'audit@acme.test', name: 'Audit', password, role: 'auditor' })).id;
    mailboxes.sales = (await createMailbox(db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' })).id;
    mailboxes.accounting = (
      await createMailbox(db, { address: 'accounting@acme.test', displayName: 'Accounting', purpose: 'accounting' })
    ).id;
    // Sales works around the clock, so "N working hours" is N hours whatever time the test runs at
    // (working time itself: schedule.test.ts and business-hours' tests).
    const allDay = [{ start: '00:00', end: '24:00' }];
    await saveBusinessHours(
      db,
      mailboxes.sales,
      {
        timeZone: 'UTC',
        weekly: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
        holidayCalendar: null,
        extraDaysOff: [],
        extraWorkingDays: [],
        shiftedWorkdayHoursAs: 'mon',
      },
      null,
      Date.now(),
    );
    await grantMailboxAccess(db, users.manager, mailboxes.sales, 'manage');
    await grantMailboxAccess(db, users.li, mailboxes.sales, 'reply');
    await grantMailboxAccess(db, users.outsider, mailboxes.accounting, 'manage');
    await grantMailboxAccess(db, users.auditor, mailboxes.sales, 'read');
    for (const [who, email] of [
      ['admin', 'boss@acme.test'],
      ['manager', 'mgr@acme.test'],
      ['li', 'li.wei@acme.test'],
      ['outsider', 'acc@acme.test'],
      ['auditor', 'audit@acme.test'],
    ] as const) {
      as[who] = pier.api();
      expect((await as[who].post('/api/auth/login', { email, password })).status).toBe(200);
    }
    smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort ?? 0, secure: false, ignoreTLS: true });
    // History for the preview, before any rule exists: rules never act on it.
    await smtp.sendMail({ from: 'hans@kunde.de', to: 'sales@acme.test', subject: 'Anfrage LED Panel', text: 'Bitte Angebot.' });
    await smtp.sendMail({
      from: 'news@shop.test',
      to: 'sales@acme.test',
      subject: 'Weekly deals',
      text: 'Deals',
      headers: { 'List-Id': '<deals.shop.test>', Precedence: 'bulk' },
    });
    await smtp.sendMail({ from: 'bank@customer.test', to: 'accounting@acme.test', subject: 'Secret invoice LED', text: 'Payment.' });
    await conversationOf('Secret invoice LED');
    await conversationOf('Weekly deals');
    await conversationOf('Anfrage LED Panel');
    await rulesJobsDone();
  });
  afterAll(async () => {
    smtp?.close();
    await pier?.stop();
    await database?.drop();
  });

  it('only admins and mailbox managers edit rules; nothing of another mailbox leaks', async () => {
    // An agent with reply access: not a manager of sales, so the mailbox is "not found".
    const byAgent = await create(as.li, rule({ name: 'agent rule' }));
    expect(byAgent).toMatchObject({ status: 404, body: { error: { code: 'mailbox.not_found' } } });
    expect(await create(as.li, rule({ name: 'agent global', mailboxId: null }))).toMatchObject({
      status: 403,
      body: { error: { code: 'rule.forbidden' } },
    });
    expect((await create(as.auditor, rule({ name: 'auditor rule' }))).status).toBe(403);
    // A manager of sales writes sales rules, not global ones nor accounting's.
    const salesRule = await create(as.manager, rule({ name: 'Sales manager rule', enabled: false }));
    expect(salesRule.status).toBe(201);
    expect(salesRule.body).toMatchObject({ name: 'Sales manager rule', mailboxId: mailboxes.sales, editable: true, enabled: false });
    expect((await create(as.manager, rule({ name: 'global by manager', mailboxId: null }))).status).toBe(403);
    expect((await create(as.manager, rule({ name: 'acc by manager', mailboxId: mailboxes.accounting }))).status).toBe(404);
    const accRule = await create(as.outsider, rule({ name: 'Accounting secret rule', mailboxId: mailboxes.accounting, enabled: false }));
    expect(accRule.status).toBe(201);

    // Lists: each sees their mailboxes' rules; agents without a managed mailbox see none.
    const seen = async (who: Who) => (await as[who].get<{ items: Rule[] }>('/api/rules')).body;
    expect(JSON.stringify(await seen('manager'))).not.toContain('Accounting secret rule');
    expect(JSON.stringify(await seen('outsider'))).not.toContain('Sales manager rule');
    expect(await seen('li')).toEqual({ items: [] });
    expect((await as.auditor.get('/api/rules')).status).toBe(403);
    const adminSees = (await seen('admin')).items.map((r) => r.name);
    expect(adminSees).toEqual(expect.arrayContaining(['Sales manager rule', 'Accounting secret rule']));

    // Changing another mailbox's rule: not found, and the rule is unchanged.
    const hijack = await as.manager.put<Rule>(`/api/rules/${accRule.body.id}`, rule({ name: 'hijacked', mailboxId: mailboxes.sales }));
    expect(hijack).toMatchObject({ status: 404, body: { error: { code: 'rule.not_found' } } });
    expect(JSON.stringify(hijack.body)).not.toContain('Accounting secret rule');
    expect((await as.manager.request('DELETE', `/api/rules/${accRule.body.id}`)).status).toBe(404);
    expect((await seen('outsider')).items.find((r) => r.id === accRule.body.id)?.name).toBe('Accounting secret rule');

    // Previews read mail: another mailbox's preview is "not found" and names none of its mail.
    const preview = await as.outsider.post('/api/rules/preview', { mailboxId: mailboxes.sales, rule: rule({}) });
    expect(preview.status).toBe(404);
    expect(JSON.stringify(preview.body)).not.toMatch(/Anfrage|Weekly|kunde/);
    const liPreview = await as.li.post('/api/rules/preview', { mailboxId: mailboxes.sales, rule: rule({}) });
    expect(liPreview.status).toBe(404);
    expect(JSON.stringify(liPreview.body)).not.toMatch(/Anfrage|Weekly/);

    // Bad input: a clear 400.
    const badRegex = await create(as.admin, rule({ conditions: [{ field: 'subject', op: 'regex', values: ['(a)\\1'] }] }));
    expect(badRegex).toMatchObject({ status: 400, body: { error: { code: 'rule.regex_invalid' } } });
    expect((badRegex.body as unknown as { error: { message: string } }).error.message).toContain(
      'invalid regex "(a)\\\\1": error parsing regexp: invalid escape sequence',
    );
    expect((await create(as.admin, rule({ trigger: 'schedule' }))).status).toBe(400);

    for (const id of [salesRule.body.id, accRule.body.id]) expect((await as.admin.request('DELETE', `/api/rules/${id}`)).status).toBe(204);
  });

  it('previews the mailbox’s last mails without storing anything', async () => {
    const before = await pier.workspace.db.selectFrom('rules').select('id').execute();
    const res = await as.manager.post<RulePreview>('/api/rules/preview', {
      mailboxId: mailboxes.sales,
      rule: rule({ match: 'any', conditions: [{ field: 'subject', op: 'words', values: ['led'] }] }),
    });
    expect(res.status).toBe(200);
    // Only sales's mail: the accounting mail with "LED" is not among them.
    expect(res.body.checked).toBe(2);
    expect(res.body.items.map((i) => [i.subject, i.matched]).sort()).toEqual([
      ['Anfrage LED Panel', true],
      ['Weekly deals', false],
    ]);
    const bulk = await as.admin.post<RulePreview>('/api/rules/preview', {
      mailboxId: mailboxes.sales,
      rule: rule({
        conditions: [
          { field: 'category', values: ['bulk'] },
          { field: 'country', values: ['DE'] },
        ],
        match: 'any',
      }),
    });
    expect(
      bulk.body.items
        .filter((i) => i.matched)
        .map((i) => i.subject)
        .sort(),
    ).toEqual(['Anfrage LED Panel', 'Weekly deals']);
    expect(await pier.workspace.db.selectFrom('rules').select('id').execute()).toEqual(before);
  });

  it('runs rules in order, each acting once per conversation, and the timeline names the rule', async () => {
    const high = await create(
      as.admin,
      rule({
        name: 'High for LED',
        conditions: [{ field: 'subject', op: 'words', values: ['led'] }],
        actions: [
          { type: 'priority', priority: 'high' },
          { type: 'tag', tag: 'led' },
        ],
      }),
    );
    const urgent = await create(
      as.manager,
      rule({
        name: 'Urgent for LED',
        conditions: [{ field: 'subject', op: 'words', values: ['led'] }],
        actions: [{ type: 'priority', priority: 'urgent' }],
      }),
    );
    const every = await create(
      as.admin,
      rule({ name: 'Tell Li every time', mailboxId: null, repeat: true, actions: [{ type: 'notify', userIds: [users.li] }] }),
    );
    expect([high.status, urgent.status, every.status]).toEqual([201, 201, 201]);

    await smtp.sendMail({
      from: 'maria@lopez.es',
      to: 'sales@acme.test',
      subject: 'RFQ LED tubes',
      text: 'Quote please.',
      messageId: '<rfq-led@lopez.es>',
    });
    const id = await conversationOf('RFQ LED tubes');
    await waitFor(async () => ((await runsOf(urgent.body.id, id)).length > 0 ? true : undefined), 'the second rule');
    // Order: high, then urgent (the later rule wins), each event naming its rule.
    expect((await triage(id)).state.priority).toBe('urgent');
    const events = await ruleEvents(id);
    expect(events.filter((e) => e.type === 'priority').map((e) => [(e.data.rule as { name: string }).name, e.data.to])).toEqual([
      ['High for LED', 'high'],
      ['Urgent for LED', 'urgent'],
    ]);
    expect(events).toContainEqual({ type: 'tagged', data: { tag: 'led', rule: { id: high.body.id, name: 'High for LED' } } });

    // A person lowers the priority; the customer's next mail does not make the rules act again.
    expect((await as.li.post(`/api/conversations/${id}/priority`, { priority: 'low' })).status).toBe(200);
    await smtp.sendMail({
      from: 'maria@lopez.es',
      to: 'sales@acme.test',
      subject: 'Re: RFQ LED tubes',
      text: 'Any news?',
      inReplyTo: '<rfq-led@lopez.es>',
      references: ['<rfq-led@lopez.es>'],
    });
    await waitFor(async () => ((await runsOf(every.body.id, id)).length === 2 ? true : undefined), 'the repeating rule on the second mail');
    await rulesJobsDone();
    expect((await triage(id)).state.priority).toBe('low');
    expect(await runsOf(high.body.id, id)).toHaveLength(1);
    // The repeating rule told Li about both mails.
    const notified = (await as.li.get<{ items: { kind: string; data: { conversationId: string } }[] }>('/api/notifications')).body.items;
    expect(notified.filter((n) => n.kind === 'rule' && n.data.conversationId === id)).toHaveLength(2);

    // Reordered (urgent first), a new conversation ends at high.
    const order = (await as.admin.get<{ items: Rule[] }>('/api/rules')).body.items.map((r) => r.id);
    const reordered = [urgent.body.id, ...order.filter((r) => r !== urgent.body.id)];
    const moved = await as.admin.post<{ items: Rule[] }>('/api/rules/reorder', { ids: reordered });
    expect(moved.body.items.map((r) => r.id)).toEqual(reordered);
    await smtp.sendMail({ from: 'ana@lopez.es', to: 'sales@acme.test', subject: 'LED strips', text: 'Price?' });
    const second = await conversationOf('LED strips');
    await waitFor(async () => ((await runsOf(high.body.id, second)).length > 0 ? true : undefined), 'the rules on the new conversation');
    expect((await triage(second)).state.priority).toBe('high');

    // A manager cannot move a global rule; disabling stops a rule.
    expect((await as.manager.post('/api/rules/reorder', { ids: [every.body.id] })).status).toBe(403);
    for (const r of [high, urgent, every]) {
      expect((await as.admin.put(`/api/rules/${r.body.id}/enabled`, { enabled: false })).status).toBe(200);
    }
  });

  it('a schedule rule acts on a conversation unanswered for N working hours, as the clock moves', async () => {
    const overdue = await create(
      as.admin,
      rule({
        name: 'Unanswered 2h',
        trigger: 'schedule',
        afterWorkingHours: 2,
        actions: [
          { type: 'tag', tag: 'overdue' },
          { type: 'assign', assigneeId: users.li, teamId: null },
        ],
      }),
    );
    expect(overdue.status).toBe(201);
    await smtp.sendMail({ from: 'wang@kehu.cn', to: 'sales@acme.test', subject: '询价 钨钢刀', text: '请报价。' });
    const id = await conversationOf('询价 钨钢刀');
    await rulesJobsDone();
    pier.clock.advance(HOUR);
    // The worker's schedule ran at the moved time (its slot recorded, its job done); not yet two hours: nothing.
    await scheduleRan();
    expect(await runsOf(overdue.body.id, id)).toHaveLength(0);
    pier.clock.advance(2 * HOUR);
    await waitFor(async () => ((await runsOf(overdue.body.id, id)).length > 0 ? true : undefined), 'the schedule rule', 30_000);
    const state = (await triage(id)).state;
    expect(state.tags).toContain('overdue');
    expect(state.assignee).toEqual({ id: users.li, name: 'Li Wei' });
    expect(await ruleEvents(id)).toContainEqual({
      type: 'assigned',
      data: { assignee: { id: users.li, name: 'Li Wei' }, rule: { id: overdue.body.id, name: 'Unanswered 2h' } },
    });
    // Once per conversation: later runs leave it alone.
    pier.clock.advance(6 * HOUR);
    await scheduleRan();
    expect(await runsOf(overdue.body.id, id)).toHaveLength(1);
  });
});
