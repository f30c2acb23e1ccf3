import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { testEnv } from '../support/env.js';
import type { ApiClient } from '../support/http-client.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD as password } from '../support/users.js';
import { addTestImapMailbox } from '../support/workspace.js';

type Audit = { sieve: { mailboxId: string; status: string | null; port: number; tls: string; enabled: boolean }[] };

/** Issue 18: the forwarding audit's ManageSieve port is set per mailbox (the bench's Dovecot is not on 4190). */
describe.each(engines)('the ManageSieve port of the forwarding audit on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let admin: ApiClient;
  let mailboxId = '';
  const sievePort = Number(testEnv('PIER_TEST_SIEVE_PORT'));

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database, { PIER_LOGIN_RATE_LIMIT: '100' });
    mailboxId = (await addTestImapMailbox(pier.workspace, 'sales@acme.test')).id;
    await createAccount(pier.workspace.db, { email: 'admin@acme.test', name: 'Admin', password, role: 'admin' });
    admin = pier.api();
    expect((await admin.post('/api/auth/login', { email: 'admin@acme.test', password })).status).toBe(200);
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  const sieveOf = (audit: Audit) => audit.sieve.find((s) => s.mailboxId === mailboxId);

  it('shows the default, port 4190 on the IMAP host (where the bench has no ManageSieve: a start-up scan finds it unavailable)', async () => {
    expect(sieveOf((await admin.get<Audit>('/api/forwarding')).body)).toMatchObject({
      port: 4190,
      tls: 'none',
      enabled: true,
    });
  });

  it('refuses a port out of range and an unknown mailbox, with messages', async () => {
    const bad = await admin.put(`/api/forwarding/sieve/${mailboxId}`, { enabled: true, port: 70000, tls: 'none' });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'request.invalid', details: [{ path: '/port' }] } } });
    const unknown = await admin.put('/api/forwarding/sieve/no-such-mailbox', { enabled: true, port: 4190, tls: 'none' });
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'mailbox.not_found' } } });
  });

  it('scans on the port the admin set, audited with the previous one', async () => {
    const saved = await admin.put<Audit>(`/api/forwarding/sieve/${mailboxId}`, { enabled: true, port: sievePort, tls: 'none' });
    expect(saved.status).toBe(200);
    expect(sieveOf(saved.body)).toMatchObject({ port: sievePort, tls: 'none', enabled: true });
    const scanned = await admin.post<Audit>('/api/forwarding/scan');
    expect(sieveOf(scanned.body)).toMatchObject({ status: 'ok', port: sievePort });
    const audit = await pier.workspace.db
      .selectFrom('audit_log')
      .select(['details', 'mailbox_id'])
      .where('action', '=', 'forwarding.sieve_settings_changed')
      .executeTakeFirstOrThrow();
    expect(audit.mailbox_id).toBe(mailboxId);
    expect(JSON.parse(audit.details)).toMatchObject({ port: sievePort, previous: { port: 4190, enabled: true } });
  });

  it('skips a mailbox whose scan is turned off', async () => {
    await admin.put(`/api/forwarding/sieve/${mailboxId}`, { enabled: false, port: sievePort, tls: 'none' });
    expect(sieveOf((await admin.post<Audit>('/api/forwarding/scan')).body)).toMatchObject({ status: 'disabled', enabled: false });
  });
});
