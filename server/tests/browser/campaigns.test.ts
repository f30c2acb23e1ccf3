// Settings → Campaigns as an admin sees it, in English at 1440 px and in Chinese at 390 px: a campaign
// sent over the bench's Postfix with its counts (the state on one line), the lists, a suppressed
// address, a segment built with its live count and saved; then a customer's reply to the campaign,
// synced from Dovecot, shown in the conversation view with the campaign it answers. Screenshots in
// test-output/screenshots/ (look at them).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignCounts, importListCsv, queueCampaign, suppressAddress } from '../../src/modules/campaigns/index.js';
import { launchChromium, signInInBrowser } from '../support/browser.js';
import { addMarketingMailbox, freePort, NEWSLETTER } from '../support/campaigns.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { deliver, emptyMailboxes } from '../support/mail-server.js';
import { startTestPier } from '../support/pier.js';
import { waitFor } from '../support/wait.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const boss = { email: 'boss@acme.test', name: 'Boss', password: 'correct horse battery staple' };

describe('campaigns page', () => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let browser: Browser;
  const tag = `ui${Date.now().toString(36)}`;
  const replier = `buyer+${tag}1@customer.test`;
  let replyConversation = '';

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    database = await createTestDatabase('sqlite');
    await emptyMailboxes(NEWSLETTER);
    const port = await freePort();
    pier = await startTestPier(database, { PIER_PORT: String(port), PIER_PUBLIC_URL: `http://127.0.0.1:${port}` });
    expect((await pier.api().post('/api/setup', boss)).status).toBe(201);
    const { db } = pier.workspace;
    const mailbox = await addMarketingMailbox(pier.workspace);
    pier.rescanMailboxes();
    const csv = [
      'email,name,company',
      `buyer+${tag}1@customer.test,Anna,Berlin Lights GmbH`,
      `buyer+${tag}2@customer.test,王伟,深圳光电`,
    ].join('\n');
    await importListCsv(db, {
      name: 'Canton Fair 2026',
      csv,
      consentSource: 'Fair form',
      consentDate: '2026-10-15',
      actorId: null,
      now: Date.now(),
    });
    await suppressAddress(db, { address: 'former@customer.test', reason: 'unsubscribed', campaignId: null, detail: null, now: Date.now() });
    const queued = await queueCampaign(db, {
      mailbox,
      list: { name: 'Canton Fair 2026' },
      subject: `New LED panels ${tag}`,
      html: '<p>Dear {{name}},</p>',
      text: 'Dear {{name}},',
      actorId: null,
      now: Date.now(),
    });
    await waitFor(
      async () => ((await campaignCounts(db, queued.campaign)).sent === 2 ? true : undefined),
      'the campaign to go out',
      30_000,
    );
    // Anna answers the campaign: the reply reaches newsletter@ (Reply-To) and is synced from Dovecot.
    const sentTo = await db
      .selectFrom('campaign_recipients')
      .select('message_id_header')
      .where('campaign_id', '=', queued.campaign)
      .where('address', '=', replier)
      .executeTakeFirstOrThrow();
    await deliver({
      from: `Anna <${replier}>`,
      to: NEWSLETTER,
      subject: `Re: New LED panels ${tag}`,
      text: 'Please send the catalogue with prices.',
      inReplyTo: sentTo.message_id_header,
      references: [sentTo.message_id_header],
    });
    const reply = await waitFor(
      async () =>
        db
          .selectFrom('campaign_events')
          .select('conversation_id')
          .where('kind', '=', 'reply')
          .where('campaign_id', '=', queued.campaign)
          .executeTakeFirst(),
      'the reply to be linked to the campaign',
      60_000,
    );
    replyConversation = reply.conversation_id ?? '';
    // The customer who replied is a contact now; the admin tags them for the segment builder.
    const admin = pier.api();
    expect((await admin.post('/api/auth/login', { email: boss.email, password: boss.password })).status).toBe(200);
    const contact = await db.selectFrom('contacts').select('id').where('address', '=', replier).executeTakeFirstOrThrow();
    expect((await admin.patch(`/api/customers/contacts/${contact.id}`, { tags: ['Fair 2026'] })).status).toBe(200);
    browser = await launchChromium();
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  for (const view of [
    { locale: 'en' as const, width: 1440, sent: 'Sent', suppressed: 'Unsubscribed', count: '1 match', badge: 'Reply to campaign' },
    { locale: 'zh-CN' as const, width: 390, sent: '已发送', suppressed: '已退订', count: '符合 1 人', badge: '群发邮件的回复' },
  ]) {
    it(`shows the campaign with its counts, the list and the suppression list (${view.locale}, ${view.width} px)`, async () => {
      const page = await signInInBrowser(browser, pier.url, boss, { locale: view.locale, viewport: { width: view.width, height: 900 } });
      try {
        await page.goto(`${pier.url}/settings/campaigns`);
        const table = page.getByTestId('campaigns-table');
        await table.waitFor();
        expect(await table.textContent()).toContain(`New LED panels ${tag}`);
        expect(await table.locator('thead').textContent()).toContain(view.sent);
        expect(await page.getByTestId('campaign-lists').textContent()).toContain('Canton Fair 2026');
        const suppressions = page.getByTestId('campaign-suppressions');
        await suppressions.waitFor();
        expect(await suppressions.textContent()).toContain(view.suppressed);
        // The state is one line (发送中 wrapped a character a line at 390 px).
        const stateLines = await page
          .getByTestId('campaign-state')
          .first()
          .evaluate((cell) => {
            const range = document.createRange();
            range.selectNodeContents(cell);
            return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
          });
        expect(stateLines).toBe(1);
        // A segment: the live count and first recipient as the tag is typed, then saved as a list.
        const builder = page.getByTestId('segment-builder');
        await builder.locator('#segment-tags').fill('Fair 2026');
        await page.getByTestId('segment-count').filter({ hasText: view.count }).waitFor();
        expect(await page.getByTestId('segment-sample').textContent()).toContain(replier);
        await builder.locator('#segment-name').fill(`Fair ${view.locale}`);
        await page.getByTestId('segment-save').click();
        await page
          .getByTestId('campaign-lists')
          .filter({ hasText: `Fair ${view.locale}` })
          .waitFor();
        // The page itself never scrolls sideways; wide tables scroll inside their frame.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        await page.screenshot({ path: path.join(screenshots, `campaigns-${view.locale}-${view.width}.png`), fullPage: true });

        // The reply, in the conversation view: a badge names the campaign it answers.
        await page.goto(`${pier.url}/?c=${replyConversation}`);
        const badge = page.getByTestId('campaign-reply');
        await badge.waitFor();
        expect(await badge.textContent()).toContain(view.badge);
        expect(await badge.textContent()).toContain(`New LED panels ${tag}`);
        await page.screenshot({ path: path.join(screenshots, `campaign-reply-${view.locale}-${view.width}.png`) });
      } finally {
        await page.context().close();
      }
    }, 60_000);
  }
});
