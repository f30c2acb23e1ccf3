import type { PierForwardingRule } from '@pier/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LOOP_GUARD_LIMITS } from '../../src/modules/loop-guard/index.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { deliver, emptyMailboxes } from '../support/mail-server.js';
import { startNaiveResponder } from '../support/naive-responder.js';
import { findMail, waitForMail } from '../support/outbox.js';
import { startTestPier } from '../support/pier.js';
import { addTestImapMailbox } from '../support/workspace.js';

const boss = { email: 'accounting@acme.test', name: 'Boss', password: 'correct horse battery staple' };

/**
 * Issue 14's loops, for real: Pier syncs sales@ and support@ from Dovecot and forwards through
 * Postfix. A forwarding rule against an auto-responder that answers everything, and two rules
 * pointing at each other, each exchange a bounded number of mails, and the admins are alerted.
 */
describe('forwarding loops through Postfix and Dovecot (SQLite)', () => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let admin: ApiClient;
  const mailboxIds: Record<string, string> = {};
  const token = `loop-${Date.now().toString(36)}`;

  const stopAlerts = async (ruleId: string) => {
    const rows = await pier.workspace.db.selectFrom('notifications').select('data').where('kind', '=', 'automatic_send.stopped').execute();
    return rows.map((r) => JSON.parse(r.data) as Record<string, string>).filter((d) => d.ruleId === ruleId);
  };
  const waitForStopAlert = async (ruleId: string, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const alerts = await stopAlerts(ruleId);
      if (alerts.length > 0) return alerts;
      if (Date.now() > deadline) throw new Error(`no loop alert for rule ${ruleId}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const makeRule = async (from: string, target: string, name: string) => {
    const made = await admin.post<PierForwardingRule>('/api/forwarding/rules', { mailboxId: mailboxIds[from], name, target });
    expect(made.status).toBe(201);
    return made.body;
  };

  beforeAll(async () => {
    for (const user of ['sales@acme.test', 'info@acme.test', 'support@acme.test', 'accounting@acme.test', 'buyer@customer.test']) {
      await emptyMailboxes(user);
    }
    database = await createTestDatabase('sqlite');
    pier = await startTestPier(database, { PIER_SYSTEM_MAILBOX: 'info@acme.test', PIER_LOGIN_RATE_LIMIT: '100' });
    admin = pier.api();
    expect((await admin.post('/api/setup', boss)).status).toBe(201);
    for (const address of ['info@acme.test', 'sales@acme.test', 'support@acme.test']) {
      mailboxIds[address] = (await addTestImapMailbox(pier.workspace, address)).id;
    }
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  it('stops a forwarding rule answering a naive auto-responder after the per-correspondent limit, and alerts the admins once', async () => {
    const rule = await makeRule('sales@acme.test', 'buyer@customer.test', 'Copy to the buyer’s desk');
    const responder = startNaiveResponder('buyer@customer.test');
    try {
      await deliver({ from: 'Maria <maria@customer.test>', to: 'sales@acme.test', subject: `Order ${token}`, text: 'Please confirm.' });
      const [alert] = await waitForStopAlert(rule.id, 120_000);
      expect(alert).toMatchObject({ reason: 'correspondent_rate', mailbox: 'sales@acme.test', address: 'buyer@customer.test' });
      // Maria's mail, then one forward per answer of the responder up to the limit: the answer to
      // the last forward is the one the guard refused, so the exchange is over when the alert is made.
      const expected = 1 + DEFAULT_LOOP_GUARD_LIMITS.perCorrespondent;
      const forwards = await waitForMail('buyer@customer.test', 'INBOX', token, expected, 30_000);
      expect(forwards).toHaveLength(expected);
      expect(responder.replies()).toBe(expected);
      for (const forward of forwards) {
        expect(forward.parsed.headers.get('auto-submitted')).toBe('auto-forwarded');
        expect(forward.parsed.headers.get('x-loop')).toBe('sales@acme.test');
      }
      const [mail] = await waitForMail('accounting@acme.test', 'INBOX', 'possible mail loop', 1, 30_000);
      expect(mail?.parsed.text).toContain('buyer@customer.test');
    } finally {
      await responder.stop();
    }
    expect(await findMail('buyer@customer.test', 'INBOX', token)).toHaveLength(1 + DEFAULT_LOOP_GUARD_LIMITS.perCorrespondent);
    expect(await stopAlerts(rule.id)).toHaveLength(1);
    expect((await admin.request('DELETE', `/api/forwarding/rules/${rule.id}`)).status).toBe(204);
  }, 180_000);

  it('forwards once between two rules pointing at each other, and alerts the admins', async () => {
    const there = await makeRule('sales@acme.test', 'support@acme.test', 'Sales to support');
    const back = await makeRule('support@acme.test', 'sales@acme.test', 'Support to sales');
    const subject = `Ping-pong ${token}`;
    await deliver({ from: 'Maria <maria@customer.test>', to: 'sales@acme.test', subject, text: 'Who answers this?' });
    const [alert] = await waitForStopAlert(back.id, 60_000);
    expect(alert).toMatchObject({ reason: 'x_loop', mailbox: 'support@acme.test', target: 'sales@acme.test' });
    // The guard refused when Pier's forward reached support@: nothing else is under way.
    expect(await findMail('support@acme.test', 'INBOX', subject)).toHaveLength(1);
    expect((await findMail('sales@acme.test', 'INBOX', subject)).map((m) => m.parsed.subject)).toEqual([subject]);
    expect(await stopAlerts(there.id)).toHaveLength(0);
  }, 90_000);
});
