import type { ForwardingAudit, StoredReportDto } from '@pier/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailbox } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD as password } from '../support/users.js';

/**
 * Issue 18: providers without ManageSieve (Tencent Exmail, Alibaba Mail). The forwarding audit
 * does not try to connect; an admin records checking the provider's console by hand; the check
 * ("checked on … by …") is audited and appears on the forwarding page and in the quarterly report.
 */
describe.each(engines)('forwarding checked by hand on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let admin: ApiClient;
  let agent: ApiClient;
  let exmail = '';
  let dovecot = '';

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database, { PIER_LOGIN_RATE_LIMIT: '100' });
    const { db } = pier.workspace;
    admin = pier.api();
    expect(
      (await admin.post('/api/setup', { email: 'boss@acme.test', name: 'Boss Wang', password: 'correct horse battery staple' })).status,
    ).toBe(201);
    exmail = (await createMailbox(db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' })).id;
    dovecot = (await createMailbox(db, { address: 'info@acme.test', displayName: 'Info', purpose: 'inquiry' })).id;
    // One at Tencent Exmail (no ManageSieve), one at a server with one (closed port: nothing answers).
    await db
      .updateTable('mailboxes')
      .set({ preset: 'exmail', imap_host: 'imap.exmail.qq.com', imap_port: 993 })
      .where('id', '=', exmail)
      .execute();
    await db.updateTable('mailboxes').set({ preset: 'other', imap_host: '127.0.0.1', imap_port: 1 }).where('id', '=', dovecot).execute();
    await createAccount(db, { email: 'agent@acme.test', name: 'Agent', password, role: 'agent' });
    agent = pier.api();
    expect((await agent.post('/api/auth/login', { email: 'agent@acme.test', password })).status).toBe(200);
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  const entryOf = (audit: ForwardingAudit, id: string) => audit.sieve.find((s) => s.mailboxId === id);

  it('marks the Exmail mailbox as checked by hand, and the scan does not connect to it', async () => {
    const audit = (await admin.get<ForwardingAudit>('/api/forwarding')).body;
    expect(entryOf(audit, exmail)).toMatchObject({ manualOnly: true, preset: 'exmail', manualCheck: null });
    expect(entryOf(audit, dovecot)).toMatchObject({ manualOnly: false });
    const scanned = (await admin.post<ForwardingAudit>('/api/forwarding/scan')).body;
    expect(entryOf(scanned, exmail)).toMatchObject({ status: 'unsupported', lastError: expect.stringContaining('by hand') });
  });

  it('records a check by an admin, audited; an agent can neither record nor read it', async () => {
    const refused = await agent.post(`/api/forwarding/sieve/${exmail}/manual-check`, { forwardingFound: false, note: 'x' });
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).not.toContain('sales@acme.test');
    const bad = await admin.post<{ error: { code: string } }>(`/api/forwarding/sieve/${exmail}/manual-check`, { forwardingFound: 'no' });
    expect(bad.status).toBe(400);
    const unknown = await admin.post<{ error: { code: string } }>('/api/forwarding/sieve/nope/manual-check', { forwardingFound: false });
    expect(unknown.status).toBe(404);

    const saved = await admin.post<ForwardingAudit>(`/api/forwarding/sieve/${exmail}/manual-check`, {
      forwardingFound: true,
      note: '收信规则 forwards to li.private@qq.com',
    });
    expect(saved.status).toBe(200);
    expect(entryOf(saved.body, exmail)?.manualCheck).toMatchObject({
      checkedBy: 'Boss Wang',
      forwardingFound: true,
      note: '收信规则 forwards to li.private@qq.com',
      checkedAt: expect.any(Number),
    });
    const audit = await pier.workspace.db
      .selectFrom('audit_log')
      .select(['action', 'mailbox_id', 'details'])
      .where('action', '=', 'forwarding.manual_check_recorded')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ mailbox_id: exmail });
    expect(JSON.parse(audit[0]?.details ?? '{}')).toMatchObject({ forwardingFound: true, mailbox: 'sales@acme.test' });
    // The later check is the one shown.
    await admin.post(`/api/forwarding/sieve/${exmail}/manual-check`, { forwardingFound: false, note: 'rule removed' });
    expect(entryOf((await admin.get<ForwardingAudit>('/api/forwarding')).body, exmail)?.manualCheck).toMatchObject({
      forwardingFound: false,
      note: 'rule removed',
    });
  });

  it('lists the last check, who made it and what was found, in the quarterly report', async () => {
    const res = await admin.post<StoredReportDto>('/api/audit/reports', {});
    expect(res.status).toBe(201);
    expect(res.body.report.manualForwardingChecks).toEqual({
      available: true,
      items: [
        expect.objectContaining({
          mailbox: 'sales@acme.test',
          preset: 'exmail',
          checkedBy: 'Boss Wang',
          forwardingFound: false,
          note: 'rule removed',
        }),
      ],
    });
  });
});
