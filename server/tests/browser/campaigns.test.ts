// Settings → Campaigns as an admin sees it, in English at 1440 px and in Chinese at 390 px: a campaign
// sent over the bench's Postfix with its counts, the lists, a suppressed address. Screenshots in
// test-output/screenshots/ (look at them).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignCounts, importListCsv, queueCampaign, suppressAddress } from '../../src/modules/campaigns/index.js';
import { launchChromium, signInInBrowser } from '../support/browser.js';
import { addMarketingMailbox, freePort } from '../support/campaigns.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestPier } from '../support/pier.js';
import { waitFor } from '../support/wait.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const boss = { email: 'boss@acme.test', name: 'Boss', password: 'correct horse battery staple' };

describe('campaigns page', () => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let browser: Browser;
  const tag = `ui${Date.now().toString(36)}`;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    database = await createTestDatabase('sqlite');
    const port = await freePort();
    pier = await startTestPier(database, { PIER_PORT: String(port), PIER_PUBLIC_URL: `http://127.0.0.1:${port}` });
    expect((await pier.api().post('/api/setup', boss)).status).toBe(201);
    const { db } = pier.workspace;
    const mailbox = await addMarketingMailbox(pier.workspace);
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
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  for (const view of [
    { locale: 'en' as const, width: 1440, sent: 'Sent', suppressed: 'Unsubscribed' },
    { locale: 'zh-CN' as const, width: 390, sent: '已发送', suppressed: '已退订' },
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
        // The page itself never scrolls sideways; wide tables scroll inside their frame.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        await page.screenshot({ path: path.join(screenshots, `campaigns-${view.locale}-${view.width}.png`), fullPage: true });
      } finally {
        await page.context().close();
      }
    }, 60_000);
  }
});
