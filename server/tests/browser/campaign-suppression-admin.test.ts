// Settings → Campaigns after decision 0072, in English and Chinese at 1440 and 390 px: the suppression
// list paged (the shared pager) and searched, its source campaign; a bounced address taken off with a
// note, while an unsubscribe and a complaint have no button and say why; a member edited and one
// removed (the page's confirmation dialog accepted); a CSV import's report per row with the skipped
// rows downloaded as CSV. Screenshots in test-output/screenshots/ (look at them).
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
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

describe('suppression list, member edit and import report on the campaigns page', () => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    database = await createTestDatabase('sqlite');
    const port = await freePort();
    pier = await startTestPier(database, { PIER_PORT: String(port), PIER_PUBLIC_URL: `http://127.0.0.1:${port}` });
    const admin = pier.api();
    expect((await admin.post('/api/setup', boss)).status).toBe(201);
    const { db } = pier.workspace;
    const mailbox = await addMarketingMailbox(pier.workspace);
    const rows = Array.from({ length: 20 }, (_, i) => `lead${String(i).padStart(3, '0')}@fair.test,Buyer ${i},Customer ${i} Ltd,DE`);
    const now = pier.clock.now();
    const { listId } = await importListCsv(db, {
      name: 'Canton Fair 2026',
      csv: ['email,name,company,country', ...rows].join('\n'),
      consentSource: 'Canton Fair 2026 form',
      consentDate: '2026-10-15',
      actorId: null,
      now,
    });
    const queued = await admin.post<{ campaign: string }>('/api/campaigns', {
      mailboxId: mailbox.id,
      listId,
      subject: 'Spring catalogue',
      html: '<p>Hi {{name}}</p>',
      text: 'Hi {{name}}',
      sendAt: now + DAY,
    });
    for (let i = 0; i < 55; i++)
      await suppressAddress(db, {
        address: `bounce${String(i).padStart(2, '0')}@old-domain.test`,
        reason: 'hard_bounce',
        campaignId: queued.body.campaign,
        detail: '5.1.1 user unknown',
        now: now - 10_000 + i,
      });
    await suppressAddress(db, {
      address: 'lead003@fair.test',
      reason: 'unsubscribed',
      campaignId: queued.body.campaign,
      detail: null,
      now,
    });
    await suppressAddress(db, {
      address: 'lead005@fair.test',
      reason: 'complaint',
      campaignId: queued.body.campaign,
      detail: 'abuse',
      now,
    });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  const views = [
    {
      locale: 'en' as const,
      width: 1440,
      range: (a: number, b: number, n: number) => `${a}–${b} of ${n}`,
      unsubscribedWhy: 'Unsubscribed by the person',
      complaintWhy: 'Reported a mail as spam',
      source: 'Campaign “Spring catalogue”',
      counts: '1 added · 0 already members (updated) · 1 suppressed (in the list, never mailed) · 1 invalid · 1 duplicates in the file',
    },
    {
      locale: 'en' as const,
      width: 390,
      range: (a: number, b: number, n: number) => `${a}–${b} of ${n}`,
      unsubscribedWhy: 'Unsubscribed by the person',
      complaintWhy: 'Reported a mail as spam',
      source: 'Campaign “Spring catalogue”',
      counts: '1 added · 0 already members (updated) · 1 suppressed (in the list, never mailed) · 1 invalid · 1 duplicates in the file',
    },
    {
      locale: 'zh-CN' as const,
      width: 1440,
      range: (a: number, b: number, n: number) => `第 ${a}–${b} 个，共 ${n} 个`,
      unsubscribedWhy: '本人已退订',
      complaintWhy: '本人将邮件举报为垃圾邮件',
      source: '群发“Spring catalogue”',
      counts: '新增 1 个 · 已是成员（已更新）0 个 · 已屏蔽（在名单中，永不发送）1 个 · 无效 1 个 · 文件内重复 1 个',
    },
    {
      locale: 'zh-CN' as const,
      width: 390,
      range: (a: number, b: number, n: number) => `第 ${a}–${b} 个，共 ${n} 个`,
      unsubscribedWhy: '本人已退订',
      complaintWhy: '本人将邮件举报为垃圾邮件',
      source: '群发“Spring catalogue”',
      counts: '新增 1 个 · 已是成员（已更新）0 个 · 已屏蔽（在名单中，永不发送）1 个 · 无效 1 个 · 文件内重复 1 个',
    },
  ];
  const noOverflow = async (page: Page) =>
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);

  for (const [index, view] of views.entries()) {
    it(`manages the suppression list and members, reports an import (${view.locale}, ${view.width} px)`, async () => {
      const page = await signInInBrowser(browser, pier.url, boss, { locale: view.locale, viewport: { width: view.width, height: 900 } });
      const shot = (name: string) => path.join(screenshots, `campaign-${name}-${view.locale}-${view.width}.png`);
      try {
        await page.goto(`${pier.url}/settings/campaigns`);
        // The suppression list: 57 before the first view lifts one, newest first, paged by the shared pager.
        const section = page.getByTestId('suppression-section');
        const range = section.getByTestId('suppression-pager-range');
        await range.waitFor();
        const total = index === 0 ? 57 : 56;
        expect(await range.textContent()).toBe(view.range(1, 50, total));
        await section.getByTestId('suppression-pager-next').click();
        await waitFor(async () => ((await range.textContent()) === view.range(51, total, total) ? true : undefined), 'the second page');
        await section.getByTestId('suppression-search').fill('lead00');
        await waitFor(async () => ((await range.textContent()) === view.range(1, 2, 2) ? true : undefined), 'the search');
        const table = section.getByTestId('campaign-suppressions');
        const unsubscribed = table.locator('tr', { hasText: 'lead003@fair.test' });
        const complaint = table.locator('tr', { hasText: 'lead005@fair.test' });
        // No button for the person's own wish: the row says why.
        expect(await unsubscribed.getByTestId('suppression-lift').count()).toBe(0);
        expect(await unsubscribed.getByTestId('suppression-why').textContent()).toContain(view.unsubscribedWhy);
        expect(await complaint.getByTestId('suppression-lift').count()).toBe(0);
        expect(await complaint.getByTestId('suppression-why').textContent()).toContain(view.complaintWhy);
        expect(await unsubscribed.textContent()).toContain(view.source);
        await section.scrollIntoViewIfNeeded();
        await section.screenshot({ path: shot('suppression-why') });

        await section.getByTestId('suppression-search').fill(`bounce${String(index).padStart(2, '0')}@`);
        await waitFor(async () => ((await range.textContent()) === view.range(1, 1, 1) ? true : undefined), 'one bounce');
        await table.getByTestId('suppression-lift').click();
        const form = section.getByTestId('suppression-lift-form');
        await form.waitFor();
        expect(await form.locator('button[type=submit]').isDisabled()).toBe(true); // the note is required
        if (index === 0) {
          await form.locator('#suppression-note').fill('IT confirmed by phone: the mailbox is fixed');
          await form.screenshot({ path: shot('suppression-lift') });
          await form.locator('button[type=submit]').click();
          await section.getByTestId('suppression-lifted').waitFor();
          expect(await section.getByTestId('suppression-lifted').textContent()).toContain('bounce00@old-domain.test');
          await waitFor(
            async () => ((await section.textContent())?.includes('No address matches.') ? true : undefined),
            'the lifted row gone',
          );
        } else {
          await form.screenshot({ path: shot('suppression-lift') });
          await form.locator('button[type=button]').click();
        }

        // One member edited (the first view), one removed (the second); both through the members view.
        const members = page.getByTestId('campaign-opt-in');
        const memberTable = members.getByTestId('opt-in-members');
        await members.getByTestId('members-search').fill(index === 1 ? 'lead011' : 'lead010');
        const row = memberTable.locator('tr', { hasText: index === 1 ? 'lead011@fair.test' : 'lead010@fair.test' });
        await row.waitFor();
        if (index === 1) {
          page.once('dialog', (dialog) => {
            expect(dialog.message()).toContain('lead011@fair.test');
            expect(dialog.message()).toContain('Canton Fair 2026');
            void dialog.accept();
          });
          await row.getByTestId('member-remove').click();
          await waitFor(
            async () => ((await members.textContent())?.includes('No member matches.') ? true : undefined),
            'the member removed',
          );
        } else {
          await row.getByTestId('member-edit').click();
          const edit = members.getByTestId('member-edit-form');
          await edit.waitFor();
          if (index === 0) {
            expect(await edit.locator('#member-edit-name').inputValue()).toBe('Buyer 10');
            await edit.locator('#member-edit-name').fill('Anna Müller');
            await edit.locator('#member-edit-company').fill('Müller Werkzeuge GmbH');
            await edit.locator('#member-edit-language').selectOption('zh-CN');
            await edit.locator('button[type=submit]').click();
            await waitFor(
              async () => ((await row.textContent())?.includes('Anna Müller · Müller Werkzeuge GmbH') ? true : undefined),
              'the edit',
            );
          } else {
            expect(await edit.locator('#member-edit-name').inputValue()).toBe('Anna Müller');
            expect(await edit.locator('#member-edit-language').inputValue()).toBe('zh-CN');
            await edit.scrollIntoViewIfNeeded();
            await page.screenshot({ path: shot('member-edit') });
          }
        }
        await members.getByTestId('members-search').scrollIntoViewIfNeeded();
        await page.screenshot({ path: shot('member-actions') });

        // A CSV import's report: added, duplicate, invalid, suppressed.
        await page.locator('#list-name').fill(`Fair import ${index}`);
        await page
          .locator('#list-csv')
          .fill(
            [
              'email,name,consent_source,consent_date',
              `new${index}@buyer.test,New ${index},Web form,2026-11-01`,
              `NEW${index}@buyer.test,Again,Web form,2026-11-01`,
              'not an address,X,Web form,2026-11-01',
              'lead003@fair.test,Unsubscribed one,Web form,2026-11-01',
            ].join('\n'),
          );
        await page.locator('form:has(#list-csv) button[type=submit]').click();
        const report = page.getByTestId('import-report');
        await report.waitFor();
        expect(await report.getByTestId('import-counts').textContent()).toBe(view.counts);
        const skipped = report.getByTestId('import-skipped');
        expect(await skipped.locator('tr[data-outcome]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-outcome')))).toEqual([
          'duplicate',
          'invalid',
          'suppressed',
        ]);
        if (index === 0) {
          const [download] = await Promise.all([page.waitForEvent('download'), report.getByTestId('import-download').click()]);
          const file = path.join(screenshots, 'campaign-import-skipped.csv');
          await download.saveAs(file);
          const csv = readFileSync(file, 'utf8');
          expect(csv.split('\r\n')[0]).toBe('\ufeffline,outcome,reason,email,name,consent_source,consent_date');
          expect(csv).toContain('3,duplicate,same address as line 2,NEW0@buyer.test,Again,Web form,2026-11-01');
          expect(csv).toContain('4,invalid,no valid email address,not an address,X');
          expect(csv).toContain('5,suppressed,"on the suppression list (unsubscribed since');
        }
        await report.scrollIntoViewIfNeeded();
        await page.screenshot({ path: shot('import-report') });
        await noOverflow(page);
      } finally {
        await page.context().close();
      }
    }, 90_000);
  }
});
