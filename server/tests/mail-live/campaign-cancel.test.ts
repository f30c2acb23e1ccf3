// Cancel at the worst moment (decision 0068), over real Postfix + Dovecot: the first campaign mail is
// inside its SMTP session — Postfix has taken it, Pier has not heard the 250 yet — when an admin
// cancels. That recipient is sent once (and counted sent); the others are never sent.
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
type Counts = { state: string; recipients: number; pending: number; sent: number; cancelled: number; uncertain: number };

describe.each(engines)('campaign cancelled mid-send on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let proxy: Awaited<ReturnType<typeof startSubmissionProxy>>;
  let admin: ApiClient;
  let campaignId = '';
  let atCancel: Counts | undefined;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    await emptyMailboxes(customer);
    // Postfix's 250 to the first mail is held until the cancel has answered.
    proxy = await startSubmissionProxy(async (): Promise<'forward'> => {
      if (proxy.accepted() !== 1) return 'forward';
      const cancelled = await admin.post<Counts>(`/api/campaigns/${campaignId}/cancel`);
      atCancel = cancelled.body;
      return 'forward';
    });
    const port = await freePort();
    pier = await startTestPier(database, { PIER_PORT: String(port), PIER_PUBLIC_URL: `http://127.0.0.1:${port}` });
    admin = pier.api();
    expect((await admin.post('/api/setup', boss)).status).toBe(201);
    await addMarketingMailbox(pier.workspace, proxy.port);
  });
  afterAll(async () => {
    await pier?.stop();
    await proxy?.close();
    await database?.drop();
  });

  it('sends the recipient claimed at cancel time once and nobody after it', async () => {
    const tag = `cancel${engine}${Date.now().toString(36)}`;
    const addresses = Array.from({ length: 5 }, (_, i) => `buyer+${tag}${i}@customer.test`);
    const imported = await admin.post<{ listId: string }>('/api/campaign-lists/import', {
      name: tag,
      csv: ['email,consent_source,consent_date', ...addresses.map((a) => `${a},Canton Fair form,2026-10-15`)].join('\n'),
    });
    const mailbox = (await admin.get<{ mailboxes: { id: string }[] }>('/api/campaigns')).body.mailboxes[0];
    // The id must be known before the worker's first mail reaches the proxy: queued for a minute on, then the clock moves.
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
    await waitFor(async () => atCancel, 'the cancel while the first mail is in its session', 30_000);
    // At the cancel: the mail in its session still counted pending, the four others cancelled.
    expect(atCancel).toMatchObject({ state: 'cancelled', pending: 1, sent: 0, cancelled: 4 });
    const done = await waitFor(async () => {
      const counts = (await admin.get<{ counts: Counts }>(`/api/campaigns/${campaignId}`)).body.counts;
      return counts.sent === 1 ? counts : undefined;
    }, 'the mail in its session to be recorded sent');
    expect(done).toMatchObject({ state: 'cancelled', recipients: 5, pending: 0, sent: 1, cancelled: 4, uncertain: 0 });
    await mailDeliveredSoFar(customer);
    const sentTo = await pier.workspace.db
      .selectFrom('campaign_recipients')
      .select('address')
      .where('campaign_id', '=', campaignId)
      .where('state', '=', 'sent')
      .execute();
    expect(await receivedAddresses(customer, tag)).toEqual(sentTo.map((r) => r.address));
    expect(proxy.accepted()).toBe(1);
  }, 90_000);
});
