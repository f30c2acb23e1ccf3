import type { ConversationTriage } from '@pier/contracts';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantMailboxAccess } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { SESSION_CACHE_MS } from '../../src/modules/security/session-cache.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { openLiveSocket } from '../support/live-socket.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD as password } from '../support/users.js';

type SessionList = { items: { id: string; current: boolean; device: string | null; ip: string | null }[] };
type UserList = { items: { id: string; email: string; role: string; status: string; twoFactor: boolean }[]; warnings: string[] };

describe.each(engines)('sessions and the account lifecycle on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let boss: ApiClient;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database, { PIER_LOGIN_RATE_LIMIT: '200' });
    const { db } = pier.workspace;
    ids.boss = (await createAccount(db, { email: 'boss@acme.test', name: 'Boss', password, role: 'super_admin' })).id;
    ids.admin = (await createAccount(db, { email: 'admin@acme.test', name: 'Admin', password, role: 'admin' })).id;
    ids.agent = (await createAccount(db, { email: 'agent@acme.test', name: 'Zhang', password, role: 'agent' })).id;
    boss = pier.api();
    expect((await boss.post('/api/auth/login', { email: 'boss@acme.test', password })).status).toBe(200);
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  it('lists your sessions and revokes one: that browser is signed out at once', async () => {
    const laptop = pier.api();
    const phone = pier.api();
    await laptop.post('/api/auth/login', { email: 'agent@acme.test', password });
    await phone.post('/api/auth/login', { email: 'agent@acme.test', password });
    const list = (await laptop.get<SessionList>('/api/me/sessions')).body.items;
    expect(list).toHaveLength(2);
    expect(list.filter((s) => s.current)).toHaveLength(1);
    expect(list[0]).toMatchObject({ ip: '127.0.0.1' });
    const other = list.find((s) => !s.current);
    expect((await laptop.request('DELETE', `/api/me/sessions/${other?.id}`)).status).toBe(204);
    expect((await phone.get('/api/session')).status).toBe(401);
    expect((await laptop.get('/api/session')).status).toBe(200);
    // Another user's session id is not yours to revoke.
    const bossSession = (await boss.get<SessionList>('/api/me/sessions')).body.items[0];
    expect(await laptop.request('DELETE', `/api/me/sessions/${bossSession?.id}`)).toMatchObject({
      status: 404,
      body: { error: { code: 'session.not_found' } },
    });
    expect((await boss.get('/api/session')).status).toBe(200);
  });

  it('lets an admin see and revoke anyone’s sessions, and only an admin', async () => {
    const agent = pier.api();
    await agent.post('/api/auth/login', { email: 'agent@acme.test', password });
    expect((await agent.get(`/api/users/${ids.boss}/sessions`)).status).toBe(403);
    const theirs = (await boss.get<SessionList>(`/api/users/${ids.agent}/sessions`)).body.items;
    expect(theirs.length).toBeGreaterThan(0);
    expect((await boss.request('DELETE', `/api/users/${ids.agent}/sessions`)).body).toEqual({ revoked: theirs.length });
    expect((await agent.get('/api/session')).status).toBe(401);
  });

  it('ends sessions after the configured idle time', async () => {
    const agent = pier.api();
    await agent.post('/api/auth/login', { email: 'agent@acme.test', password });
    // Three days and a minute without a request (the default PIER_SESSION_IDLE_MINUTES).
    await pier.workspace.db
      .updateTable('sessions')
      .set({ last_seen_at: Date.now() - (3 * 24 * 60 + 1) * 60_000 })
      .where('user_id', '=', ids.agent ?? '')
      .execute();
    // The guard keeps a resolved session for SESSION_CACHE_MS (a real idle session is never in that cache);
    // this edit bypasses Pier, so it shows once the cached lookup has lapsed: move Pier's clock past it.
    pier.clock.advance(SESSION_CACHE_MS);
    expect((await agent.get('/api/session')).status).toBe(401);
  });

  it('invites by link: a common password is refused, the link works once, the new user enrols', async () => {
    const invite = await boss.post<{ link: string; emailed: boolean; expiresAt: number }>('/api/users/invitations', {
      email: 'new.hire@acme.test',
      name: 'New Hire',
      role: 'agent',
    });
    expect(invite).toMatchObject({ status: 201, body: { emailed: false } });
    expect(invite.body.expiresAt - Date.now()).toBeGreaterThan(6 * 24 * 3_600_000);
    const token = new URL(invite.body.link).hash.replace('#token=', '');
    expect(new URL(invite.body.link).pathname).toBe('/invitation');
    const stored = await pier.workspace.db.selectFrom('account_tokens').select('id').execute();
    expect(stored.map((t) => t.id)).not.toContain(token);

    const invited = pier.api();
    // Until the link is used the account has no password anyone knows.
    expect(await invited.post('/api/auth/login', { email: 'new.hire@acme.test', password })).toMatchObject({ status: 401 });
    expect(await invited.post('/api/auth/invitation/accept', { token, password: 'password1234' })).toMatchObject({
      status: 400,
      body: { error: { code: 'auth.weak_password' } },
    });
    const accepted = await invited.post('/api/auth/invitation/accept', { token, password: 'my own long password' });
    expect(accepted).toMatchObject({ status: 200, body: { user: { email: 'new.hire@acme.test' }, secondFactor: 'done' } });
    expect(await pier.api().post('/api/auth/invitation/accept', { token, password: 'another long password' })).toMatchObject({
      status: 400,
      body: { error: { code: 'auth.link_invalid' } },
    });
    const users = (await boss.get<UserList>('/api/users')).body.items;
    expect(users.find((u) => u.email === 'new.hire@acme.test')).toMatchObject({ status: 'active', twoFactor: true, role: 'agent' });
    // Only a super admin may invite a super admin.
    const admin = pier.api();
    await admin.post('/api/auth/login', { email: 'admin@acme.test', password });
    expect((await admin.post('/api/users/invitations', { email: 'x@acme.test', name: 'X', role: 'super_admin' })).status).toBe(403);
  });

  it('resets a password by an admin’s link: old password and sessions are gone', async () => {
    const agent = pier.api();
    await agent.post('/api/auth/login', { email: 'agent@acme.test', password });
    const reset = await boss.post<{ link: string }>(`/api/users/${ids.agent}/password-reset`);
    expect(reset.status).toBe(201);
    const token = new URL(reset.body.link).hash.replace('#token=', '');
    expect((await pier.api().post('/api/auth/password-reset/complete', { token, password: 'the new agent password' })).status).toBe(204);
    expect((await agent.get('/api/session')).status).toBe(401);
    expect((await pier.api().post('/api/auth/login', { email: 'agent@acme.test', password })).status).toBe(401);
    expect((await pier.api().post('/api/auth/login', { email: 'agent@acme.test', password: 'the new agent password' })).status).toBe(200);
  });

  it('answers a self-service reset the same for known and unknown emails, and sends nothing without a system mailbox', async () => {
    const before = await pier.workspace.db.selectFrom('account_tokens').select('id').execute();
    const known = await pier.api().post('/api/auth/password-reset', { email: 'admin@acme.test' });
    const unknown = await pier.api().post('/api/auth/password-reset', { email: 'ghost@acme.test' });
    expect(known).toMatchObject({ status: 202, body: { accepted: true } });
    expect(unknown).toMatchObject({ status: 202, body: { accepted: true } });
    expect(await pier.workspace.db.selectFrom('account_tokens').select('id').execute()).toHaveLength(before.length);
  });

  it('deactivates a user: sessions end, open conversations go back to the queue, history stays', async () => {
    const { db } = pier.workspace;
    await boss.post('/api/mailboxes', { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' });
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort ?? 0, secure: false, ignoreTLS: true });
    await smtp.sendMail({ from: 'buyer@customer.test', to: 'sales@acme.test', subject: 'RFQ one', text: 'Please quote.' });
    await smtp.sendMail({ from: 'buyer@customer.test', to: 'sales@acme.test', subject: 'RFQ two', text: 'Please quote.' });
    smtp.close();
    await db
      .updateTable('conversations')
      .set({ assignee_id: ids.agent ?? null })
      .execute();
    await db.updateTable('conversations').set({ status: 'closed' }).where('subject', '=', 'RFQ two').execute();
    const agent = pier.api();
    await agent.post('/api/auth/login', { email: 'agent@acme.test', password: 'the new agent password' });

    expect((await agent.post(`/api/users/${ids.admin}/deactivate`)).status).toBe(403);
    expect((await boss.post(`/api/users/${ids.agent}/deactivate`)).body).toEqual({ unassigned: 1, reassigned: 0, customers: 0 });
    expect((await agent.get('/api/session')).status).toBe(401);
    expect(await pier.api().post('/api/auth/login', { email: 'agent@acme.test', password: 'the new agent password' })).toMatchObject({
      status: 403,
      body: { error: { code: 'auth.user_disabled' } },
    });
    const assignees = await db.selectFrom('conversations').select(['subject', 'assignee_id']).orderBy('subject').execute();
    expect(assignees).toEqual([
      { subject: 'RFQ one', assignee_id: null },
      { subject: 'RFQ two', assignee_id: ids.agent },
    ]);
    expect((await boss.get<UserList>('/api/users')).body.items.find((u) => u.id === ids.agent)).toMatchObject({ status: 'disabled' });
    expect((await boss.post(`/api/users/${ids.agent}/reactivate`)).status).toBe(204);
    expect((await pier.api().post('/api/auth/login', { email: 'agent@acme.test', password: 'the new agent password' })).status).toBe(200);
  });

  it('hands a deactivated user’s open conversations to the colleague or team the admin chose, after showing the count', async () => {
    const { db } = pier.workspace;
    const colleague = await createAccount(db, { email: 'li@acme.test', name: 'Li', password, role: 'agent' });
    const auditor = await createAccount(db, { email: 'audit@acme.test', name: 'Audit', password, role: 'auditor' });
    const sales = await db.selectFrom('mailboxes').select('id').where('address', '=', 'sales@acme.test').executeTakeFirstOrThrow();
    await db.insertInto('mailbox_access').values({ user_id: colleague.id, mailbox_id: sales.id, access: 'reply' }).execute();
    // A conversation in a mailbox Li may not reply in: it cannot go to her.
    await boss.post('/api/mailboxes', { address: 'finance@acme.test', displayName: 'Finance', purpose: 'accounting' });
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort ?? 0, secure: false, ignoreTLS: true });
    await smtp.sendMail({ from: 'bank@customer.test', to: 'finance@acme.test', subject: 'RFQ three', text: 'Statement.' });
    smtp.close();
    const team = await boss.post<{ id: string }>('/api/teams', { name: 'Export', memberIds: [colleague.id] });
    const assignAll = async () => {
      await db
        .updateTable('conversations')
        .set({ assignee_id: ids.agent ?? null })
        .execute();
      await db.updateTable('conversations').set({ team_id: team.body.id }).where('subject', '=', 'RFQ one').execute();
    };
    await assignAll();

    // First the count, by team: RFQ one (team Export) and RFQ three (no team); RFQ two is closed.
    expect((await boss.get(`/api/users/${ids.agent}/open-conversations`)).body).toEqual({
      open: 2,
      teams: [{ teamId: team.body.id, name: 'Export', count: 1 }],
      withoutTeam: 1,
      customers: 0,
    });
    expect((await boss.get('/api/users/nobody/open-conversations')).status).toBe(404);
    // Not to an auditor, not to the user leaving, not to a team that does not exist; nothing changes.
    for (const [reassignTo, status] of [
      [{ userId: auditor.id }, 400],
      [{ userId: ids.agent }, 400],
      [{ teamId: 'no-such-team' }, 404],
      [{ userId: ids.boss, teamId: team.body.id }, 400],
    ] as const) {
      expect((await boss.post(`/api/users/${ids.agent}/deactivate`, { reassignTo })).status).toBe(status);
    }
    expect((await boss.get<UserList>('/api/users')).body.items.find((u) => u.id === ids.agent)).toMatchObject({ status: 'active' });

    expect((await boss.post(`/api/users/${ids.agent}/deactivate`, { reassignTo: { userId: colleague.id } })).body).toEqual({
      reassigned: 1,
      customers: 0,
      unassigned: 1,
    });
    expect(await db.selectFrom('conversations').select(['subject', 'assignee_id', 'team_id']).orderBy('subject').execute()).toEqual([
      { subject: 'RFQ one', assignee_id: colleague.id, team_id: team.body.id },
      { subject: 'RFQ three', assignee_id: null, team_id: null },
      { subject: 'RFQ two', assignee_id: ids.agent, team_id: null },
    ]);
    const record = await db
      .selectFrom('audit_log')
      .select(['actor_id', 'target_id', 'details'])
      .where('action', '=', 'user.deactivated')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(record).toMatchObject({ actor_id: ids.boss, target_id: ids.agent });
    expect(JSON.parse(record.details)).toMatchObject({
      open: 2,
      reassigned: 1,
      unassigned: 1,
      to: { userId: colleague.id, user: 'li@acme.test' },
    });

    // To a team: every open one goes to the team's queue, unassigned.
    expect((await boss.post(`/api/users/${ids.agent}/reactivate`)).status).toBe(204);
    await assignAll();
    expect((await boss.post(`/api/users/${ids.agent}/deactivate`, { reassignTo: { teamId: team.body.id } })).body).toEqual({
      reassigned: 2,
      customers: 0,
      unassigned: 0,
    });
    expect(
      await db
        .selectFrom('conversations')
        .select(['subject', 'assignee_id', 'team_id'])
        .where('status', '!=', 'closed')
        .orderBy('subject')
        .execute(),
    ).toEqual([
      { subject: 'RFQ one', assignee_id: null, team_id: team.body.id },
      { subject: 'RFQ three', assignee_id: null, team_id: team.body.id },
    ]);
    expect((await boss.post(`/api/users/${ids.agent}/reactivate`)).status).toBe(204);
  });

  it('hands conversations over through triage: each change is on the timeline and open browsers are told', async () => {
    const { db } = pier.workspace;
    const sales = await db.selectFrom('mailboxes').select('id').where('address', '=', 'sales@acme.test').executeTakeFirstOrThrow();
    const wang = await createAccount(db, { email: 'wang@acme.test', name: 'Wang', password, role: 'agent' });
    const li = await db.selectFrom('users').select(['id', 'name']).where('email', '=', 'li@acme.test').executeTakeFirstOrThrow();
    await grantMailboxAccess(db, wang.id, sales.id, 'reply');
    const rfq = await db.selectFrom('conversations').select('id').where('subject', '=', 'RFQ one').executeTakeFirstOrThrow();
    const events = async () =>
      (await boss.get<ConversationTriage>(`/api/conversations/${rfq.id}/triage`)).body.timeline.filter((t) => t.kind === 'event');
    const socket = await openLiveSocket(pier.url, boss);
    try {
      // To nobody: unassigned, by the admin who deactivated, and pushed to the admin's open browser.
      expect((await boss.post(`/api/conversations/${rfq.id}/assign`, { assigneeId: wang.id })).status).toBe(200);
      const before = (await events()).length;
      socket.messages.length = 0;
      expect((await boss.post(`/api/users/${wang.id}/deactivate`)).body).toEqual({ unassigned: 1, reassigned: 0, customers: 0 });
      expect((await events()).slice(before)).toMatchObject([
        { type: 'unassigned', actor: { id: ids.boss, name: 'Boss' }, data: { previous: { id: wang.id, name: 'Wang' } } },
      ]);
      expect(await socket.waitFor((m) => m.type === 'conversation.changed' && m.conversationId === rfq.id)).toMatchObject({
        mailboxIds: [sales.id],
      });

      // To a colleague: assigned to them, the same way.
      expect((await boss.post(`/api/users/${wang.id}/reactivate`)).status).toBe(204);
      expect((await boss.post(`/api/conversations/${rfq.id}/assign`, { assigneeId: wang.id })).status).toBe(200);
      const middle = (await events()).length;
      socket.messages.length = 0;
      expect((await boss.post(`/api/users/${wang.id}/deactivate`, { reassignTo: { userId: li.id } })).body).toEqual({
        unassigned: 0,
        reassigned: 1,
        customers: 0,
      });
      expect((await events()).slice(middle)).toMatchObject([
        { type: 'assigned', actor: { id: ids.boss }, data: { assignee: { id: li.id, name: li.name } } },
      ]);
      await socket.waitFor((m) => m.type === 'conversation.changed' && m.conversationId === rfq.id);
      expect((await boss.get<ConversationTriage>(`/api/conversations/${rfq.id}/triage`)).body.state).toMatchObject({
        assignee: { id: li.id },
      });
    } finally {
      await socket.close();
    }
  });

  it('keeps at least one super admin and warns when there are more than two', async () => {
    expect(await boss.request('PATCH', `/api/users/${ids.boss}/role`, { json: { role: 'admin' } })).toMatchObject({
      status: 409,
      body: { error: { code: 'user.last_super_admin' } },
    });
    const admin = pier.api();
    await admin.post('/api/auth/login', { email: 'admin@acme.test', password });
    expect((await admin.request('PATCH', `/api/users/${ids.agent}/role`, { json: { role: 'super_admin' } })).status).toBe(403);
    expect((await boss.get<UserList>('/api/users')).body.warnings).toEqual([]);
    expect((await boss.request('PATCH', `/api/users/${ids.admin}/role`, { json: { role: 'super_admin' } })).status).toBe(204);
    expect((await boss.request('PATCH', `/api/users/${ids.agent}/role`, { json: { role: 'super_admin' } })).status).toBe(204);
    expect((await boss.get<UserList>('/api/users')).body.warnings).toEqual(['too_many_super_admins']);
    expect((await boss.request('PATCH', `/api/users/${ids.boss}/role`, { json: { role: 'admin' } })).status).toBe(204);
  });
});
