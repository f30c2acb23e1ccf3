import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { startTestPier } from '../support/pier.js';

const password = 'a long enough password';

/**
 * Removing a mailbox with purge deletes the mail only it holds; the deletion is the conversations
 * module's (passed to the mailboxes routes by http.ts), so shared mail keeps its other mailbox.
 */
describe.each(engines)('removing a mailbox with its mail on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let boss: ApiClient;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database);
    await createAccount(pier.workspace.db, { email: 'boss@acme.test', name: 'Boss', password, role: 'admin' });
    boss = pier.api();
    expect((await boss.post('/api/auth/login', { email: 'boss@acme.test', password })).status).toBe(200);
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  it('deletes the mail only that mailbox holds and keeps mail shared with another mailbox', async () => {
    const { db } = pier.workspace;
    const sales = await boss.post<{ id: string }>('/api/mailboxes', { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' });
    const books = await boss.post<{ id: string }>('/api/mailboxes', {
      address: 'books@acme.test',
      displayName: 'Books',
      purpose: 'accounting',
    });
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort ?? 0, secure: false, ignoreTLS: true });
    await smtp.sendMail({
      from: 'buyer@customer.test',
      to: ['sales@acme.test', 'books@acme.test'],
      subject: 'Shared order',
      text: 'Both.',
    });
    await smtp.sendMail({ from: 'bank@customer.test', to: 'books@acme.test', subject: 'Bank statement', text: 'Books only.' });
    smtp.close();

    expect((await boss.request('DELETE', `/api/mailboxes/${books.body.id}?purge=1`)).status).toBe(204);
    const subjects = async (table: 'messages' | 'conversations') =>
      (await db.selectFrom(table).select('subject').orderBy('subject').execute()).map((r) => r.subject);
    expect(await subjects('messages')).toEqual(['Shared order']);
    expect(await subjects('conversations')).toEqual(['Shared order']);
    const list = await boss.get<{ items: { subject: string }[] }>(`/api/conversations?mailboxId=${sales.body.id}`);
    expect(list.body.items.map((c) => c.subject)).toEqual(['Shared order']);
  });
});
