import type { StoredReportDto } from '@pier/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportText, verifyAuditChain } from '../../src/modules/audit/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { startTestPier } from '../support/pier.js';

const admin = { email: 'boss@acme.test', name: 'Boss', password: 'correct horse battery staple' };

/**
 * Teams are made, renamed, re-staffed and deleted through the API by admins only; every change is a
 * hash-chained audit record naming the actor, the team, the member and before/after, and the
 * quarterly report lists them, translated, on the page data and in every export.
 */
describe.each(engines)('team changes are audited and reported on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let api: ApiClient;
  const ids = {} as Record<'boss' | 'li' | 'wang' | 'team', string>;
  let head = 0;

  async function appended() {
    const rows = await pier.workspace.db
      .selectFrom('audit_log')
      .select(['actor_id', 'action', 'target_type', 'target_id', 'details'])
      .where('seq', '>', head)
      .where('action', 'like', 'team.%')
      .orderBy('seq')
      .execute();
    head = Number((await pier.workspace.db.selectFrom('audit_chain').select('last_seq').executeTakeFirstOrThrow()).last_seq);
    return rows.map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));
  }

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database);
    api = pier.api();
    expect((await api.post('/api/setup', admin)).status).toBe(201);
    const { db } = pier.workspace;
    ids.boss = (await db.selectFrom('users').select('id').where('email', '=', admin.email).executeTakeFirstOrThrow()).id;
    ids.li = (await createAccount(db, { email: 'li@acme.test', name: '李伟', password: 'agent password 1', role: 'agent' })).id;
    ids.wang = (await createAccount(db, { email: 'wang@acme.test', name: '王芳', password: 'agent password 2', role: 'agent' })).id;
    await appended();
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  it('records the creation with its members, one record per member', async () => {
    const made = await api.post<{ id: string }>('/api/teams', { name: 'Export EU', memberIds: [ids.li] });
    expect(made.status).toBe(201);
    ids.team = made.body.id;
    const rows = await appended();
    expect(rows).toEqual([
      expect.objectContaining({
        action: 'team.created',
        actor_id: ids.boss,
        target_type: 'team',
        target_id: ids.team,
        details: expect.objectContaining({ name: 'Export EU', members: ['li@acme.test'], via: 'api' }),
      }),
      expect.objectContaining({
        action: 'team.member_added',
        target_id: ids.team,
        details: expect.objectContaining({ team: 'Export EU', memberId: ids.li, member: 'li@acme.test' }),
      }),
    ]);
  });

  it('records a rename with before and after, and membership changes member by member', async () => {
    const renamed = await api.request('PATCH', `/api/teams/${ids.team}`, { json: { name: 'Export Europe' } });
    expect(renamed).toMatchObject({ status: 200, body: { name: 'Export Europe', memberIds: [ids.li] } });
    expect(await appended()).toEqual([
      expect.objectContaining({
        action: 'team.renamed',
        actor_id: ids.boss,
        details: expect.objectContaining({ before: 'Export EU', after: 'Export Europe' }),
      }),
    ]);
    const staffed = await api.request('PATCH', `/api/teams/${ids.team}`, { json: { memberIds: [ids.wang] } });
    expect(staffed).toMatchObject({ status: 200, body: { memberIds: [ids.wang] } });
    expect((await appended()).map((r) => [r.action, r.details.member, r.details.team])).toEqual([
      ['team.member_added', 'wang@acme.test', 'Export Europe'],
      ['team.member_removed', 'li@acme.test', 'Export Europe'],
    ]);
    // The same list again changes nothing and records nothing.
    expect((await api.request('PATCH', `/api/teams/${ids.team}`, { json: { name: 'Export Europe', memberIds: [ids.wang] } })).status).toBe(
      200,
    );
    expect(await appended()).toEqual([]);
    // Unknown members, empty bodies, taken names, unknown teams.
    expect(await api.request('PATCH', `/api/teams/${ids.team}`, { json: { memberIds: ['nobody'] } })).toMatchObject({ status: 400 });
    expect(await api.request('PATCH', `/api/teams/${ids.team}`, { json: {} })).toMatchObject({
      status: 400,
      body: { error: { code: 'request.invalid' } },
    });
    await api.post('/api/teams', { name: 'Asia', memberIds: [] });
    await appended();
    expect(await api.request('PATCH', `/api/teams/${ids.team}`, { json: { name: 'Asia' } })).toMatchObject({
      status: 409,
      body: { error: { code: 'team.name_taken' } },
    });
    expect(await api.request('PATCH', '/api/teams/no-such-team', { json: { name: 'X' } })).toMatchObject({
      status: 404,
      body: { error: { code: 'team.not_found' } },
    });
    expect(await appended()).toEqual([]);
  });

  it('refuses agents', async () => {
    const agent = pier.api();
    expect((await agent.post('/api/auth/login', { email: 'li@acme.test', password: 'agent password 1' })).status).toBe(200);
    expect((await agent.request('PATCH', `/api/teams/${ids.team}`, { json: { name: 'Mine' } })).status).toBe(403);
    expect((await agent.request('DELETE', `/api/teams/${ids.team}`)).status).toBe(403);
  });

  it('records a deletion with the members it had, keeps the chain intact', async () => {
    expect(await api.request('DELETE', `/api/teams/${ids.team}`)).toMatchObject({ status: 200, body: { conversations: 0 } });
    expect(await appended()).toEqual([
      expect.objectContaining({
        action: 'team.deleted',
        actor_id: ids.boss,
        target_id: ids.team,
        details: expect.objectContaining({ name: 'Export Europe', members: ['wang@acme.test'], conversations: 0 }),
      }),
    ]);
    expect((await api.get<{ items: { id: string }[] }>('/api/teams')).body.items.map((t) => t.id)).not.toContain(ids.team);
    expect((await verifyAuditChain(pier.workspace.db)).ok).toBe(true);
  });

  it('lists every team change in the quarterly report, named and translated in the exports', async () => {
    const res = await api.post<StoredReportDto>('/api/audit/reports', {});
    expect(res.status).toBe(201);
    const changes = res.body.report.accessChanges.available ? res.body.report.accessChanges.items : [];
    const team = changes.filter((c) => c.action.startsWith('team.'));
    expect(team.map((c) => [c.action, c.target])).toEqual([
      ['team.created', 'Export EU'],
      ['team.member_added', 'Export EU'],
      ['team.renamed', 'Export Europe'],
      ['team.member_added', 'Export Europe'],
      ['team.member_removed', 'Export Europe'],
      ['team.created', 'Asia'],
      ['team.deleted', 'Export Europe'],
    ]);
    expect(team.every((c) => c.actor === 'Boss <boss@acme.test>')).toBe(true);

    const text = reportText(res.body);
    expect(text).toContain('团队改名 / Team renamed · Export Europe · Export EU → Export Europe · Boss <boss@acme.test>');
    expect(text).toContain('移出团队 / Removed from a team · Export Europe · Export Europe: li@acme.test');
    expect(text).toContain('删除团队 / Team deleted · Export Europe · Export Europe: wang@acme.test · 会话 / conversations 0');

    const csv = await fetch(new URL(`/api/audit/reports/${res.body.id}/export?format=csv`, pier.url), {
      headers: { cookie: [...api.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    expect(csv.status).toBe(200);
    const body = await csv.text();
    expect(body).toContain('成员与权限变更 / Membership and permission changes,');
    expect(body).toContain(',加入团队 / Added to a team,Export Europe,Export Europe: wang@acme.test,Boss <boss@acme.test>');
    const pdf = await fetch(new URL(`/api/audit/reports/${res.body.id}/export?format=pdf`, pier.url), {
      headers: { cookie: [...api.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    expect(pdf.status).toBe(200);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
  });
});
