import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { startTestPier } from '../support/pier.js';

const password = 'a long enough password';

/** "Super admins: 1–2 people" as a policy a super admin sets, enforced with a message (issue 18). */
describe.each(engines)('the workspace limit on super admins on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let boss: ApiClient;
  let admin: ApiClient;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database, { PIER_LOGIN_RATE_LIMIT: '200' });
    const { db } = pier.workspace;
    ids.boss = (await createAccount(db, { email: 'boss@acme.test', name: 'Boss', password, role: 'super_admin' })).id;
    ids.admin = (await createAccount(db, { email: 'admin@acme.test', name: 'Admin', password, role: 'admin' })).id;
    ids.agent = (await createAccount(db, { email: 'agent@acme.test', name: 'Zhang', password, role: 'agent' })).id;
    boss = pier.api();
    admin = pier.api();
    expect((await boss.post('/api/auth/login', { email: 'boss@acme.test', password })).status).toBe(200);
    expect((await admin.post('/api/auth/login', { email: 'admin@acme.test', password })).status).toBe(200);
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  it('has no limit until one is set; only a super admin sets it, within 1–20, audited', async () => {
    expect((await admin.get('/api/security/super-admin-policy')).body).toEqual({ maxSuperAdmins: null });
    expect(await admin.put('/api/security/super-admin-policy', { maxSuperAdmins: 5 })).toMatchObject({ status: 403 });
    expect(await boss.put('/api/security/super-admin-policy', { maxSuperAdmins: 0 })).toMatchObject({
      status: 400,
      body: { error: { code: 'request.invalid' } },
    });
    expect(await boss.put('/api/security/super-admin-policy', { maxSuperAdmins: 2 })).toMatchObject({
      status: 200,
      body: { maxSuperAdmins: 2 },
    });
    const audit = await pier.workspace.db
      .selectFrom('audit_log')
      .select(['actor_id', 'details'])
      .where('action', '=', 'security.policy_changed')
      .execute();
    expect(audit.map((a) => ({ actor: a.actor_id, details: JSON.parse(a.details) }))).toEqual([
      { actor: ids.boss, details: expect.objectContaining({ maxSuperAdmins: 2, previous: { maxSuperAdmins: null } }) },
    ]);
  });

  it('lets the second super admin in, then refuses a third by invitation, role change or reactivation, with the limit in the message', async () => {
    const invited = await boss.post('/api/users/invitations', { email: 'second@acme.test', name: 'Second', role: 'super_admin' });
    expect(invited.status).toBe(201);

    const third = await boss.post('/api/users/invitations', { email: 'third@acme.test', name: 'Third', role: 'super_admin' });
    expect(third).toMatchObject({
      status: 409,
      body: { error: { code: 'user.super_admin_limit', details: { maxSuperAdmins: 2, current: 2 } } },
    });
    expect((third.body as { error: { message: string } }).error.message).toContain('allows 2 and has 2');
    // Refused before anything was made: no account for the address.
    const made = await pier.workspace.db.selectFrom('users').select('id').where('email', '=', 'third@acme.test').execute();
    expect(made).toEqual([]);

    const promoted = await boss.request('PATCH', `/api/users/${ids.agent}/role`, { json: { role: 'super_admin' } });
    expect(promoted).toMatchObject({ status: 409, body: { error: { code: 'user.super_admin_limit' } } });
    const agent = await pier.workspace.db
      .selectFrom('users')
      .select('role')
      .where('id', '=', ids.agent ?? '')
      .executeTakeFirstOrThrow();
    expect(agent.role).toBe('agent');
    // Other roles are not affected by the limit.
    expect((await boss.request('PATCH', `/api/users/${ids.agent}/role`, { json: { role: 'admin' } })).status).toBe(204);
    expect((await boss.post('/api/users/invitations', { email: 'agent2@acme.test', name: 'Agent', role: 'agent' })).status).toBe(201);
  });

  it('counts a deactivated super admin again when reactivated, and lets a freed seat be used', async () => {
    const second = await pier.workspace.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'second@acme.test')
      .executeTakeFirstOrThrow();
    await pier.workspace.db.updateTable('users').set({ status: 'active' }).where('id', '=', second.id).execute();
    expect((await boss.post(`/api/users/${second.id}/deactivate`, {})).status).toBe(200);
    expect((await boss.request('PATCH', `/api/users/${ids.agent}/role`, { json: { role: 'super_admin' } })).status).toBe(204);
    const reactivated = await boss.post(`/api/users/${second.id}/reactivate`);
    expect(reactivated).toMatchObject({ status: 409, body: { error: { code: 'user.super_admin_limit' } } });
    // Raising the limit lets it through.
    expect((await boss.put('/api/security/super-admin-policy', { maxSuperAdmins: 3 })).status).toBe(200);
    expect((await boss.post(`/api/users/${second.id}/reactivate`)).status).toBe(204);
    // Back to no limit: the users page warns above two again.
    expect((await boss.put('/api/security/super-admin-policy', { maxSuperAdmins: null })).status).toBe(200);
    expect((await boss.get('/api/users')).body).toMatchObject({ warnings: ['too_many_super_admins'] });
  });
});
