import type { PierForwardingRule } from '@pier/contracts';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forwardMessage } from '../../src/modules/forwarding/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { deliver, emptyMailboxes } from '../support/mail-server.js';
import { findMail, mailDeliveredSoFar, waitForMail } from '../support/outbox.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD } from '../support/users.js';
import { addTestImapMailbox } from '../support/workspace.js';

const boss = { email: 'accounting@acme.test', name: 'Boss', password: 'correct horse battery staple' };

/**
 * A Pier forwarding rule for real: mail delivered by Postfix to sales@ (Dovecot), synced by Pier
 * over IMAP, forwarded through sales@'s own SMTP (Postfix submission) to an external Dovecot user
 * exactly once; the admins' alert and the audit report go out through the system mailbox.
 */
describe('forwarding rules through Postfix and Dovecot (SQLite)', () => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let admin: ApiClient;
  let rule: PierForwardingRule;
  const token = `fwd-${Date.now().toString(36)}`;

  beforeAll(async () => {
    for (const user of [
      'sales@acme.test',
      'info@acme.test',
      'accounting@acme.test',
      'support@acme.test',
      'buyer2@customer.test',
      'buyer@customer.test',
    ]) {
      await emptyMailboxes(user);
    }
    database = await createTestDatabase('sqlite');
    pier = await startTestPier(database, { PIER_SYSTEM_MAILBOX: 'info@acme.test', PIER_LOGIN_RATE_LIMIT: '100' });
    admin = pier.api();
    expect((await admin.post('/api/setup', boss)).status).toBe(201);
    await addTestImapMailbox(pier.workspace, 'info@acme.test');
    await addTestImapMailbox(pier.workspace, 'sales@acme.test');
    await createAccount(pier.workspace.db, {
      email: 'support@acme.test',
      name: 'Second admin',
      password: TEST_PASSWORD,
      role: 'admin',
    });
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  it('alerts every admin by mail when an external rule is made', async () => {
    const sales = await pier.workspace.db
      .selectFrom('mailboxes')
      .select('id')
      .where('address', '=', 'sales@acme.test')
      .executeTakeFirstOrThrow();
    // The setup session has just checked password and code: step-up is fresh.
    const created = await admin.post<PierForwardingRule>('/api/forwarding/rules', {
      mailboxId: sales.id,
      name: 'Copy to the agent at home',
      target: 'buyer2@customer.test',
    });
    // customer.test is no mailbox's domain in this workspace (the company is acme.test): external.
    expect(created).toMatchObject({ status: 201, body: { external: true } });
    rule = created.body;
    const other = await admin.post<PierForwardingRule>('/api/forwarding/rules', {
      mailboxId: sales.id,
      name: 'Only mail from elsewhere.test',
      senderDomain: 'elsewhere.test',
      target: 'buyer@customer.test',
    });
    expect(other.status).toBe(201);
    for (const user of ['accounting@acme.test', 'support@acme.test']) {
      const alerts = await waitForMail(user, 'INBOX', 'forwarded outside the company', 2, 30_000);
      expect(alerts.map((m) => m.parsed.text ?? '').join('\n')).toContain('buyer2@customer.test');
    }
  }, 60_000);

  it('forwards a mail delivered through Postfix exactly once, as an attachment with the original headers', async () => {
    await deliver({
      from: 'Maria <maria@customer.test>',
      to: 'sales@acme.test',
      subject: `Order ${token}`,
      messageId: `<${token}@customer.test>`,
      text: 'Please confirm the order.',
    });
    const [forwarded] = await waitForMail('buyer2@customer.test', 'INBOX', token, 1, 60_000);
    expect(forwarded?.parsed.subject).toBe(`Fwd: Order ${token}`);
    expect(forwarded?.parsed.from?.value[0]?.address).toBe('sales@acme.test');
    expect(forwarded?.parsed.headers.get('auto-submitted')).toBe('auto-forwarded');
    expect(forwarded?.parsed.headers.get('x-pier-forward-rule')).toBe(rule.id);
    const original = forwarded?.parsed.attachments.find((a) => a.contentType === 'message/rfc822');
    expect(original?.content.toString('utf8')).toContain(`Message-ID: <${token}@customer.test>`);
    expect(original?.content.toString('utf8')).toContain('From: Maria <maria@customer.test>');

    // Running the job again (a retried or duplicated delivery) sends nothing more.
    const message = await pier.workspace.db
      .selectFrom('messages')
      .select('id')
      .where('message_id_header', '=', `<${token}@customer.test>`)
      .executeTakeFirstOrThrow();
    const { db, blobs, secrets } = pier.workspace;
    await forwardMessage({ db, blobs, secrets, logger: pino({ level: 'silent' }) }, rule.id, message.id);
    await mailDeliveredSoFar('buyer2@customer.test');
    expect(await findMail('buyer2@customer.test', 'INBOX', token)).toHaveLength(1);
    const deliveries = await db
      .selectFrom('forwarding_deliveries')
      .select(['rule_id', 'state'])
      .where('message_id', '=', message.id)
      .execute();
    expect(deliveries).toEqual([{ rule_id: rule.id, state: 'sent' }]);
    // The sender-domain rule did not match: nothing for buyer@.
    expect(await findMail('buyer@customer.test', 'INBOX', token)).toHaveLength(0);
    const listed = await admin.get<{ pierRules: { items: PierForwardingRule[] } }>('/api/forwarding');
    expect(listed.body.pierRules.items.find((r) => r.id === rule.id)?.forwarded).toBe(1);
  }, 90_000);

  it('mails the audit report to the admins on request', async () => {
    const made = await admin.post('/api/audit/reports', { mail: true });
    expect(made.status).toBe(201);
    for (const user of ['accounting@acme.test', 'support@acme.test']) {
      const [mail] = await waitForMail(user, 'INBOX', 'Pier audit report', 1, 30_000);
      expect(mail?.parsed.text).toContain('Forwarding rules in Pier');
      expect(mail?.parsed.text).toContain('buyer2@customer.test');
    }
  }, 60_000);
});
