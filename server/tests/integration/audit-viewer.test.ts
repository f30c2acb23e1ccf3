import type { AuditPage } from '@pier/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../../src/modules/audit/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { startTestPier } from '../support/pier.js';
import { ageStepUp } from '../support/step-up.js';
import { nextCode } from '../support/two-factor.js';

const admin = { email: 'li.wei@acme.test', name: 'Li Wei', password: 'correct horse battery staple' };

describe.each(engines)('the audit viewer API on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let adminApi: ReturnType<Awaited<ReturnType<typeof startTestPier>>['api']>;
  let adminId: string;
  let mailboxId: string;

  const signIn = async (email: string, password: string) => {
    const api = pier.api();
    expect((await api.post('/api/auth/login', { email, password })).status).toBe(200);
    return api;
  };

  /** Makes the session's last password + code check 11 minutes old, like someone who signed in this morning. */
  const staleStepUp = async (email: string) => {
    const user = await pier.workspace.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    await ageStepUp(pier.workspace.db, user.id);
  };

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database, { PIER_LOGIN_RATE_LIMIT: '50' });
    adminApi = pier.api();
    adminId = (await adminApi.post<{ user: { id: string } }>('/api/setup', admin)).body.user.id;
    mailboxId = (
      await adminApi.post<{ id: string }>('/api/mailboxes', { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' })
    ).body.id;
    await createAccount(pier.workspace.db, { email: 'agent@acme.test', name: 'Agent', password: 'agent password 1', role: 'agent' });
    await createAccount(pier.workspace.db, { email: 'audit@acme.test', name: 'Auditor', password: 'auditor password 1', role: 'auditor' });
    for (let i = 0; i < 7; i++) {
      await recordAudit(pier.workspace.db, {
        actorId: adminId,
        action: 'test.bulk',
        targetType: 'thing',
        targetId: `t${i}`,
        details: { i, note: i === 3 ? '=HYPERLINK("http://evil.test")' : `第${i}条` },
      });
    }
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  it('lets admins and auditors read, and refuses agents', async () => {
    expect((await adminApi.get('/api/audit')).status).toBe(200);
    const auditor = await signIn('audit@acme.test', 'auditor password 1');
    expect((await auditor.get('/api/audit')).status).toBe(200);
    expect((await auditor.get('/api/audit/verify')).body).toMatchObject({ ok: true });
    const agent = await signIn('agent@acme.test', 'agent password 1');
    for (const path of ['/api/audit', '/api/audit.csv', '/api/audit/verify']) {
      expect(await agent.get(path)).toMatchObject({ status: 403, body: { error: { code: 'auth.forbidden' } } });
    }
    expect((await pier.api().get('/api/audit')).status).toBe(401);
  });

  it('filters by actor, action (exact or family), mailbox, target and time, newest first', async () => {
    const byAction = await adminApi.get<AuditPage>('/api/audit?action=test.bulk&limit=200');
    expect(byAction.body.items.map((r) => r.targetId)).toEqual(['t6', 't5', 't4', 't3', 't2', 't1', 't0']);
    expect(byAction.body.items[0]).toMatchObject({ actor: { id: adminId, email: admin.email, name: 'Li Wei' }, details: { i: 6 } });
    const family = await adminApi.get<AuditPage>('/api/audit?action=mailbox.');
    expect(family.body.items.map((r) => r.action)).toEqual(['mailbox.created']);
    const byMailbox = await adminApi.get<AuditPage>(`/api/audit?mailboxId=${mailboxId}`);
    expect(byMailbox.body.items).toEqual([expect.objectContaining({ action: 'mailbox.created', mailboxAddress: 'sales@acme.test' })]);
    expect((await adminApi.get<AuditPage>(`/api/audit?actorId=${adminId}&targetId=t2`)).body.items).toHaveLength(1);
    expect((await adminApi.get<AuditPage>('/api/audit?targetType=nothing')).body.items).toHaveLength(0);
    const t3 = byAction.body.items[3]?.createdAt ?? 0;
    const window = await adminApi.get<AuditPage>(`/api/audit?action=test.bulk&from=${t3}&to=${Date.now() + 1}`);
    expect(window.body.items.every((r) => r.createdAt >= t3)).toBe(true);
    expect((await adminApi.get<AuditPage>(`/api/audit?to=1`)).body.items).toHaveLength(0);
    expect((await adminApi.get('/api/audit?limit=0')).status).toBe(400);
    expect((await adminApi.get('/api/audit?action=DROP%20TABLE')).status).toBe(400);
  });

  it('pages with a cursor without repeating or skipping records', async () => {
    const seen: string[] = [];
    let before: number | null = null;
    do {
      const query: string = `/api/audit?action=test.bulk&limit=3${before ? `&before=${before}` : ''}`;
      const page: AuditPage = (await adminApi.get<AuditPage>(query)).body;
      seen.push(...page.items.map((r) => r.targetId ?? ''));
      before = page.nextBefore;
    } while (before !== null);
    expect(seen).toEqual(['t6', 't5', 't4', 't3', 't2', 't1', 't0']);
  });

  it('refuses the CSV export without a fresh step-up, and serves it after one', async () => {
    const cookie = () => [...adminApi.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    await staleStepUp(admin.email);
    const refused = await fetch(new URL('/api/audit.csv', pier.url), { headers: { cookie: cookie() } });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'auth.step_up_required' } });
    expect((await adminApi.post('/api/auth/step-up', { password: admin.password, code: nextCode(pier.url, admin.email) })).status).toBe(
      204,
    );
    const served = await fetch(new URL('/api/audit.csv', pier.url), { headers: { cookie: cookie() } });
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toContain('text/csv');
    await served.arrayBuffer();
  });

  it('exports CSV (BOM, Chinese intact, formulas neutralised) and records the export', async () => {
    const res = await fetch(new URL('/api/audit.csv?action=test.bulk', pier.url), {
      headers: { cookie: [...adminApi.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="pier-audit-\d{4}-\d{2}-\d{2}\.csv"/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('seq,time_utc,actor_email,actor_id,action,target_type,target_id,mailbox,ip,details,hash');
    expect(lines).toHaveLength(8);
    expect(text).toContain('第6条');
    expect(text).not.toMatch(/,=HYPERLINK/);
    const exported = await adminApi.get<AuditPage>('/api/audit?action=audit.exported');
    expect(exported.body.items[0]).toMatchObject({
      actorId: adminId,
      targetType: 'audit_log',
      details: { format: 'csv', records: 7, filters: { action: 'test.bulk' } },
    });
  });
});
