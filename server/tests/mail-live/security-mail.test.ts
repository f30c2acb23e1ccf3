import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { emptyMailboxes, withImap } from '../support/mail-server.js';
import { findMail } from '../support/outbox.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD as password } from '../support/users.js';
import { addTestImapMailbox } from '../support/workspace.js';

/** Security mail leaves through the system mailbox's own SMTP settings (Postfix submission here) and lands in Dovecot. */
describe('security mail through the system mailbox (SQLite)', () => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;

  beforeAll(async () => {
    for (const user of ['accounting@acme.test', 'sales@acme.test']) await emptyMailboxes(user);
    database = await createTestDatabase('sqlite');
    // Links are mailed only with a public address: here PIER_PUBLIC_URL (it wins over a stored one).
    pier = await startTestPier(database, {
      PIER_SYSTEM_MAILBOX: 'info@acme.test',
      PIER_LOGIN_RATE_LIMIT: '100',
      PIER_PUBLIC_URL: 'https://pier.acme.test',
    });
    await addTestImapMailbox(pier.workspace, 'info@acme.test');
    await createAccount(pier.workspace.db, { email: 'accounting@acme.test', name: 'Boss', password, role: 'super_admin' });
    await createAccount(pier.workspace.db, { email: 'sales@acme.test', name: 'Zhang', password, role: 'agent' });
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  async function subjectsIn(user: string): Promise<string[]> {
    return withImap(user, async (client) => {
      const lock = await client.getMailboxLock('INBOX');
      try {
        const subjects: string[] = [];
        if ((client.mailbox ? client.mailbox.exists : 0) === 0) return subjects;
        for await (const message of client.fetch('1:*', { envelope: true })) subjects.push(message.envelope?.subject ?? '');
        return subjects;
      } finally {
        lock.release();
      }
    });
  }

  it('mails the account owner and the admins when an account is locked after repeated failures', async () => {
    const api = pier.api();
    for (let i = 0; i < 5; i++)
      expect((await api.post('/api/auth/login', { email: 'sales@acme.test', password: `wrong guess ${i}` })).status).toBe(401);
    for (const user of ['sales@acme.test', 'accounting@acme.test']) {
      await expect
        .poll(async () => (await subjectsIn(user)).filter((s) => s.startsWith('Pier security alert: sales@acme.test')).length, {
          timeout: 30_000,
          interval: 500,
        })
        .toBe(2); // the burst of failures and the lock
    }
    // Marked as machine-sent (RFC 3834): no vacation reply or auto-forward answers it.
    const [alert] = await findMail('sales@acme.test', 'INBOX', 'Pier security alert');
    expect(alert?.parsed.headers.get('auto-submitted')).toBe('auto-generated');
  });

  it('mails the invitation to the invited address', async () => {
    const admin = pier.api();
    await admin.post('/api/auth/login', { email: 'accounting@acme.test', password });
    await emptyMailboxes('sales@acme.test');
    await pier.workspace.db.deleteFrom('users').where('email', '=', 'sales@acme.test').execute();
    const invite = await admin.post<{ emailed: boolean; link: string }>('/api/users/invitations', {
      email: 'sales@acme.test',
      name: 'Zhang',
      role: 'agent',
    });
    expect(invite).toMatchObject({ status: 201, body: { emailed: true, notEmailedBecause: null } });
    expect(invite.body.link).toMatch(/^https:\/\/pier\.acme\.test\/invitation#token=/);
    expect((await admin.get('/api/security/public-url')).body).toEqual({ publicUrl: 'https://pier.acme.test', source: 'environment' });
    await expect
      .poll(async () => subjectsIn('sales@acme.test'), { timeout: 30_000, interval: 500 })
      .toContain('You are invited to Pier / 邀请您加入 Pier');
  });
});
