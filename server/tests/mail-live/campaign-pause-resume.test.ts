// A resume right after a pause (decision 0072), over real Postfix + Dovecot: the first campaign mail
// is inside its SMTP session — Postfix has taken it, Pier has not heard the 250 yet — when an admin
// pauses and resumes. The resume's run starts beside the first (two job slots) and sends the rest;
// the mail in the session must end counted sent (it was), not uncertain, and nobody gets two.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMarketingMailbox, freePort, receivedAddresses } from '../support/campaigns.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { emptyMailboxes } from '../support/mail-server.js';
import { mailDeliveredSoFar, startSubmissionProxy } from '../support/outbox.js';
import { startTestPier } from '../support/pier.js';
import { waitFor } from '../support/wait.js';

const customer = 'buyer@customer.test';
const boss = { email: 'boss@acme.test', name: 'Boss', password: 'correct horse battery staple' };
type Counts = { state: string; recipients: number; pending: number; sent: number; uncertain: number };

describe.each(engines)('campaign paused and resumed mid-mail on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let proxy: Awaited<ReturnType<typeof startSubmissionProxy>>;
  let admin: ApiClient;
  let campaignId = '';
  let whileHeld: { others: number; first: string | undefined } | undefined;

  const states = async () =>
    pier.workspace.db
      .selectFrom('campaign_recipients')
      .select(['address', 'state'])
      .where('campaign_id', '=', campaignId)
      .orderBy('address')
      .execute();

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    await emptyMailboxes(customer);
    // Postfix's 250 to the first mail is held while the admin pauses and resumes and the resume's run sends the others.
    proxy = await startSubmissionProxy(async (message): Promise<'forward'> => {
      if (proxy.accepted() !== 1) return 'forward';
      const first = /^To: (\S+)/m.exec(message)?.[1];
      expect((await admin.post<Counts>(`/api/campaigns/${campaignId}/pause`)).status).toBe(200);
      expect((await admin.post<Counts>(`/api/campaigns/${campaignId}/resume`)).status).toBe(200);
      const others = await waitFor(async () => {
        const rows = await states();
        const sent = rows.filter((r) => r.state === 'sent').length;
        return sent === 4 ? sent : undefined;
      }, 'the resumed run to send the four others');
      whileHeld = { others, first };
      return 'forward';
    });
    const port = await freePort();
    // Two job slots on both engines: the resume's run starts while the first is still in its session.
    pier = await startTestPier(database, {
      PIER_PORT: String(port),
      PIER_PUBLIC_URL: `http://127.0.0.1:${port}`,
      PIER_JOB_CONCURRENCY: '2',
    });
    admin = pier.api();
    expect((await admin.post('/api/setup', boss)).status).toBe(201);
    await addMarketingMailbox(pier.workspace, proxy.port);
  });
  afterAll(async () => {
    await pier?.stop();
    await proxy?.close();
    await database?.drop();
  });

  it('counts the mail in its session as sent, sends the others once, and finishes', async () => {
    const tag = `resume${engine}${Date.now().toString(36)}`;
    const addresses = Array.from({ length: 5 }, (_, i) => `buyer+${tag}${i}@customer.test`);
    const imported = await admin.post<{ listId: string }>('/api/campaign-lists/import', {
      name: tag,
      csv: ['email,consent_source,consent_date', ...addresses.map((a) => `${a},Canton Fair form,2026-10-15`)].join('\n'),
    });
    const mailbox = (await admin.get<{ mailboxes: { id: string }[] }>('/api/campaigns')).body.mailboxes[0];
    const queued = await admin.post<{ campaign: string; recipients: number }>('/api/campaigns', {
      mailboxId: mailbox?.id,
      listId: imported.body.listId,
      subject: `${tag} spring news`,
      html: '<p>Hi</p><p><a href="{{unsubscribe_url}}">Unsubscribe</a></p>',
      text: 'Hi',
      ratePerMinute: 60,
      sendAt: pier.clock.now() + 60_000,
    });
    expect(queued.body.recipients).toBe(5);
    campaignId = queued.body.campaign;
    pier.clock.advance(61_000);
    await waitFor(async () => whileHeld, 'the pause and resume while the first mail is in its session', 60_000);
    expect(whileHeld?.others).toBe(4);
    const done = await waitFor(async () => {
      const counts = (await admin.get<{ counts: Counts }>(`/api/campaigns/${campaignId}`)).body.counts;
      return counts.state === 'done' ? counts : undefined;
    }, 'the campaign to finish');
    // Before the fix the resume's run marked the first mail uncertain: sent 4, uncertain 1.
    expect(done).toMatchObject({ state: 'done', recipients: 5, pending: 0, sent: 5, uncertain: 0 });
    expect((await states()).every((r) => r.state === 'sent')).toBe(true);
    await mailDeliveredSoFar(customer);
    const received = await receivedAddresses(customer, tag);
    expect(received.sort()).toEqual([...addresses].sort());
    expect(proxy.accepted()).toBe(5);
  }, 120_000);
});
