import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestMail } from '../../src/modules/conversations/index.js';
import { businessHoursOfMailbox, slaPolicyOfMailbox } from '../../src/modules/mailbox-settings/index.js';
import { createMailbox, grantMailboxAccess, loadOwnAddresses } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { signInInBrowser } from '../support/browser-sign-in.js';
import { chromiumArgs } from '../support/chromium.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { testEnv } from '../support/env.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD as password } from '../support/users.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const H = 3_600_000;
const viewports = [
  { width: 1440, height: 900 },
  { width: 390, height: 844 },
] as const;
const runs = [
  { locale: 'en-US', lang: 'en', words: { hours: 'Business hours & SLA', reports: 'Reports', heat: 'Busiest hours', due: /due|overdue/ } },
  { locale: 'zh-CN', lang: 'zh-CN', words: { hours: '营业时间与 SLA', reports: '报表', heat: '来信高峰时段', due: /截止|已超时/ } },
] as const;

describe('business hours, SLA and reports in the browser', () => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let browser: Browser;
  let sales = '';

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    database = await createTestDatabase('sqlite');
    pier = await startTestPier(database);
    const ws = pier.workspace;
    await createAccount(ws.db, { email: 'boss@acme.test', name: 'Boss', password, role: 'admin' });
    const li = await createAccount(ws.db, { email: 'li.wei@acme.test', name: 'Li Wei', password, role: 'agent' });
    sales = (await createMailbox(ws.db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' })).id;
    const info = (await createMailbox(ws.db, { address: 'info@acme.test', displayName: 'Info', purpose: 'inquiry' })).id;
    await grantMailboxAccess(ws.db, li.id, sales, 'reply');
    // Two weeks of mail from several countries, a reply to most, so every chart has something to draw.
    const ctx = {
      engine: ws.engine,
      ownAddresses: await loadOwnAddresses(ws.db),
      messageIds: ws.messageIds,
      recordReopened: ws.recordReopened,
      teamActivity: ws.teamActivity,
    };
    const senders = ['hans@firma.de', 'ana@empresa.es', 'ken@shoji.jp', 'wang@jinhua.cn', 'bob@trade.com', 'amy@import.co.uk'];
    const now = Date.now();
    for (let n = 0; n < 24; n++) {
      const mailbox = n % 3 === 0 ? info : sales;
      const address = mailbox === info ? 'info@acme.test' : 'sales@acme.test';
      const from = senders[n % senders.length] as string;
      const at = now - (n * 13 + 3) * H;
      const raw = (lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n`);
      await ingestMail(
        { db: ws.db, blobs: ws.blobs, ctx },
        {
          raw: raw([`From: ${from}`, `To: ${address}`, `Subject: Inquiry ${n + 1}`, `Message-ID: <q${n}@customer>`, '', 'Please quote.']),
          mailboxIds: [mailbox],
          source: 'imap',
          receivedAt: at,
        },
      );
      if (n % 4 !== 1 && n > 2) {
        await ingestMail(
          { db: ws.db, blobs: ws.blobs, ctx },
          {
            raw: raw([`From: ${address}`, `To: ${from}`, `Subject: Re: Inquiry ${n + 1}`, `In-Reply-To: <q${n}@customer>`, '', 'Answer.']),
            mailboxIds: [mailbox],
            source: 'imap',
            receivedAt: at + ((n % 5) + 1) * 2 * H,
          },
        );
      }
    }
    browser = await chromium.launch({ executablePath: testEnv('PIER_TEST_CHROMIUM'), args: chromiumArgs });
  });
  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  for (const run of runs) {
    for (const viewport of viewports) {
      it(`in ${run.lang} at ${viewport.width} px`, async () => {
        const context = await browser.newContext({ locale: run.locale, viewport, acceptDownloads: true });
        const page: Page = await context.newPage();
        const scripts: string[] = [];
        page.on('response', (r) => {
          if (r.url().endsWith('.js')) scripts.push(r.url());
        });
        page.on('pageerror', (error) => console.error('pageerror', error.stack));
        const shot = (name: string) =>
          page.screenshot({ path: path.join(screenshots, `ops-${name}-${run.lang}-${viewport.width}.png`), fullPage: true });
        await signInInBrowser(page, pier.url, { email: 'boss@acme.test', password });

        // The inbox: every unanswered conversation shows when its reply is due; "due soonest" sorts by it.
        await page.getByTestId('conversation-item').first().waitFor();
        await expect.poll(() => page.getByTestId('sla-due').count()).toBeGreaterThan(0);
        expect(await page.getByTestId('sla-due').first().textContent()).toMatch(run.words.due);
        // The charts library is not part of the inbox's first load.
        expect(scripts.filter((s) => /\/Chart-/.test(s))).toEqual([]);
        if (viewport.width === 1440) {
          await page.getByTestId('list-sort').selectOption('due');
          await expect.poll(() => page.url()).toContain('sort=due');
          await page.getByTestId('conversation-item').first().click();
          await page.getByTestId('conversation-pane').getByTestId('sla-due').waitFor();
          await shot('inbox-due');
        }

        // Business hours & SLA.
        await page.goto(`${pier.url}/settings/business-hours`);
        await page.getByTestId('hours-week').waitFor();
        await expect.poll(() => page.getByTestId('hours-page').getByRole('heading', { level: 2 }).textContent()).toBe(run.words.hours);
        await page.getByTestId('hours-coverage').waitFor();
        await shot('hours');
        await page.getByTestId('sla-table').screenshot({ path: path.join(screenshots, `ops-sla-table-${run.lang}-${viewport.width}.png`) });
        if (run.lang === 'en' && viewport.width === 1440) {
          // sales@: Berlin, Bavaria's holidays, and 8 working hours to the first reply of normal mail.
          await page.getByTestId('hours-mailbox').selectOption(sales);
          await expect.poll(() => page.getByTestId('hours-zone').inputValue()).toBe('Asia/Shanghai');
          await page.getByTestId('hours-zone').fill('Europe/Berlin');
          await page.getByTestId('hours-calendar').selectOption('DE');
          await page.getByLabel('Region').selectOption('BY');
          await page.getByTestId('hours-save').click();
          await page.getByTestId('hours-saved').waitFor();
          await page.getByTestId('sla-normal-first').fill('8');
          await page.getByTestId('sla-save').click();
          await page.getByTestId('hours-saved').waitFor();
          const hours = await businessHoursOfMailbox(pier.workspace.db, sales);
          expect(hours).toMatchObject({ timeZone: 'Europe/Berlin', holidayCalendar: { country: 'DE', region: 'BY' } });
          expect((await slaPolicyOfMailbox(pier.workspace.db, sales, 'normal')).firstReplyMinutes).toBe(8 * 60);
          // Bad input is answered in words: a first reply target of 0 hours, and an unknown time zone (the server's check).
          await page.getByTestId('sla-normal-first').fill('0');
          await page.getByTestId('sla-save').click();
          await expect.poll(() => page.getByTestId('hours-problem').textContent()).toContain('working hours above 0');
          await page.getByTestId('sla-normal-first').fill('8');
          await page.getByTestId('hours-zone').fill('Mars/Olympus');
          await page.getByTestId('hours-save').click();
          await expect.poll(() => page.getByTestId('hours-problem').textContent()).toContain('not valid');
          expect((await businessHoursOfMailbox(pier.workspace.db, sales)).timeZone).toBe('Europe/Berlin');
          await shot('hours-edited');
        }

        // Reports: each chart drawn (SVG), with its CSV.
        await page.goto(`${pier.url}/settings/reports`);
        await page.getByTestId('chart-canvas-heatmap').locator('svg').waitFor();
        for (const key of [
          'by-day',
          'by-mailbox',
          'by-team',
          'by-agent',
          'by-country',
          'first-reply',
          'compliance',
          'heatmap',
          'backlog',
        ]) {
          await page.getByTestId(`chart-canvas-${key}`).locator('svg').waitFor();
          // Each chart on its own picture (the settings page scrolls inside its main column).
          await page
            .getByTestId(`chart-${key}`)
            .screenshot({ path: path.join(screenshots, `ops-chart-${key}-${run.lang}-${viewport.width}.png`) });
        }
        expect(await page.getByTestId('chart-heatmap').textContent()).toContain(run.words.heat);
        expect(scripts.some((s) => /\/Chart-/.test(s))).toBe(true);
        await shot('reports');
        if (viewport.width === 1440) {
          const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('csv-by-mailbox').click()]);
          const file = await download.path();
          const csv = readFileSync(file, 'utf8');
          expect(csv.charCodeAt(0)).toBe(0xfeff);
          expect(csv).toMatch(/sales@acme\.test,16\r\n/);
          expect(csv).toMatch(/info@acme\.test,8\r\n/);
        }
        await context.close();
      });
    }
  }
});
