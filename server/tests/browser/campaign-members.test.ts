// Settings → Campaigns as an admin sees it after decision 0068, in English and Chinese at 1440 and
// 390 px: the pending column and "scheduled for" of a campaign queued for tomorrow, its cancel (the
// page's confirmation dialog accepted) and the cancelled count; a list of 120 members paged 50 at a
// time with counts by status, found by a company spelt in capitals; one contact added by hand, and a
// suppressed address refused with its reason. Screenshots in test-output/screenshots/ (look at them).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importListCsv, suppressAddress } from '../../src/modules/campaigns/index.js';
import { launchChromium, signInInBrowser } from '../support/browser.js';
import { addMarketingMailbox, freePort } from '../support/campaigns.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestPier } from '../support/pier.js';
import { waitFor } from '../support/wait.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const boss = { email: 'boss@acme.test', name: 'Boss', password: 'correct horse battery staple' };
const DAY = 86_400_000;

describe('list members and cancel on the campaigns page', () => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let browser: Browser;
  let campaignId = '';

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    database = await createTestDatabase('sqlite');
    const port = await freePort();
    pier = await startTestPier(database, { PIER_PORT: String(port), PIER_PUBLIC_URL: `http://127.0.0.1:${port}` });
    const admin = pier.api();
    expect((await admin.post('/api/setup', boss)).status).toBe(201);
    const { db } = pier.workspace;
    const mailbox = await addMarketingMailbox(pier.workspace);
    const rows = Array.from({ length: 120 }, (_, i) => {
      const n = String(i).padStart(3, '0');
      return `lead${n}@fair.test,Buyer ${n},${i === 7 ? 'MÜLLER Werkzeuge GmbH' : i === 8 ? '宁波工具有限公司' : `Customer ${i % 9} Ltd`},DE`;
    });
    const now = pier.clock.now();
    const { listId } = await importListCsv(db, {
      name: 'Canton Fair 2026',
      csv: ['email,name,company,country', ...rows].join('\n'),
      consentSource: 'Canton Fair 2026 form',
      consentDate: '2026-10-15',
      actorId: null,
      now,
    });
    await suppressAddress(db, { address: 'lead003@fair.test', reason: 'unsubscribed', campaignId: null, detail: null, now });
    await suppressAddress(db, { address: 'lead004@fair.test', reason: 'hard_bounce', campaignId: null, detail: null, now });
    const queued = await admin.post<{ campaign: string }>('/api/campaigns', {
      mailboxId: mailbox.id,
      listId,
      subject: 'Spring catalogue',
      html: '<p>Hi {{name}}</p>',
      text: 'Hi {{name}}',
      sendAt: now + DAY,
    });
    campaignId = queued.body.campaign;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  // The first view adds one contact: 121 members from the second on.
  const rangeOf = (locale: 'en' | 'zh-CN', from: number, to: number, total: number) =>
    locale === 'en' ? `${from}–${to} of ${total}` : `第 ${from}–${to} 个，共 ${total} 个`;
  const views = [
    { locale: 'en' as const, width: 1440, subscribed: 'Subscribed', why: 'Unsubscribed since' },
    { locale: 'en' as const, width: 390, subscribed: 'Subscribed', why: 'Unsubscribed since' },
    { locale: 'zh-CN' as const, width: 1440, subscribed: '已订阅', why: '已退订，自' },
    { locale: 'zh-CN' as const, width: 390, subscribed: '已订阅', why: '已退订，自' },
  ];
  for (const [index, view] of views.entries()) {
    it(`pages, searches and adds members; cancels a scheduled campaign (${view.locale}, ${view.width} px)`, async () => {
      const page = await signInInBrowser(browser, pier.url, boss, { locale: view.locale, viewport: { width: view.width, height: 900 } });
      const shot = (name: string) => path.join(screenshots, `campaign-${name}-${view.locale}-${view.width}.png`);
      try {
        await page.goto(`${pier.url}/settings/campaigns`);
        const row = page.locator(`#campaign-${campaignId}`);
        await row.waitFor();
        // 118 recipients (two suppressed left out), all pending until tomorrow; or cancelled by an earlier view.
        const cancelledBefore = index > 2;
        expect(await row.getByTestId('campaign-pending').textContent()).toBe(cancelledBefore ? '0' : '118');
        if (index === 2) {
          page.once('dialog', (dialog) => {
            expect(dialog.message()).toContain('118');
            void dialog.accept();
          });
          await row.getByTestId('campaign-cancel').click();
          await waitFor(
            async () => ((await row.getByTestId('campaign-state').textContent())?.includes('已取消') ? true : undefined),
            'the campaign to show cancelled',
          );
          expect(await row.getByTestId('campaign-pending').textContent()).toBe('0');
          expect(await row.textContent()).toContain('118 封未发送（已取消）');
        } else if (!cancelledBefore) {
          expect(await row.textContent()).toContain(view.locale === 'en' ? 'Scheduled for' : '定于');
        }
        await page.getByTestId('campaigns-table').screenshot({ path: shot('pending') });

        const section = page.getByTestId('campaign-opt-in');
        const range = section.getByTestId('members-range');
        await range.waitFor();
        const total = index === 0 ? 120 : 121;
        expect(await range.textContent()).toBe(rangeOf(view.locale, 1, 50, total));
        const statuses = await section.getByTestId('members-statuses').textContent();
        expect(statuses).toContain(`${view.subscribed} ${index >= 1 ? 119 : 118}`);
        await section.getByTestId('members-next').click();
        await waitFor(
          async () => ((await range.textContent()) === rangeOf(view.locale, 51, 100, total) ? true : undefined),
          'the second page',
        );
        expect(await section.getByTestId('opt-in-members').textContent()).toContain('lead050@fair.test');

        await section.getByTestId('members-search').fill('müller');
        await waitFor(async () => ((await range.textContent())?.includes('1–1') ? true : undefined), 'the search');
        const found = await section.getByTestId('opt-in-members').textContent();
        expect(found).toContain('lead007@fair.test');
        expect(found).toContain('MÜLLER Werkzeuge GmbH');
        await section.getByTestId('members-search').fill('');
        await section.getByTestId('members-status').selectOption('unsubscribed');
        const table = section.getByTestId('opt-in-members');
        await waitFor(
          async () =>
            (await table.textContent())?.includes('lead003@fair.test') && !(await table.textContent())?.includes('lead007')
              ? true
              : undefined,
          'the status filter',
        );
        expect(await section.getByTestId('opt-in-members').textContent()).toContain(view.why);

        // A suppressed address is refused, and the form says why, in the reader's language.
        const add = section.getByTestId('member-add');
        await add.locator('#member-address').fill('LEAD003@fair.test');
        await add.locator('#member-consent-source').fill('Phone call');
        await add.getByTestId('member-add-submit').click();
        const refused = add.getByTestId('member-suppressed');
        await refused.waitFor();
        expect(await refused.textContent()).toContain(view.why);
        if (index === 0) {
          await add.locator('#member-address').fill('anna@hanse-import.de');
          await add.locator('#member-name').fill('Anna Schmidt');
          await add.locator('#member-company').fill('Hanse Import');
          await add.getByTestId('member-add-submit').click();
          await add.getByTestId('member-added').waitFor();
          expect(await add.getByTestId('member-added').textContent()).toContain('anna@hanse-import.de added: subscribed');
          await add.locator('#member-address').fill('lead003@fair.test');
          await add.getByTestId('member-add-submit').click();
          await refused.waitFor();
        }
        await page.screenshot({ path: shot('member-add') });
        await section.getByTestId('members-status').selectOption('');
        await waitFor(async () => ((await range.textContent())?.includes('1–50') ? true : undefined), 'all members again');
        // What the reader sees, not a tall element shot under the sticky header: the counts and the first rows.
        await section.getByTestId('members-search').scrollIntoViewIfNeeded();
        await page.screenshot({ path: shot('members') });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow).toBeLessThanOrEqual(0);
      } finally {
        await page.context().close();
      }
    }, 60_000);
  }
});
