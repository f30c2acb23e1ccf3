import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/modules/audit/index.js';
import { createMailbox, grantMailboxAccess } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { importMailFiles } from '../../src/modules/sync/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD as password } from '../support/users.js';
import { waitFor } from '../support/wait.js';

const history = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'fraud', 'history');
const NEW_IBAN = 'GB29 NWBK 6016 1331 9268 19';

type Fraud = { level: string; assessments: { from: string; level: string; signals: { code: string }[] }[] };

/**
 * Issue 16: an admin vouches for a party (here the known customer's new bank account, confirmed
 * out of band) and withdraws it again. Each change is audited and re-judges the conversation.
 */
describe.each(engines)('admin trust marks on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  const as = {} as Record<'admin' | 'agent' | 'auditor', ApiClient>;
  let conversationId = '';
  let lilyId = '';

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database);
    const { db } = pier.workspace;
    const mailbox = await createMailbox(db, { address: 'sales@hengda-lighting.com', displayName: 'Sales', purpose: 'sales' });
    await createAccount(db, { email: 'boss@hengda-lighting.com', name: 'Boss', password, role: 'admin' });
    const agent = await createAccount(db, { email: 'lily@hengda-lighting.com', name: 'Lily', password, role: 'agent' });
    await createAccount(db, { email: 'audit@hengda-lighting.com', name: 'Audit', password, role: 'auditor' });
    await grantMailboxAccess(db, agent.id, mailbox.id, 'reply');
    lilyId = agent.id;
    // The known customer acme-trading.de, whose invoice taught Pier its IBAN.
    const files = ['001-acme-inquiry.eml', '002-acme-our-quote.eml', '003-acme-follow-up.eml', '004-acme-invoice.eml'];
    expect(
      await importMailFiles(
        pier.workspace,
        mailbox,
        files.map((f) => path.join(history, f)),
      ),
    ).toMatchObject({ failed: 0 });
    await waitFor(async () => {
      const rows = await db.selectFrom('fraud_assessments').select('id').execute();
      return rows.length === 3 ? rows : undefined;
    }, 'the history to be assessed');

    // The real customer writes with a new account: flagged until someone confirms it.
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort ?? 0, secure: false, ignoreTLS: true });
    await smtp.sendMail({
      from: '"Anna Schmidt" <anna.schmidt@acme-trading.de>',
      to: 'sales@hengda-lighting.com',
      subject: 'Deposit for order 2026-118',
      text: `Hello Lily,\n\nplease pay the deposit for order 2026-118 to:\nIBAN: ${NEW_IBAN}\n\nThanks\nAnna`,
    });
    smtp.close();
    const row = await waitFor(
      () =>
        db
          .selectFrom('fraud_assessments')
          .innerJoin('messages', 'messages.id', 'fraud_assessments.message_id')
          .where('messages.subject', '=', 'Deposit for order 2026-118')
          .select(['fraud_assessments.conversation_id', 'fraud_assessments.signals'])
          .executeTakeFirst(),
      'the new-account mail to be assessed',
    );
    conversationId = row.conversation_id;
    expect(row.signals).toContain('new_bank_details');
    for (const [who, email] of [
      ['admin', 'boss@hengda-lighting.com'],
      ['agent', 'lily@hengda-lighting.com'],
      ['auditor', 'audit@hengda-lighting.com'],
    ] as const) {
      as[who] = pier.api();
      expect((await as[who].post('/api/auth/login', { email, password })).status).toBe(200);
    }
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  const codes = async () => {
    const res = await as.agent.get<Fraud>(`/api/conversations/${conversationId}/fraud`);
    return res.body.assessments.flatMap((a) => a.signals.map((s) => s.code));
  };

  it('lets only admins mark, with a clear message for what it cannot read', async () => {
    const input = { kind: 'bank_account', value: NEW_IBAN, companyDomain: 'acme-trading.de', reason: 'confirmed by phone' };
    const denied = await as.agent.post('/api/fraud/trusted-parties', input);
    expect(denied).toMatchObject({ status: 403, body: { error: { code: 'auth.forbidden' } } });
    expect(JSON.stringify(denied.body)).not.toContain('GB29');
    expect(await as.admin.post('/api/fraud/trusted-parties', { ...input, value: 'GB29 NWBK 6016 1331 9268 18' })).toMatchObject({
      status: 400,
      body: { error: { code: 'fraud.party_invalid', message: expect.stringContaining('IBAN') } },
    });
    expect(await as.admin.post('/api/fraud/trusted-parties', { ...input, companyDomain: undefined })).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringContaining('companyDomain') } },
    });
    expect((await as.admin.post('/api/fraud/trusted-parties', { kind: 'phone', value: '12', reason: 'x' })).status).toBe(400);
    // A free-mail domain is shared by strangers: only one of its addresses can be trusted.
    expect(await as.admin.post('/api/fraud/trusted-parties', { kind: 'domain', value: 'gmail.com', reason: 'our agent' })).toMatchObject({
      status: 400,
      body: { error: { code: 'fraud.party_free_mail' } },
    });
    // A domain is kept as its registrable domain, and marked once.
    const domain = { kind: 'domain', value: 'Mail.Globex-Trading.COM', reason: 'our new forwarder' };
    expect(await as.admin.post('/api/fraud/trusted-parties', domain)).toMatchObject({ status: 201, body: { value: 'globex-trading.com' } });
    expect((await as.admin.post('/api/fraud/trusted-parties', domain)).status).toBe(409);
  });

  it('marks the account trusted: audited, and the conversation is judged again', async () => {
    const res = await as.admin.post<{ id: string; value: string; source: string; decidedBy: string }>('/api/fraud/trusted-parties', {
      kind: 'bank_account',
      value: NEW_IBAN,
      companyDomain: 'acme-trading.de',
      reason: 'confirmed by phone with Anna on the number on record',
    });
    expect(res).toMatchObject({
      status: 201,
      body: { value: 'GB29NWBK60161331926819', source: 'admin', decidedBy: 'Boss', revokedAt: null },
    });
    expect(await codes()).not.toContain('new_bank_details');
    expect(
      await as.admin.post('/api/fraud/trusted-parties', {
        kind: 'bank_account',
        value: NEW_IBAN,
        companyDomain: 'acme-trading.de',
        reason: 'again',
      }),
    ).toMatchObject({ status: 409, body: { error: { code: 'fraud.party_already_trusted' } } });

    const { db } = pier.workspace;
    const audit = await db
      .selectFrom('audit_log')
      .where('action', '=', 'fraud.party_trusted')
      .where('target_id', '=', res.body.id)
      .select(['target_id', 'details'])
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]?.details ?? '{}')).toMatchObject({ kind: 'bank_account', companyDomain: 'acme-trading.de' });

    // Revoked: the account is new again, the list keeps who did what, and Lily, who has the
    // conversation, hears of the new flag (a `fraud_flag` notice, pushed as "fraud").
    expect((await as.admin.post(`/api/conversations/${conversationId}/assign`, { assigneeId: lilyId })).status).toBe(200);
    expect(await as.agent.post(`/api/fraud/trusted-parties/${res.body.id}/revoke`, { reason: 'mistake' })).toMatchObject({ status: 403 });
    expect(
      (await as.admin.post(`/api/fraud/trusted-parties/${res.body.id}/revoke`, { reason: 'the call was to a wrong number' })).status,
    ).toBe(204);
    expect(await as.admin.post(`/api/fraud/trusted-parties/${res.body.id}/revoke`, { reason: 'twice' })).toMatchObject({
      status: 409,
      body: { error: { code: 'fraud.party_already_revoked' } },
    });
    expect(await codes()).toContain('new_bank_details');
    const notices = await as.agent.get<{ items: { kind: string; data: Record<string, unknown> }[] }>('/api/notifications');
    expect(notices.body.items.filter((n) => n.kind === 'fraud_flag')).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ conversationId, level: 'warn' }) }),
    ]);
    const list = await as.auditor.get<{ items: { id: string; revokedBy: string; revokeReason: string }[] }>('/api/fraud/trusted-parties');
    expect(list.body.items.find((p) => p.id === res.body.id)).toMatchObject({
      revokedBy: 'Boss',
      revokeReason: 'the call was to a wrong number',
    });
    expect(await db.selectFrom('audit_log').where('action', '=', 'fraud.party_trust_revoked').select('id').execute()).toHaveLength(1);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });
});
