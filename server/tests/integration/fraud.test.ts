import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/db/ids.js';
import { verifyAuditChain } from '../../src/modules/audit/index.js';
import { phoneConfirmationRequired } from '../../src/modules/fraud/index.js';
import { createMailbox, grantMailboxAccess } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { importMailFiles } from '../../src/modules/sync/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD as password } from '../support/users.js';
import { waitFor } from '../support/wait.js';

const history = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'fraud', 'history');

type FraudResponse = {
  level: string;
  assessments: { from: string; level: string; signals: { code: string; weight: number; reason: { en: string; 'zh-CN': string } }[] }[];
  phoneConfirmation: {
    required: boolean;
    satisfied: boolean;
    callableContacts: { contactId: string; phone: string }[];
    confirmations: unknown[];
  };
};

describe.each(engines)('fraud checks on incoming mail on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  const as: Record<'agent' | 'auditor' | 'stranger', ApiClient> = {} as never;
  let conversationId = '';

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database);
    const { db } = pier.workspace;
    const mailbox = await createMailbox(db, { address: 'sales@hengda-lighting.com', displayName: 'Sales', purpose: 'sales' });
    const agent = await createAccount(db, { email: 'lily@hengda-lighting.com', name: 'Lily', password, role: 'agent' });
    const auditor = await createAccount(db, { email: 'audit@hengda-lighting.com', name: 'Audit', password, role: 'auditor' });
    await createAccount(db, { email: 'other@hengda-lighting.com', name: 'Other', password, role: 'agent' });
    await grantMailboxAccess(db, agent.id, mailbox.id, 'reply');
    await grantMailboxAccess(db, auditor.id, mailbox.id, 'read');

    // Known customer: acme-trading.de wrote, we answered, and it sent an invoice with its IBAN.
    const files = ['001-acme-inquiry.eml', '002-acme-our-quote.eml', '003-acme-follow-up.eml', '004-acme-invoice.eml'];
    const counts = await importMailFiles(
      pier.workspace,
      mailbox,
      files.map((f) => path.join(history, f)),
    );
    expect(counts).toMatchObject({ new: 4, failed: 0 });
    // The worker runs fraud.assess for the three incoming ones and learns the IBAN.
    await waitFor(async () => {
      const rows = await db.selectFrom('fraud_assessments').select('id').execute();
      return rows.length === 3 ? rows : undefined;
    }, 'the history to be assessed');
    const ledger = await db.selectFrom('fraud_bank_identifiers').selectAll().execute();
    expect(ledger.filter((l) => l.kind === 'iban')).toMatchObject([{ status: 'trusted' }]);

    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort ?? 0, secure: false, ignoreTLS: true });
    await smtp.sendMail({
      from: '"Anna Schmidt" <anna.schmidt@acme-tradinq.de>',
      to: 'sales@hengda-lighting.com',
      subject: 'Neue Bankverbindung',
      text: 'Hallo Lily,\n\nunsere Bankverbindung hat sich geändert. Bitte überweisen Sie ab sofort auf:\nIBAN: GB29 NWBK 6016 1331 9268 19\nBIC: NWBKGB2L\n\nGrüße\nAnna',
    });
    smtp.close();
    const flagged = await waitFor(
      () =>
        db
          .selectFrom('fraud_assessments')
          .innerJoin('messages', 'messages.id', 'fraud_assessments.message_id')
          .where('messages.from_addr', '=', 'anna.schmidt@acme-tradinq.de')
          .select(['fraud_assessments.conversation_id', 'fraud_assessments.level'])
          .executeTakeFirst(),
      'the look-alike mail to be assessed',
    );
    conversationId = flagged.conversation_id;

    for (const [who, email] of [
      ['agent', 'lily@hengda-lighting.com'],
      ['auditor', 'audit@hengda-lighting.com'],
      ['stranger', 'other@hengda-lighting.com'],
    ] as const) {
      as[who] = pier.api();
      expect((await as[who].post('/api/auth/login', { email, password })).status).toBe(200);
    }
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  it('stores one assessment per incoming mail and never assesses our own', async () => {
    const rows = await pier.workspace.db.selectFrom('fraud_assessments').select('message_id').execute();
    expect(rows).toHaveLength(4);
    const outgoing = await pier.workspace.db.selectFrom('messages').select('id').where('direction', '=', 'out').execute();
    expect(rows.map((r) => r.message_id)).not.toContain(outgoing[0]?.id);
  });

  it('returns the reasons in both languages, with the look-alike and the real domain', async () => {
    const res = await as.agent.get<FraudResponse>(`/api/conversations/${conversationId}/fraud`);
    expect(res.status).toBe(200);
    expect(res.body.level).toBe('high');
    const signals = res.body.assessments[0]?.signals ?? [];
    expect(signals.map((s) => s.code)).toEqual(expect.arrayContaining(['lookalike_domain', 'payment_change', 'new_bank_details']));
    const lookalike = signals.find((s) => s.code === 'lookalike_domain');
    expect(lookalike?.reason.en).toContain('acme-tradinq.de');
    expect(lookalike?.reason.en).toContain('acme-trading.de');
    expect(lookalike?.reason['zh-CN']).toContain('acme-trading.de');
    expect(res.body.phoneConfirmation).toMatchObject({ required: true, satisfied: false, confirmations: [] });
    expect(await phoneConfirmationRequired(pier.workspace.db, conversationId)).toBe(true);
  });

  it('answers 404 to a user without access to the mailbox', async () => {
    expect(await as.stranger.get(`/api/conversations/${conversationId}/fraud`)).toMatchObject({
      status: 404,
      body: { error: { code: 'conversation.not_found' } },
    });
    expect(
      await as.stranger.post(`/api/conversations/${conversationId}/phone-confirmations`, { contactId: 'x', outcome: 'confirmed' }),
    ).toMatchObject({ status: 404 });
  });

  it('records a phone call only to a number on the customer record', async () => {
    const { db } = pier.workspace;
    const anna = await db
      .selectFrom('contacts')
      .select('id')
      .where('address', '=', 'anna.schmidt@acme-tradinq.de')
      .executeTakeFirstOrThrow();
    // The look-alike sender has no number on record: calling "them" is refused.
    expect(
      await as.agent.post(`/api/conversations/${conversationId}/phone-confirmations`, { contactId: anna.id, outcome: 'confirmed' }),
    ).toMatchObject({
      status: 400,
      body: { error: { code: 'fraud.phone_not_on_record' } },
    });
    expect(await as.agent.post(`/api/conversations/${conversationId}/phone-confirmations`, { outcome: 'confirmed' })).toMatchObject({
      status: 400,
      body: { error: { code: 'request.invalid' } },
    });
    // A number for the impostor's own contact (say, copied from the mail's signature) is refused
    // (issue 16); one that got there anyway, or a colleague's at the look-alike domain, never
    // becomes callable: it would reach the fraudster.
    expect(await as.agent.put(`/api/contacts/${anna.id}/phone`, { phone: '+44 20 7946 0958' })).toMatchObject({
      status: 409,
      body: { error: { code: 'fraud.impostor_contact' } },
    });
    await db.updateTable('contacts').set({ phone_e164: '+442079460958' }).where('id', '=', anna.id).execute();
    const colleagueId = newId();
    const lookalikeCompany = await db.selectFrom('contacts').select('company_id').where('id', '=', anna.id).executeTakeFirstOrThrow();
    expect(lookalikeCompany.company_id).not.toBeNull();
    await db
      .insertInto('contacts')
      .values({
        id: colleagueId,
        address: 'accounts@acme-tradinq.de',
        name: 'Accounts',
        company_id: lookalikeCompany.company_id,
        country: null,
        phone_e164: '+442079460959',
        first_seen_at: Date.now(),
        last_seen_at: Date.now(),
      })
      .execute();
    const impostorSide = await as.agent.get<FraudResponse>(`/api/conversations/${conversationId}/fraud`);
    expect(impostorSide.body.phoneConfirmation.callableContacts).toEqual([]);
    const listed = await as.agent.get<{ items: { address: string }[] }>(`/api/conversations/${conversationId}/contacts`);
    expect(listed.body.items.map((c) => c.address)).not.toContain('anna.schmidt@acme-tradinq.de');
    expect(listed.body.items.map((c) => c.address)).toContain('anna.schmidt@acme-trading.de');
    for (const contactId of [anna.id, colleagueId]) {
      expect(
        await as.agent.post(`/api/conversations/${conversationId}/phone-confirmations`, { contactId, outcome: 'confirmed' }),
      ).toMatchObject({ status: 400, body: { error: { code: 'fraud.phone_not_on_record' } } });
    }
    // The real Anna, at the imitated company, has a number on record: that is whom to call.
    const realAnna = await db
      .selectFrom('contacts')
      .select('id')
      .where('address', '=', 'anna.schmidt@acme-trading.de')
      .executeTakeFirstOrThrow();
    await db.updateTable('contacts').set({ phone_e164: '+494012345678' }).where('id', '=', realAnna.id).execute();
    const offered = await as.agent.get<FraudResponse>(`/api/conversations/${conversationId}/fraud`);
    expect(offered.body.phoneConfirmation.callableContacts).toEqual([
      { contactId: realAnna.id, address: 'anna.schmidt@acme-trading.de', name: 'Anna Schmidt', phone: '+494012345678' },
    ]);
    expect(
      await as.auditor.post(`/api/conversations/${conversationId}/phone-confirmations`, { contactId: realAnna.id, outcome: 'denied' }),
    ).toMatchObject({ status: 403 });
    const saved = await as.agent.post<{ phone: string; outcome: string; calledBy: { name: string } }>(
      `/api/conversations/${conversationId}/phone-confirmations`,
      { contactId: realAnna.id, outcome: 'denied', note: 'Anna says she never sent it' },
    );
    expect(saved).toMatchObject({ status: 201, body: { phone: '+494012345678', outcome: 'denied', calledBy: { name: 'Lily' } } });
    // One chained audit record: who recorded it, on which conversation, the number on record; never the note.
    const audited = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'fraud.phone_confirmation_recorded')
      .where('target_id', '=', conversationId)
      .execute();
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ target_type: 'conversation', ip: '127.0.0.1' });
    expect(audited[0]?.actor_id).toBe((await db.selectFrom('users').select('id').where('name', '=', 'Lily').executeTakeFirstOrThrow()).id);
    expect(JSON.parse(audited[0]?.details ?? '{}')).toMatchObject({ contactId: realAnna.id, phone: '+494012345678', outcome: 'denied' });
    expect(audited[0]?.details).not.toContain('never sent it');
    expect((await verifyAuditChain(db)).ok).toBe(true);
    const after = await as.auditor.get<FraudResponse>(`/api/conversations/${conversationId}/fraud`);
    expect(after.body.phoneConfirmation).toMatchObject({ required: true, satisfied: true });
    expect(after.body.phoneConfirmation.confirmations).toHaveLength(1);
    expect(await phoneConfirmationRequired(db, conversationId)).toBe(false);
  });
});
