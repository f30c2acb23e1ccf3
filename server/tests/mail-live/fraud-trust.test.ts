// Issue 16, "the attacker teaches Pier who the customer is": a whole Pier syncing a real Dovecot
// mailbox over IMAP, the scenario's mail appended one at a time in several arrival orders.
// Every attack is flagged high and no genuine mail is flagged, whatever the order.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/modules/audit/index.js';
import { grantMailboxAccess } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { appendAndAssess, hanseMails, IMPOSTOR, IMPOSTOR_REPLY_TO, REAL, type ScenarioMail, TEAM } from '../support/hanse-scenario.js';
import type { ApiClient } from '../support/http-client.js';
import { emptyMailboxes } from '../support/mail-server.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD as password } from '../support/users.js';
import { addTestImapMailbox } from '../support/workspace.js';

type Fraud = {
  level: string;
  assessments: { messageId: string; from: string; level: string; signals: { code: string; reason: { en: string } }[]; cleared: unknown }[];
  phoneConfirmation: { required: boolean; callableContacts: { address: string }[] };
};

const ORDERS: Record<string, string[]> = {
  // The report: history (no reply from the team, only mail over months), the look-alike, the customer ×3.
  'history → look-alike → customer ×3': ['h1', 'h2', 'h3', 'attack', 'g1', 'g2', 'g3'],
  // The look-alike before anything is known; then the history, with the team's reply in the Sent folder.
  'look-alike first → history with a Sent reply → customer ×3': ['attack', 'h1', 'sent', 'h2', 'h3', 'g1', 'g2', 'g3'],
  // The look-alike after the first mail only, before the customer has earned any trust.
  'first mail → look-alike → rest of the history → customer ×3': ['h1', 'attack', 'sent', 'h2', 'h3', 'g1', 'g2', 'g3'],
  // Reversed, with no reply from the team at all: the look-alike is the first party Pier sees, then the
  // real customer's history and L/C mails; the one with the longer history must win (issue 16).
  'look-alike first → history without a reply → customer ×3': ['attack', 'h1', 'h2', 'h3', 'g1', 'g2', 'g3'],
};

describe.each(engines)('trust an attacker cannot teach, over IMAP, on %s', (engine) => {
  let database: TestDatabase | undefined;
  let pier: Awaited<ReturnType<typeof startTestPier>> | undefined;
  beforeAll(async () => {
    await emptyMailboxes(TEAM);
  });
  afterEach(async () => {
    await pier?.stop();
    await database?.drop();
    pier = undefined;
    database = undefined;
    await emptyMailboxes(TEAM);
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  /** A Pier syncing accounting@acme.test, and an agent with reply access signed in. */
  async function start(): Promise<{ running: NonNullable<typeof pier>; agent: ApiClient; agentId: string }> {
    database = await createTestDatabase(engine);
    const running = await startTestPier(database);
    pier = running;
    const mailbox = await addTestImapMailbox(running.workspace, TEAM);
    const user = await createAccount(running.workspace.db, { email: `lily.${engine}@acme.test`, name: 'Lily', password, role: 'agent' });
    await grantMailboxAccess(running.workspace.db, user.id, mailbox.id, 'reply');
    const agent = running.api();
    expect((await agent.post('/api/auth/login', { email: `lily.${engine}@acme.test`, password })).status).toBe(200);
    return { running, agent, agentId: user.id };
  }

  for (const [name, order] of Object.entries(ORDERS)) {
    it(`every attack high, no genuine mail flagged: ${name}`, async () => {
      const { running, agent } = await start();
      const mails = hanseMails(Date.now(), `.${engine}.${order.join('')}`);
      const pendingSent: string[] = [];
      const levels: Record<string, { level: string; codes: string[]; conversationId: string; messageId: string }> = {};
      for (const key of order) {
        const mail = mails[key] as ScenarioMail;
        const row = await appendAndAssess(running.workspace.db, mail, pendingSent);
        if (row) {
          const signals = JSON.parse(row.signals) as { code: string; reason: { en: string } }[];
          levels[key] = {
            level: row.level,
            codes: signals.map((s) => s.code),
            conversationId: row.conversation_id,
            messageId: row.message_id,
          };
        }
      }
      // Judged as they arrived: the attack high, each genuine mail none (no warn either).
      const judged = Object.fromEntries(Object.entries(levels).map(([k, v]) => [k, v.level]));
      const expected = Object.fromEntries(Object.keys(levels).map((k) => [k, k === 'attack' ? 'high' : 'none']));
      expect({ judged, signals: levels }).toMatchObject({ judged: expected });
      expect(levels.attack?.codes).toEqual(expect.arrayContaining(['payment_change', 'reply_to_mismatch']));

      // The thread: the row marker is the attack's high, the genuine mails keep their own level.
      const thread = levels.g3?.conversationId as string;
      expect(levels.attack?.conversationId).toBe(thread);
      const fraud = await agent.get<Fraud>(`/api/conversations/${thread}/fraud`);
      expect(fraud.status).toBe(200);
      expect(fraud.body.level).toBe('high');
      const byFrom = fraud.body.assessments.filter((a) => a.level !== 'none').map((a) => a.from);
      expect(byFrom).toEqual([IMPOSTOR]);
      const markers = await agent.get<{ markers: { conversationId: string; messageId: string; level: string; reason: { en: string } }[] }>(
        `/api/fraud/markers?ids=${thread}`,
      );
      expect(markers.body.markers).toEqual([
        expect.objectContaining({ conversationId: thread, messageId: levels.attack?.messageId, level: 'high' }),
      ]);
      expect(markers.body.markers[0]?.reason.en).not.toBe('');

      // Whom to call, and whose number may be recorded: the real Jonas, never the look-alike or its Reply-To.
      const contacts = await agent.get<{ id: string; address: string }[] | { contacts: { address: string }[] }>(
        `/api/conversations/${thread}/contacts`,
      );
      expect(contacts.status).toBe(200);
      const listed = JSON.stringify(contacts.body);
      expect(listed).toContain(REAL);
      expect(listed).not.toContain(IMPOSTOR);
      expect(listed).not.toContain(IMPOSTOR_REPLY_TO);
      const { db } = running.workspace;
      const real = await db.selectFrom('contacts').select('id').where('address', '=', REAL).executeTakeFirstOrThrow();
      expect((await agent.put(`/api/contacts/${real.id}/phone`, { phone: '+49 40 1234567' })).status).toBe(200);
      for (const address of [IMPOSTOR, IMPOSTOR_REPLY_TO]) {
        const fake = await db.selectFrom('contacts').select('id').where('address', '=', address).executeTakeFirstOrThrow();
        const refused = await agent.put<{ error: { code: string } }>(`/api/contacts/${fake.id}/phone`, { phone: '+44 20 7946 0000' });
        expect({ address, status: refused.status, code: refused.body.error?.code }).toEqual({
          address,
          status: 409,
          code: 'fraud.impostor_contact',
        });
      }
      const callable = (await agent.get<Fraud>(`/api/conversations/${thread}/fraud`)).body.phoneConfirmation.callableContacts;
      expect(callable.map((c) => c.address)).toEqual([REAL]);

      expect(await db.selectFrom('fraud_assessments').select('id').execute()).toHaveLength(Object.keys(levels).length);
    });
  }

  it('clearing a false flag is audited, teaches Pier and re-judges the conversations about that sender', async () => {
    const { running, agent, agentId } = await start();
    const now = Date.now();
    const nordlicht = (key: string, daysAgo: number, subject: string, body: string): ScenarioMail => {
      const date = new Date(now - daysAgo * 24 * 3600_000);
      return {
        key,
        folder: 'INBOX',
        date,
        genuine: true,
        raw: [
          `Message-ID: <${key}.${engine}@nordlicht-leuchten.de>`,
          'From: "Anna Krause" <anna.krause@nordlicht-leuchten.de>',
          `To: ${TEAM}`,
          `Subject: ${subject}`,
          `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
          'Content-Type: text/plain; charset=utf-8',
          '',
          body,
          '',
        ].join('\r\n'),
      };
    };
    // A real new supplier's first mail asks to pay to its account: flagged until someone checks it.
    const first = await appendAndAssess(
      running.workspace.db,
      nordlicht(
        'n1',
        3,
        'Bank details for our invoices',
        'Dear Lily,\n\nplease note our new bank account for all payments:\nIBAN: DE02 1203 0000 0000 2020 51\nBIC: BYLADEM1001\n\nAnna Krause\nNordlicht Leuchten GmbH',
      ),
      [],
    );
    const second = await appendAndAssess(
      running.workspace.db,
      nordlicht(
        'n2',
        1,
        'Deposit PO 88',
        'Dear Lily,\n\nthe deposit for PO 88: please note our new bank account:\nIBAN: DE02 1203 0000 0000 2020 51\n\nAnna',
      ),
      [],
    );
    expect([first?.level, second?.level]).toEqual(['high', 'high']);
    const firstId = first?.message_id as string;
    const conversation = first?.conversation_id as string;

    // Bad input: no reason, a mail of another conversation, and a mail that is not flagged.
    expect((await agent.post(`/api/conversations/${conversation}/fraud/clear`, { messageId: firstId })).status).toBe(400);
    expect(second?.conversation_id).not.toBe(conversation);
    const elsewhere = await agent.post<{ error: { code: string } }>(`/api/conversations/${conversation}/fraud/clear`, {
      messageId: second?.message_id,
      reason: 'looks fine',
    });
    expect({ status: elsewhere.status, code: elsewhere.body.error.code }).toEqual({ status: 404, code: 'fraud.assessment_not_found' });

    const cleared = await agent.post<Fraud>(`/api/conversations/${conversation}/fraud/clear`, {
      messageId: firstId,
      reason: 'Called Anna on the number in our supplier contract',
    });
    expect(cleared.status).toBe(200);
    expect(cleared.body.level).toBe('none');
    expect(cleared.body.assessments.find((a) => a.messageId === firstId)?.cleared).toMatchObject({
      byUserId: agentId,
      reason: 'Called Anna on the number in our supplier contract',
    });
    expect(
      (
        await agent.post<{ error: { code: string } }>(`/api/conversations/${conversation}/fraud/clear`, {
          messageId: firstId,
          reason: 'again',
        })
      ).body.error.code,
    ).toBe('fraud.already_cleared');

    const { db } = running.workspace;
    const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'fraud.flag_cleared').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]?.details ?? '{}')).toMatchObject({
      messageId: firstId,
      level: 'high',
      trusted: 'nordlicht-leuchten.de',
      reason: 'Called Anna on the number in our supplier contract',
    });
    expect((await verifyAuditChain(db)).ok).toBe(true);

    // Taught: the account is now known, and the other conversation was judged again without being opened.
    const again = await db
      .selectFrom('fraud_assessments')
      .select(['level', 'signals'])
      .where('message_id', '=', second?.message_id as string)
      .executeTakeFirstOrThrow();
    expect(again.level).toBe('none');
    expect((JSON.parse(again.signals) as { code: string }[]).map((s) => s.code)).toContain('known_bank_details');
    const markers = await agent.get<{ markers: unknown[] }>(`/api/fraud/markers?ids=${conversation},${second?.conversation_id}`);
    expect(markers.body.markers).toEqual([]);
  });
});
