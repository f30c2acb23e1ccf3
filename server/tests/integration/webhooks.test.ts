import { WEBHOOK_SIGNATURE_HEADER } from '@pier/contracts';
import nodemailer from 'nodemailer';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHostGuard, grantMailboxAccess } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { verifyWebhookSignature, webhookJobHandlers } from '../../src/modules/webhooks/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD } from '../support/users.js';
import { waitFor } from '../support/wait.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';
import { addTestImapMailbox } from '../support/workspace.js';

/** Waits for a condition (the worker runs on its own). */
const until = (condition: () => boolean | Promise<boolean>, timeoutMs: number) =>
  waitFor(async () => ((await condition()) ? true : undefined), 'the webhook condition', timeoutMs);

type Delivery = { id: string; event: string; state: string; attempts: number; responseCode: number | null; error: string | null };

/**
 * Webhooks (issue 19, decision 0049) against a local HTTP receiver: signed deliveries of real
 * events (mail in, assignment, a real send through the bench's Postfix), retries with the queue's
 * backoff on the movable clock, the delivery log, redelivery by hand, and the connection guard.
 */
describe.each(engines)('webhooks on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let admin: ReturnType<typeof pier.api>;
  let mailboxId = '';
  let agentId = '';
  const hooks: Record<string, { id: string; secret: string }> = {};

  const bodies = (path: string) =>
    receiver.received
      .filter((r) => r.path === path)
      .map((r) => JSON.parse(r.body) as { id: string; event: string; data: Record<string, unknown> });

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database);
    receiver = await startWebhookReceiver();
    const { db } = pier.workspace;
    await createAccount(db, { email: 'admin@acme.test', name: 'Admin', password: TEST_PASSWORD, role: 'admin' });
    agentId = (await createAccount(db, { email: 'agent@acme.test', name: 'Agent', password: TEST_PASSWORD, role: 'agent' })).id;
    mailboxId = (await addTestImapMailbox(pier.workspace, 'support@acme.test')).id;
    await grantMailboxAccess(db, agentId, mailboxId, 'reply');
    admin = pier.api();
    expect((await admin.post('/api/auth/login', { email: 'admin@acme.test', password: TEST_PASSWORD })).status).toBe(200);
  });
  afterAll(async () => {
    await pier?.stop();
    await receiver?.close();
    await database?.drop();
  });

  it('creates hooks (secret shown on creation), and delivers signed events of mail that arrives', async () => {
    const made = await admin.post<{ id: string; secret: string; events: string[] }>('/api/webhooks', {
      name: 'CRM',
      url: receiver.url('/crm'),
      events: ['conversation.created', 'message.received', 'contact.created', 'conversation.assigned', 'message.sent'],
    });
    expect(made.status).toBe(201);
    expect(made.body.secret).toMatch(/^whsec_/);
    hooks.crm = { id: made.body.id, secret: made.body.secret };
    const listed = await admin.get<{ webhooks: Record<string, unknown>[] }>('/api/webhooks');
    expect(JSON.stringify(listed.body)).not.toContain(made.body.secret);

    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort ?? 0, secure: false, ignoreTLS: true });
    // A sender new to this workspace (the bench's mailbox may hold older mail from buyer@customer.test).
    await smtp.sendMail({
      from: `new-${Math.random().toString(36).slice(2)}@customer.test`,
      to: 'support@acme.test',
      subject: 'RFQ SECRET-BODY',
      text: 'SECRET-BODY text',
    });
    smtp.close();
    await until(
      () => ['conversation.created', 'message.received', 'contact.created'].every((e) => bodies('/crm').some((b) => b.event === e)),
      20_000,
    ).catch((error) => {
      throw new Error(`${error}: received ${JSON.stringify(bodies('/crm').map((b) => b.event))}`);
    });
    for (const hit of receiver.received.filter((r) => r.path === '/crm')) {
      const header = String(hit.headers[WEBHOOK_SIGNATURE_HEADER]);
      expect(verifyWebhookSignature(hooks.crm.secret, hit.body, header, pier.clock.now())).toBe(true);
      expect(hit.headers['pier-event']).toBe((JSON.parse(hit.body) as { event: string }).event);
      // Ids and states, never the mail's content.
      expect(hit.body).not.toContain('SECRET-BODY');
    }
    // The bench's support@ may hold older mail the sync also announces: find this mail's event by its id.
    const stored = await pier.workspace.db.selectFrom('messages').select('id').where('subject', '=', 'RFQ SECRET-BODY').execute();
    expect(stored).toHaveLength(1);
    const received = bodies('/crm').find((b) => b.event === 'message.received' && b.data.messageId === stored[0]?.id);
    const created = bodies('/crm').find((b) => b.event === 'conversation.created' && b.data.messageId === received?.data.messageId);
    expect(received?.data).toMatchObject({ mailboxId, source: 'smtp' });
    expect(created?.data.conversationId).toBe(received?.data.conversationId);
  }, 60_000);

  it('tells of an assignment, and of a reply when the relay accepted it, not when it was queued', async () => {
    const conversationId = String(bodies('/crm').find((b) => b.event === 'message.received')?.data.conversationId);
    expect((await admin.post(`/api/conversations/${conversationId}/assign`, { assigneeId: agentId })).status).toBe(200);
    await until(() => bodies('/crm').some((b) => b.event === 'conversation.assigned'), 20_000);
    expect(bodies('/crm').find((b) => b.event === 'conversation.assigned')?.data).toMatchObject({ conversationId, assigneeId: agentId });

    await admin.put('/api/outbox/preferences', { undoSeconds: 30, title: '' });
    const sent = await admin.post<{ id: string }>('/api/outbox', {
      mailboxId,
      mode: 'new',
      to: ['buyer@customer.test'],
      subject: 'Quote',
      html: '<p>Here is the quote.</p>',
    });
    expect(sent.status).toBeLessThan(300);
    // Queued, inside the undo window: no message.sent delivery exists yet.
    const queued = await pier.workspace.db.selectFrom('webhook_deliveries').select('id').where('event', '=', 'message.sent').execute();
    expect(queued).toEqual([]);
    pier.clock.advance(31_000);
    await until(() => bodies('/crm').some((b) => b.event === 'message.sent'), 30_000);
    const row = await pier.workspace.db
      .selectFrom('outbox_messages')
      .select(['state', 'sent_at'])
      .where('id', '=', sent.body.id)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe('sent');
    expect(bodies('/crm').find((b) => b.event === 'message.sent')?.data).toMatchObject({
      outboxId: sent.body.id,
      sentAt: Number(row.sent_at),
    });
  }, 90_000);

  it('retries a failing receiver with backoff, logs each answer, and redelivers by hand', async () => {
    receiver.answerWith((path) => (path === '/flaky' ? 503 : 200));
    const made = await admin.post<{ id: string; secret: string }>('/api/webhooks', {
      name: 'Flaky',
      url: receiver.url('/flaky'),
      events: ['conversation.assigned'],
    });
    hooks.flaky = { id: made.body.id, secret: made.body.secret };
    const conversationId = String(bodies('/crm').find((b) => b.event === 'message.received')?.data.conversationId);
    await admin.post(`/api/conversations/${conversationId}/assign`, { assigneeId: null });
    const log = async () => (await admin.get<{ deliveries: Delivery[] }>(`/api/webhooks/${hooks.flaky?.id}/deliveries`)).body.deliveries;
    await until(async () => (await log())[0]?.attempts === 1, 20_000);
    expect((await log())[0]).toMatchObject({ state: 'pending', responseCode: 503, error: 'answered HTTP 503' });
    expect(JSON.stringify(await log())).not.toContain('receiver text');
    // The queue waits before the second try; moving the clock past the backoff brings it.
    pier.clock.advance(5_000);
    await until(async () => (await log())[0]?.attempts === 2, 20_000);
    receiver.answerWith(() => 200);
    pier.clock.advance(10_000);
    await until(async () => (await log())[0]?.state === 'delivered', 20_000);
    expect((await log())[0]).toMatchObject({ attempts: 3, responseCode: 200, error: null });
    const first = (await log())[0] as Delivery;
    const before = receiver.received.filter((r) => r.path === '/flaky').length;
    const again = await admin.post<Delivery>(`/api/webhooks/${hooks.flaky?.id}/deliveries/${first.id}/redeliver`);
    expect(again.status).toBe(202);
    await until(() => receiver.received.filter((r) => r.path === '/flaky').length === before + 1, 20_000);
    const flaky = receiver.received.filter((r) => r.path === '/flaky');
    expect(flaky.at(-1)?.body).toBe(flaky.at(-2)?.body);
    expect((await log()).length).toBe(2);
  }, 90_000);

  it('keeps to the outbound connection guard: a delivery to a refused address is not sent and says why', async () => {
    // This Pier allows private hosts (the bench is on loopback); the job with the default guard refuses them.
    const [job] = webhookJobHandlers({
      db: pier.workspace.db,
      secrets: pier.workspace.secrets,
      hosts: createHostGuard([]),
      clock: pier.clock,
      logger: pino({ level: 'silent' }),
    });
    const hook = await admin.post<{ id: string }>('/api/webhooks', {
      name: 'Inside',
      url: receiver.url('/inside'),
      events: ['sla.breached'],
    });
    await admin.put(`/api/webhooks/${hooks.crm?.id}`, {
      name: 'CRM',
      url: receiver.url('/crm'),
      events: ['conversation.created'],
      enabled: false,
    });
    await admin.put(`/api/webhooks/${hooks.flaky?.id}`, {
      name: 'Flaky',
      url: receiver.url('/flaky'),
      events: ['conversation.assigned'],
      enabled: false,
    });
    // A delivery row without a queued job (so the test Pier's own worker does not send it), tried by the guarded job.
    const row = { id: `guard-${engine}` };
    await pier.workspace.db
      .insertInto('webhook_deliveries')
      .values({
        id: row.id,
        webhook_id: hook.body.id,
        event: 'sla.breached',
        body: '{"event":"sla.breached"}',
        state: 'pending',
        attempts: 0,
        response_code: null,
        error: null,
        created_at: Date.now(),
        last_attempt_at: null,
        redelivery_of: null,
      })
      .execute();
    const before = receiver.received.filter((r) => r.path === '/inside').length;
    await expect(job?.run({ deliveryId: row.id })).rejects.toThrow();
    const after = await pier.workspace.db.selectFrom('webhook_deliveries').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(after.error).toBe('the URL is on a private or reserved network');
    expect(receiver.received.filter((r) => r.path === '/inside').length).toBe(before);
    // Only admins, and never with a token.
    const agent = pier.api();
    await agent.post('/api/auth/login', { email: 'agent@acme.test', password: TEST_PASSWORD });
    expect((await agent.get('/api/webhooks')).status).toBe(403);
  }, 60_000);
});
