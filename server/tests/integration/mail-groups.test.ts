import type { Team } from '@pier/contracts';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { listConversations } from '../../src/modules/conversations/index.js';
import { businessHoursOfMailbox } from '../../src/modules/mailbox-settings/index.js';
import { createMailbox } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { assignConversation, escalateUnassigned, routeNewConversation, viewCounts } from '../../src/modules/triage/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD as password } from '../support/users.js';
import { waitFor } from '../support/wait.js';

type Agent = 'a' | 'b' | 'c';

/**
 * Mail groups (decision 0034): a mailbox routes new conversations to a team, which hands them out
 * round-robin or to the least busy, skipping away members and agents at the cap; concurrent
 * routings of one team serialise on the team row; a conversation left unassigned too long (in the
 * mailbox's working hours, on the movable clock) is escalated to the lead.
 */
describe.each(engines)('mail groups on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let admin: ApiClient;
  let smtp: ReturnType<typeof nodemailer.createTransport>;
  const agents = {} as Record<Agent, string>;
  let ring: string[] = [];
  let lead: string;
  let sales: string;
  let info: string;
  let team: Team;
  let sent = 0;

  const db = () => pier.workspace.db;
  /** Sends one customer mail to `to` and waits until routing decided about its conversation. */
  async function mail(to: string, subject = `Inquiry ${++sent}`) {
    await smtp.sendMail({ from: `buyer${sent}@customer.test`, to, subject, text: 'Please quote.' });
    const conversation = await waitFor(
      () => db().selectFrom('conversations').select('id').where('subject', '=', subject).executeTakeFirst(),
      `conversation ${subject}`,
    );
    return conversation.id;
  }
  async function routedTo(conversationId: string) {
    const row = await waitFor(
      () => db().selectFrom('conversation_routing').selectAll().where('conversation_id', '=', conversationId).executeTakeFirst(),
      'routing',
    );
    const c = await db()
      .selectFrom('conversations')
      .select(['assignee_id', 'team_id'])
      .where('id', '=', conversationId)
      .executeTakeFirstOrThrow();
    expect(c.assignee_id).toBe(row.assignee_id);
    expect(c.team_id).toBe(team.id);
    return row.assignee_id;
  }
  const patchTeam = async (body: Record<string, unknown>) => {
    const res = await admin.request<Team>('PATCH', `/api/teams/${team.id}`, { json: body });
    expect(res.status).toBe(200);
    team = res.body;
  };
  async function closeAll() {
    const open = await db().selectFrom('conversations').select('id').where('status', '=', 'open').execute();
    for (const { id } of open) expect((await admin.post(`/api/conversations/${id}/status`, { status: 'closed' })).status).toBe(200);
  }

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database);
    admin = pier.api();
    expect((await admin.post('/api/setup', { email: 'boss@acme.test', name: 'Boss', password })).status).toBe(201);
    for (const who of ['a', 'b', 'c'] as const) {
      agents[who] = (
        await createAccount(db(), { email: `${who}@acme.test`, name: `Agent ${who.toUpperCase()}`, password, role: 'agent' })
      ).id;
    }
    ring = Object.values(agents).sort();
    lead = (await createAccount(db(), { email: 'lead@acme.test', name: 'Lead Liu', password, role: 'agent' })).id;
    sales = (await createMailbox(db(), { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' })).id;
    info = (await createMailbox(db(), { address: 'info@acme.test', displayName: 'Info', purpose: 'inquiry' })).id;
    for (const id of [...ring, lead]) {
      for (const mailbox of [sales, info]) {
        expect((await admin.request('PUT', `/api/mailboxes/${mailbox}/access/${id}`, { json: { access: 'reply' } })).status).toBe(204);
      }
    }
    const made = await admin.post<Team>('/api/teams', { name: 'Sales EU', memberIds: ring, routing: 'round_robin', leadId: lead });
    expect(made.status).toBe(201);
    team = made.body;
    expect(team).toMatchObject({ routing: 'round_robin', leadId: lead, openCap: null, escalateAfterHours: 4, awayIds: [] });
    expect((await admin.request('PUT', `/api/mailboxes/${sales}/route`, { json: { teamId: team.id } })).status).toBe(204);
    smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort ?? 0, secure: false, ignoreTLS: true });
  });
  afterAll(async () => {
    smtp?.close();
    await pier?.stop();
    await database?.drop();
  });

  it('round-robin hands new conversations out in ring order, wrapping round; the timeline says routing did it', async () => {
    const got = [];
    for (let i = 0; i < 4; i++) got.push(await routedTo(await mail('sales@acme.test')));
    expect(got).toEqual([ring[0], ring[1], ring[2], ring[0]]);
    const last = (
      await db().selectFrom('conversation_routing').select('conversation_id').orderBy('routed_at', 'desc').executeTakeFirstOrThrow()
    ).conversation_id;
    const events = await db()
      .selectFrom('conversation_events')
      .select(['type', 'actor_id', 'data'])
      .where('conversation_id', '=', last)
      .execute();
    expect(events.map((e) => [e.type, e.actor_id, JSON.parse(e.data).via])).toEqual(
      expect.arrayContaining([
        ['assigned', null, 'routing'],
        ['team', null, 'routing'],
      ]),
    );
    const note = await db()
      .selectFrom('notifications')
      .select(['kind', 'data'])
      .where('user_id', '=', ring[0] as string)
      .execute();
    expect(note.filter((n) => n.kind === 'assigned')).toHaveLength(2);
  });

  it('skips a member marked away, who may mark themselves back', async () => {
    // The cursor is at ring[0]; ring[1] is away, so ring[2], then ring[0].
    expect((await admin.request('PUT', `/api/teams/${team.id}/away`, { json: { userId: ring[1], away: true } })).body).toMatchObject({
      awayIds: [ring[1]],
    });
    expect(await routedTo(await mail('sales@acme.test'))).toBe(ring[2]);
    expect(await routedTo(await mail('sales@acme.test'))).toBe(ring[0]);
    const self = pier.api();
    const email = `${Object.entries(agents).find(([, id]) => id === ring[1])?.[0]}@acme.test`;
    expect((await self.post('/api/auth/login', { email, password })).status).toBe(200);
    expect((await self.request('PUT', `/api/teams/${team.id}/away`, { json: { userId: ring[1], away: false } })).body).toMatchObject({
      awayIds: [],
    });
    // …but not someone else.
    const other = await self.request('PUT', `/api/teams/${team.id}/away`, { json: { userId: ring[2], away: true } });
    expect(other).toMatchObject({ status: 403, body: { error: { code: 'auth.forbidden' } } });
    expect(JSON.stringify(other.body)).not.toContain('awayIds');
    expect(await routedTo(await mail('sales@acme.test'))).toBe(ring[1]);
  });

  it('least-open gives the conversation to whoever has the fewest open', async () => {
    await closeAll();
    await patchTeam({ routing: 'least_open' });
    // ring[0] two open, ring[1] one, ring[2] none.
    const first = await mail('info@acme.test');
    const second = await mail('info@acme.test');
    const third = await mail('info@acme.test');
    for (const [id, who] of [
      [first, ring[0]],
      [second, ring[0]],
      [third, ring[1]],
    ] as const) {
      expect((await admin.post(`/api/conversations/${id}/assign`, { assigneeId: who })).status).toBe(200);
    }
    expect(await routedTo(await mail('sales@acme.test'))).toBe(ring[2]);
    // Now ring[1] and ring[2] have one each: the tie goes to the first after the cursor (ring[2]), i.e. ring[0]? No: ring[0] has two.
    expect(await routedTo(await mail('sales@acme.test'))).toBe(ring[1]);
  });

  it('an agent at the cap is skipped; when everyone is at the cap it stays in the team pool', async () => {
    await closeAll();
    await patchTeam({ routing: 'round_robin', openCap: 1 });
    const got = [];
    for (let i = 0; i < 4; i++) got.push(await routedTo(await mail('sales@acme.test')));
    expect(new Set(got.slice(0, 3))).toEqual(new Set(ring));
    expect(got[3]).toBeNull();
    await patchTeam({ openCap: null });
  });

  it('two conversations routed at the same moment (two nodes) go to two agents, in ring order', async () => {
    await closeAll();
    // Two conversations in info@, which routes nowhere yet; then info@ routes to the team and both are routed at once.
    const one = await mail('info@acme.test');
    const two = await mail('info@acme.test');
    expect((await admin.request('PUT', `/api/mailboxes/${info}/route`, { json: { teamId: team.id } })).status).toBe(204);
    const cursor = (await db().selectFrom('teams').select('rr_cursor').where('id', '=', team.id).executeTakeFirstOrThrow()).rr_cursor;
    const start = ring.findIndex((id) => id > (cursor ?? ''));
    const expected = [ring[(start + ring.length) % ring.length], ring[(start + 1 + ring.length) % ring.length]];
    // PostgreSQL: a second connection pool, as a second node would have. SQLite: one process, one connection.
    const other = engine === 'postgres' ? openDatabase({ databaseUrl: database.databaseUrl, dataDir: database.dataDir }) : undefined;
    try {
      const now = pier.clock.now();
      const outcomes = await Promise.all([
        routeNewConversation(db(), { conversationId: one, mailboxId: info }, now),
        routeNewConversation(other?.db ?? db(), { conversationId: two, mailboxId: info }, now),
      ]);
      const assignees = outcomes.map((o) => o?.assigneeId);
      expect(new Set(assignees)).toEqual(new Set(expected));
      expect((await db().selectFrom('teams').select('rr_cursor').where('id', '=', team.id).executeTakeFirstOrThrow()).rr_cursor).toBe(
        expected[1],
      );
      // Routed once: a repeated delivery of the event changes nothing.
      expect(await routeNewConversation(db(), { conversationId: one, mailboxId: info }, now)).toBeNull();
    } finally {
      await other?.close();
    }
  });

  it('escalates a conversation left unassigned past the working hours to the lead, once; the view lists it until someone takes it', async () => {
    await closeAll();
    await patchTeam({ routing: 'manual', escalateAfterHours: 2 });
    const id = await mail('sales@acme.test', 'Waiting in the pool');
    expect(await routedTo(id)).toBeNull();
    const escalatedIds = async () =>
      (
        await listConversations(db(), { mailboxIds: [sales], userId: lead, limit: 50, view: 'escalated', engine: database.engine })
      ).items.map((c) => c.id);
    expect(await escalatedIds()).toEqual([]);
    // Fifteen days on: whatever the weekday and holidays, more than two working hours of Mon–Fri 09:00–18:00 (the default).
    // (The API is not used past this point: sessions expire on the same clock.)
    pier.clock.advance(15 * 24 * 60 * 60_000);
    const note = await waitFor(
      () =>
        db()
          .selectFrom('notifications')
          .select(['kind', 'data'])
          .where('user_id', '=', lead)
          .where('kind', '=', 'unassigned_too_long')
          .executeTakeFirst(),
      'the lead’s notification',
      30_000,
    );
    expect(JSON.parse(note.data)).toMatchObject({ conversationId: id, subject: 'Waiting in the pool', team: 'Sales EU', hours: 2 });
    expect(await escalatedIds()).toEqual([id]);
    expect((await viewCounts(db(), { mailboxIds: [sales], userId: lead })).views.escalated).toBe(1);
    const events = await db().selectFrom('conversation_events').select('type').where('conversation_id', '=', id).execute();
    expect(events.filter((e) => e.type === 'escalated')).toHaveLength(1);
    // Taken: it leaves the view; the next scan does not escalate it again.
    const scope = { kind: 'all' as const, level: 'manage' as const };
    await assignConversation(db(), { id: lead, name: 'Lead Liu', scope }, id, { assigneeId: lead });
    expect(await escalatedIds()).toEqual([]);
    expect(await escalateUnassigned(db(), pier.clock.now(), (m) => businessHoursOfMailbox(db(), m))).toBe(0);
    const notes = await db()
      .selectFrom('notifications')
      .select('id')
      .where('user_id', '=', lead)
      .where('kind', '=', 'unassigned_too_long')
      .execute();
    expect(notes).toHaveLength(1);
  });

  it('does not escalate before the working hours have passed', async () => {
    const id = await mail('sales@acme.test', 'Fresh in the pool');
    expect(await routedTo(id)).toBeNull();
    const mondayMorning = {
      timeZone: 'Asia/Shanghai',
      weekly: { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
      holidayCalendar: null,
      extraDaysOff: [],
      extraWorkingDays: [],
      shiftedWorkdayHoursAs: 'mon' as const,
    };
    // A mailbox never open: no working time passes, however long it waits.
    expect(await escalateUnassigned(db(), pier.clock.now() + 30 * 24 * 60 * 60_000, async () => mondayMorning)).toBe(0);
  });
});
