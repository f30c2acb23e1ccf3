// Fraud gates on closing and sending (issue 5, ADR 0015), through the API of a whole Pier (HTTP,
// SMTP listener, worker) sending through the real Postfix to the real Dovecot.
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailboxRow } from '../../src/db/schema.js';
import { enqueueJob } from '../../src/jobs/queue.js';
import { grantMailboxAccess } from '../../src/modules/mailboxes/index.js';
import { saveSendPreferences } from '../../src/modules/outbox/settings.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { emptyMailboxes } from '../support/mail-server.js';
import { findMail, waitForMail } from '../support/outbox.js';
import { startTestPier } from '../support/pier.js';
import { ageStepUp } from '../support/step-up.js';
import { nextCode } from '../support/two-factor.js';
import { TEST_PASSWORD as password } from '../support/users.js';
import { waitFor } from '../support/wait.js';
import { addTestImapMailbox } from '../support/workspace.js';

const customer = 'buyer2@customer.test';
const token = () => `G${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const IBAN_REPLY = '<p>Dear Maria,</p><p>Please pay to our account: IBAN DE89 3704 0044 0532 0130 00, BIC COBADEFFXXX.</p>';
const PLAIN_REPLY = '<p>Dear Maria,</p><p>Thank you, we will check and come back to you.</p>';

describe.each(engines)('fraud gates on closing and sending on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let support: MailboxRow;
  const as = {} as Record<'lily' | 'tom' | 'admin' | 'auditor', ApiClient>;
  const userIds = {} as Record<'lily' | 'tom' | 'admin' | 'auditor', string>;
  const emails = {
    lily: `lily.${engine}@acme.test`,
    tom: `tom.${engine}@acme.test`,
    admin: `boss.${engine}@acme.test`,
    auditor: `audit.${engine}@acme.test`,
  };

  /** The customer writes to support@ through Pier's SMTP listener; returns the conversation once fraud.assess has run. */
  async function customerWrites(subject: string, text: string): Promise<string> {
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort ?? 0, secure: false, ignoreTLS: true });
    await smtp.sendMail({ from: `"Maria Gonzalez" <${customer}>`, to: 'support@acme.test', subject, text });
    smtp.close();
    const row = await waitFor(
      () =>
        pier.workspace.db
          .selectFrom('fraud_assessments')
          .innerJoin('messages', 'messages.id', 'fraud_assessments.message_id')
          .where('messages.subject', '=', subject)
          .select('fraud_assessments.conversation_id')
          .executeTakeFirst(),
      `the assessment of "${subject}"`,
    );
    return row.conversation_id;
  }

  function reply(client: ApiClient, conversationId: string, subject: string, html: string) {
    return client.post<{ id: string; state: string; error?: { code: string } }>('/api/outbox', {
      mailboxId: support.id,
      mode: 'reply',
      conversationId,
      to: [customer],
      subject: `Re: ${subject}`,
      html,
      force: true,
    });
  }

  /**
   * A plain reply queued now, with the clock moved past its undo window, reaches the customer: once it has
   * arrived, the worker has gone past every send that was due before it. Stands in for a sleep before
   * asserting that something did NOT leave.
   */
  async function workerPassesUndoWindow(conversationId: string) {
    const later = `Later ${token()}`;
    expect((await reply(as.lily, conversationId, later, PLAIN_REPLY)).body.state).toBe('scheduled');
    pier.clock.advance(10_000);
    await waitForMail(customer, 'INBOX', later);
  }

  const outboxState = async (id: string) =>
    (await pier.workspace.db.selectFrom('outbox_messages').select('state').where('id', '=', id).executeTakeFirstOrThrow()).state;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database);
    const { db } = pier.workspace;
    await emptyMailboxes('support@acme.test');
    await emptyMailboxes(customer);
    support = await addTestImapMailbox(pier.workspace, 'support@acme.test');
    for (const who of ['lily', 'tom', 'admin', 'auditor'] as const) {
      const role = who === 'admin' ? 'admin' : who === 'auditor' ? 'auditor' : 'agent';
      userIds[who] = (await createAccount(db, { email: emails[who], name: who, password, role })).id;
      if (who !== 'admin') await grantMailboxAccess(db, userIds[who], support.id, who === 'auditor' ? 'read' : 'reply');
      // The shortest undo window: unapproved mail would have left after it.
      await saveSendPreferences(db, userIds[who], { undoSeconds: 5, title: '' });
      as[who] = pier.api();
      expect((await as[who].post('/api/auth/login', { email: emails[who], password })).status).toBe(200);
    }
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  it('a flagged conversation is neither closed nor answered with payment details before a phone confirmation', async () => {
    const subject = `Bank change ${token()}`;
    const conversationId = await customerWrites(
      subject,
      'Dear Lily,\n\nour bank account has changed. Please pay the open invoice to our new account:\nIBAN: GB29 NWBK 6016 1331 9268 19\n\nMaria',
    );
    const fraud = await as.lily.get<{ phoneConfirmation: { required: boolean; satisfied: boolean } }>(
      `/api/conversations/${conversationId}/fraud`,
    );
    expect(fraud.body.phoneConfirmation).toMatchObject({ required: true, satisfied: false });

    // Closing is refused, with the code the web app translates.
    expect(await as.lily.post(`/api/conversations/${conversationId}/status`, { status: 'closed' })).toMatchObject({
      status: 409,
      body: { error: { code: 'fraud.phone_confirmation_required', details: { action: 'close' } } },
    });
    // Other status changes are not gated.
    expect((await as.lily.post(`/api/conversations/${conversationId}/status`, { status: 'pending' })).status).toBe(200);
    // A reply with bank details is refused and nothing is stored or queued; a reply without them goes.
    expect(await reply(as.lily, conversationId, subject, IBAN_REPLY)).toMatchObject({
      status: 409,
      body: { error: { code: 'fraud.phone_confirmation_required', details: { action: 'reply' } } },
    });
    const queued = await pier.workspace.db
      .selectFrom('outbox_messages')
      .select('id')
      .where('conversation_id', '=', conversationId)
      .execute();
    expect(queued).toEqual([]);
    expect((await reply(as.lily, conversationId, subject, PLAIN_REPLY)).status).toBe(202);

    // Lily records the number from a trusted source and the call; then both are allowed.
    const contacts = await as.lily.get<{ items: { contactId: string; address: string; phone: string | null }[] }>(
      `/api/conversations/${conversationId}/contacts`,
    );
    const maria = contacts.body.items.find((c) => c.address === customer);
    expect(maria).toMatchObject({ phone: null });
    expect(await as.lily.put(`/api/contacts/${maria?.contactId}/phone`, { phone: '12345' })).toMatchObject({
      status: 400,
      body: { error: { code: 'fraud.phone_invalid' } },
    });
    expect(await as.lily.put(`/api/contacts/${maria?.contactId}/phone`, { phone: '912 345 678', defaultCountry: 'ES' })).toMatchObject({
      status: 200,
      body: { phone: '+34912345678' },
    });
    const audit = await pier.workspace.db
      .selectFrom('audit_log')
      .select(['details', 'actor_id'])
      .where('action', '=', 'contact.phone_changed')
      .execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]?.details ?? '{}')).toMatchObject({
      address: customer,
      from: null,
      to: '+34912345678',
      flaggedCompany: true,
    });
    expect(audit[0]?.actor_id).toBe(userIds.lily);
    // The company was flagged: the admin hears of the changed number.
    const adminNotes = await as.admin.get<{ items: { kind: string }[] }>('/api/notifications');
    expect(adminNotes.body.items.map((n) => n.kind)).toContain('flagged_phone_changed');

    expect(
      (
        await as.lily.post(`/api/conversations/${conversationId}/phone-confirmations`, {
          contactId: maria?.contactId,
          outcome: 'confirmed',
        })
      ).status,
    ).toBe(201);
    expect((await reply(as.lily, conversationId, subject, IBAN_REPLY)).status).toBe(202);
    expect((await as.lily.post(`/api/conversations/${conversationId}/status`, { status: 'closed' })).status).toBe(200);
  });

  it('the second-approver rule is an admin setting behind step-up, and audited', async () => {
    const url = `/api/mailboxes/${support.id}/fraud-settings`;
    expect(await as.lily.get(url)).toMatchObject({ status: 200, body: { secondApprover: false } });
    expect((await as.lily.put(url, { secondApprover: true })).status).toBe(403);
    await ageStepUp(pier.workspace.db, userIds.admin);
    expect(await as.admin.put(url, { secondApprover: true })).toMatchObject({
      status: 403,
      body: { error: { code: 'auth.step_up_required' } },
    });
    expect((await as.admin.post('/api/auth/step-up', { password, code: nextCode(pier.url, emails.admin) })).status).toBe(204);
    expect(await as.admin.put(url, { secondApprover: true })).toMatchObject({ status: 200, body: { secondApprover: true } });
    const audit = await pier.workspace.db
      .selectFrom('audit_log')
      .select(['actor_id', 'mailbox_id', 'details'])
      .where('action', '=', 'mailbox.second_approver_changed')
      .execute();
    expect(audit).toMatchObject([{ actor_id: userIds.admin, mailbox_id: support.id }]);
    expect(JSON.parse(audit[0]?.details ?? '{}')).toMatchObject({ from: false, to: true });
  });

  it('mail with payment details waits for a colleague: the author cannot approve it, unapproved it never reaches the customer, approved it is sent once', async () => {
    const subject = `Proforma ${token()}`;
    const conversationId = await customerWrites(subject, 'Dear team, please send the proforma invoice for 500 pcs.');
    const sent = await reply(as.lily, conversationId, subject, IBAN_REPLY);
    expect(sent).toMatchObject({ status: 202, body: { state: 'awaiting_approval' } });
    const outboxId = sent.body.id;

    // The colleagues who may approve are told; the author and the auditor are not.
    const tomNotes = await as.tom.get<{ items: { kind: string; data: { outboxId?: string } }[] }>('/api/notifications');
    expect(tomNotes.body.items.filter((n) => n.kind === 'approval_requested').map((n) => n.data.outboxId)).toContain(outboxId);
    for (const who of ['lily', 'auditor'] as const) {
      const notes = await as[who].get<{ items: { kind: string }[] }>('/api/notifications');
      expect(notes.body.items.map((n) => n.kind)).not.toContain('approval_requested');
    }

    // The author may not approve her own mail, the auditor may not approve at all.
    expect(await as.lily.post(`/api/outbox/${outboxId}/approval`, { decision: 'approve' })).toMatchObject({
      status: 403,
      body: { error: { code: 'fraud.approver_is_author' } },
    });
    expect((await as.auditor.post(`/api/outbox/${outboxId}/approval`, { decision: 'approve' })).status).toBe(403);
    const pending = await as.tom.get<{ items: { outboxId: string; state: string; reasons: string[]; canDecide: boolean }[] }>(
      `/api/conversations/${conversationId}/approvals`,
    );
    expect(pending.body.items).toEqual([
      expect.objectContaining({ outboxId, state: 'awaiting_approval', reasons: ['payment_details'], canDecide: true }),
    ]);
    const asAuthor = await as.lily.get<{ items: { canDecide: boolean }[] }>(`/api/conversations/${conversationId}/approvals`);
    expect(asAuthor.body.items[0]?.canDecide).toBe(false);

    // Past the undo window (5 s) with the worker running: nothing left, nothing reached Dovecot.
    await workerPassesUndoWindow(conversationId);
    expect(await outboxState(outboxId)).toBe('awaiting_approval');
    expect(await findMail(customer, 'INBOX', subject)).toHaveLength(0);

    // Tom approves: it leaves once; a second decision changes nothing.
    expect((await as.tom.post(`/api/outbox/${outboxId}/approval`, { decision: 'approve', note: 'checked with Maria' })).status).toBe(204);
    expect(await as.admin.post(`/api/outbox/${outboxId}/approval`, { decision: 'reject' })).toMatchObject({
      status: 409,
      body: { error: { code: 'outbox.invalid_state' } },
    });
    await waitFor(async () => ((await outboxState(outboxId)) === 'sent' ? true : undefined), 'the approved mail to be sent');
    const received = await waitForMail(customer, 'INBOX', subject);
    expect(received).toHaveLength(1);
    expect(received[0]?.parsed.text).toContain('DE89 3704 0044 0532 0130 00');
    const decisions = await pier.workspace.db
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('target_id', '=', outboxId)
      .orderBy('seq')
      .execute();
    expect(decisions).toEqual([
      { action: 'outbox.approval_requested', actor_id: userIds.lily },
      { action: 'outbox.approved', actor_id: userIds.tom },
    ]);
    const lilyNotes = await as.lily.get<{ items: { kind: string }[] }>('/api/notifications');
    expect(lilyNotes.body.items.map((n) => n.kind)).toContain('approval_granted');
    // Still exactly one copy once the worker has gone past it again (no second send).
    await workerPassesUndoWindow(conversationId);
    expect(await findMail(customer, 'INBOX', subject)).toHaveLength(1);
  });

  it('a rejected mail, a bill of lading and a mail forced past its state without approval never leave (fail closed)', async () => {
    const subject = `Shipment ${token()}`;
    const conversationId = await customerWrites(subject, 'Please send the shipping documents.');
    const upload = await as.lily.request<{ id: string }>('POST', '/api/outbox/uploads?filename=OBL-HLCU123456.pdf&mime=application/pdf', {
      rawBody: '%PDF-1.4 bill of lading',
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(upload.status).toBe(201);
    const withBl = await as.lily.post<{ id: string; state: string }>('/api/outbox', {
      mailboxId: support.id,
      mode: 'reply',
      conversationId,
      to: [customer],
      subject: `Re: ${subject} B/L`,
      html: '<p>Attached the original bill of lading.</p>',
      uploadIds: [upload.body.id],
      force: true,
    });
    expect(withBl).toMatchObject({ status: 202, body: { state: 'awaiting_approval' } });
    expect((await as.tom.post(`/api/outbox/${withBl.body.id}/approval`, { decision: 'reject', note: 'not paid yet' })).status).toBe(204);
    expect(await outboxState(withBl.body.id)).toBe('rejected');

    // A bug (or a hand-edited row) that schedules an unapproved mail: the send job refuses it.
    const forced = await reply(as.lily, conversationId, `${subject} forced`, IBAN_REPLY);
    expect(forced.body.state).toBe('awaiting_approval');
    await pier.workspace.db
      .updateTable('outbox_messages')
      .set({ state: 'scheduled', send_after: Date.now() - 1 })
      .where('id', '=', forced.body.id)
      .execute();
    await enqueueJob(pier.workspace.db, {
      name: 'outbox.send',
      payload: { outboxId: forced.body.id },
      dedupeKey: `forced-${forced.body.id}`,
    });
    await waitFor(async () => ((await outboxState(forced.body.id)) === 'failed' ? true : undefined), 'the send job to refuse');
    const row = await pier.workspace.db
      .selectFrom('outbox_messages')
      .select('error_code')
      .where('id', '=', forced.body.id)
      .executeTakeFirst();
    expect(row?.error_code).toBe('outbox.approval_missing');
    await workerPassesUndoWindow(conversationId);
    expect(await findMail(customer, 'INBOX', subject)).toHaveLength(0);
  });
});
