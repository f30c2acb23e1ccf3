import type { Team } from '@pier/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailbox } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD as password } from '../support/users.js';

/**
 * Settings → mailboxes (access) and → teams (decision 0034): admins change who may read, reply to
 * or manage a mailbox and a team's routing, each change audited; agents change none of it (even
 * with a manage grant), and an agent without a mailbox learns whom to ask, by name, and nothing else.
 */
describe.each(engines)('access and teams settings on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let admin: ApiClient;
  let agent: ApiClient;
  let newcomer: ApiClient;
  const ids = {} as Record<'boss' | 'li' | 'wang' | 'newbie' | 'sales', string>;
  let team: Team;
  let head = 0;

  async function appended() {
    const rows = await pier.workspace.db
      .selectFrom('audit_log')
      .select(['actor_id', 'action', 'mailbox_id', 'details'])
      .where('seq', '>', head)
      .orderBy('seq')
      .execute();
    head = Number((await pier.workspace.db.selectFrom('audit_chain').select('last_seq').executeTakeFirstOrThrow()).last_seq);
    return rows.map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
  }
  const signIn = async (email: string) => {
    const client = pier.api();
    expect((await client.post('/api/auth/login', { email, password })).status).toBe(200);
    return client;
  };

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database);
    admin = pier.api();
    expect((await admin.post('/api/setup', { email: 'boss@acme.test', name: '王老板', password })).status).toBe(201);
    const { db } = pier.workspace;
    ids.boss = (await db.selectFrom('users').select('id').executeTakeFirstOrThrow()).id;
    await createAccount(db, { email: 'second@acme.test', name: 'Anna Admin', password, role: 'admin' });
    ids.li = (await createAccount(db, { email: 'li@acme.test', name: '李伟', password, role: 'agent' })).id;
    ids.wang = (await createAccount(db, { email: 'wang@acme.test', name: '王芳', password, role: 'agent' })).id;
    ids.newbie = (await createAccount(db, { email: 'new@acme.test', name: 'Newbie', password, role: 'agent' })).id;
    ids.sales = (await createMailbox(db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' })).id;
    team = (await admin.post<Team>('/api/teams', { name: 'Export', memberIds: [ids.li, ids.wang] })).body;
    agent = await signIn('li@acme.test');
    newcomer = await signIn('new@acme.test');
    await appended();
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  it('admins grant, change and remove a person’s access, each audited', async () => {
    expect((await admin.request('PUT', `/api/mailboxes/${ids.sales}/access/${ids.li}`, { json: { access: 'manage' } })).status).toBe(204);
    expect((await admin.request('PUT', `/api/mailboxes/${ids.sales}/access/${ids.li}`, { json: { access: 'reply' } })).status).toBe(204);
    expect((await admin.get(`/api/mailboxes/${ids.sales}/access`)).body).toEqual({
      people: [{ userId: ids.li, name: '李伟', email: 'li@acme.test', role: 'agent', access: 'reply' }],
    });
    expect((await admin.request('DELETE', `/api/mailboxes/${ids.sales}/access/${ids.li}`)).status).toBe(204);
    expect(await admin.request('DELETE', `/api/mailboxes/${ids.sales}/access/${ids.li}`)).toMatchObject({
      status: 404,
      body: { error: { code: 'mailbox_access.not_found' } },
    });
    expect(await admin.request('PUT', `/api/mailboxes/${ids.sales}/access/${ids.li}`, { json: { access: 'owner' } })).toMatchObject({
      status: 400,
      body: { error: { code: 'request.invalid' } },
    });
    expect(
      (await appended()).map((r) => [r.action, r.actor_id, r.mailbox_id, r.details.previous ?? null, r.details.access ?? null]),
    ).toEqual([
      ['mailbox_access.granted', ids.boss, ids.sales, null, 'manage'],
      ['mailbox_access.granted', ids.boss, ids.sales, 'manage', 'reply'],
      ['mailbox_access.revoked', ids.boss, ids.sales, 'reply', null],
    ]);
  });

  it('adding a team grants each member, removing it takes each grant away', async () => {
    expect(await admin.post(`/api/mailboxes/${ids.sales}/access/teams`, { teamId: team.id, access: 'reply' })).toMatchObject({
      status: 200,
      body: { granted: 2 },
    });
    expect(
      (await admin.get<{ people: { userId: string }[] }>(`/api/mailboxes/${ids.sales}/access`)).body.people.map((p) => p.userId).sort(),
    ).toEqual([ids.li, ids.wang].sort());
    const granted = await appended();
    expect(granted.map((r) => [r.action, r.details.team])).toEqual([
      ['mailbox_access.granted', 'Export'],
      ['mailbox_access.granted', 'Export'],
    ]);
    expect(await admin.request('DELETE', `/api/mailboxes/${ids.sales}/access/teams/${team.id}`)).toMatchObject({
      status: 200,
      body: { revoked: 2 },
    });
    expect((await admin.get<{ people: unknown[] }>(`/api/mailboxes/${ids.sales}/access`)).body.people).toEqual([]);
    expect((await appended()).map((r) => r.action)).toEqual(['mailbox_access.revoked', 'mailbox_access.revoked']);
  });

  it('team lead, routing, cap, escalation and away are audited with before and after', async () => {
    const res = await admin.request<Team>('PATCH', `/api/teams/${team.id}`, {
      json: { leadId: ids.wang, routing: 'least_open', openCap: 5, escalateAfterHours: 8 },
    });
    expect(res.body).toMatchObject({ leadId: ids.wang, routing: 'least_open', openCap: 5, escalateAfterHours: 8 });
    expect(await admin.request('PATCH', `/api/teams/${team.id}`, { json: { routing: 'random' } })).toMatchObject({ status: 400 });
    expect(await admin.request('PATCH', `/api/teams/${team.id}`, { json: { leadId: 'nobody' } })).toMatchObject({
      status: 400,
      body: { error: { code: 'team.lead_invalid' } },
    });
    expect((await admin.request('PUT', `/api/teams/${team.id}/away`, { json: { userId: ids.li, away: true } })).status).toBe(200);
    expect((await admin.request('PUT', `/api/mailboxes/${ids.sales}/route`, { json: { teamId: team.id } })).status).toBe(204);
    expect((await appended()).map((r) => [r.action, r.details.before ?? null, r.details.after ?? null])).toEqual([
      ['team.lead_changed', null, 'wang@acme.test'],
      [
        'team.settings_changed',
        { routing: 'manual', openCap: null, escalateAfterHours: 4 },
        { routing: 'least_open', openCap: 5, escalateAfterHours: 8 },
      ],
      ['team.member_away', null, null],
      ['mailbox.routing_changed', null, 'Export'],
    ]);
    expect((await admin.get('/api/mailbox-routes')).body).toEqual({ items: [{ mailboxId: ids.sales, teamId: team.id }] });
    expect((await admin.request('PUT', `/api/mailboxes/${ids.sales}/route`, { json: { teamId: null } })).status).toBe(204);
    expect((await admin.get('/api/mailbox-routes')).body).toEqual({ items: [] });
    expect((await appended()).map((r) => [r.action, r.details.before, r.details.after])).toEqual([
      ['mailbox.routing_changed', 'Export', null],
    ]);
    expect((await admin.request('PUT', `/api/mailboxes/${ids.sales}/route`, { json: { teamId: team.id } })).status).toBe(204);
    await appended();
  });

  it('agents change no access, team or routing — even with a manage grant — and learn nothing from the refusals', async () => {
    expect((await admin.request('PUT', `/api/mailboxes/${ids.sales}/access/${ids.li}`, { json: { access: 'manage' } })).status).toBe(204);
    await appended();
    const attempts = [
      agent.request('GET', `/api/mailboxes/${ids.sales}/access`),
      agent.request('PUT', `/api/mailboxes/${ids.sales}/access/${ids.li}`, { json: { access: 'manage' } }),
      agent.request('PUT', `/api/mailboxes/${ids.sales}/access/${ids.newbie}`, { json: { access: 'read' } }),
      agent.request('DELETE', `/api/mailboxes/${ids.sales}/access/${ids.wang}`),
      agent.request('POST', `/api/mailboxes/${ids.sales}/access/teams`, { json: { teamId: team.id, access: 'reply' } }),
      agent.request('DELETE', `/api/mailboxes/${ids.sales}/access/teams/${team.id}`),
      agent.request('PUT', `/api/mailboxes/${ids.sales}/route`, { json: { teamId: null } }),
      agent.request('GET', '/api/mailbox-routes'),
      agent.request('POST', '/api/teams', { json: { name: 'Mine' } }),
      agent.request('PATCH', `/api/teams/${team.id}`, { json: { routing: 'manual', leadId: ids.li } }),
      agent.request('DELETE', `/api/teams/${team.id}`),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res).toMatchObject({ status: 403, body: { error: { code: 'auth.forbidden' } } });
      const text = JSON.stringify(res.body);
      for (const secret of ['wang@acme.test', 'li@acme.test', 'new@acme.test', 'Export', '王芳', 'least_open'])
        expect(text).not.toContain(secret);
    }
    expect(await appended()).toEqual([]);
    expect((await admin.get<{ people: { userId: string; access: string }[] }>(`/api/mailboxes/${ids.sales}/access`)).body.people).toEqual([
      expect.objectContaining({ userId: ids.li, access: 'manage' }),
    ]);
  });

  it('an agent without a mailbox sees none, and gets the names of the admins to ask, nothing else', async () => {
    expect((await newcomer.get('/api/mailboxes')).body).toEqual({ items: [] });
    const res = await newcomer.get('/api/access/whom-to-ask');
    expect(res).toMatchObject({ status: 200 });
    expect(res.body).toEqual({ names: ['Anna Admin', '王老板'].sort() });
    const text = JSON.stringify(res.body);
    for (const leak of ['@acme.test', 'admin"', 'super_admin', ids.boss]) expect(text).not.toContain(leak);
    // Signed out: nothing.
    expect(await pier.api().get('/api/access/whom-to-ask')).toMatchObject({ status: 401, body: { error: { code: 'auth.required' } } });
  });
});
