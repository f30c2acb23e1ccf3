import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestMail } from '../../src/modules/conversations/index.js';
import { createMailbox, loadOwnAddresses } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { signInInBrowser } from '../support/browser-sign-in.js';
import { chromiumArgs } from '../support/chromium.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { testEnv } from '../support/env.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD as password } from '../support/users.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const boss = { email: 'boss@acme.test', name: '陈总', password, role: 'super_admin' as const };

/** The customers directory in Chromium: search, claim and edit, history, CSV import with mapping (en/zh-CN, 1440/390 px). */
describe('customers directory in Chromium', () => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const shot = (p: Page, name: string) => p.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
  const open = async (locale: string, width: number) => {
    const context = await browser.newContext({ locale, viewport: { width, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    await page.addInitScript((l) => localStorage.setItem('pier.locale', l), locale);
    await signInInBrowser(page, pier.url, boss, `${pier.url}/login`);
    return page;
  };

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    database = await createTestDatabase('sqlite');
    pier = await startTestPier(database);
    const ws = pier.workspace;
    await createAccount(ws.db, boss);
    const mailboxId = (await createMailbox(ws.db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' })).id;
    const ctx = {
      engine: ws.engine,
      ownAddresses: await loadOwnAddresses(ws.db),
      messageIds: ws.messageIds,
      recordReopened: ws.recordReopened,
      teamActivity: ws.teamActivity,
    };
    for (const [from, subject] of [
      ['李伟 <li.wei@ningbo-tools.cn>', '询价：扳手 500 件'],
      ['Jürgen Müller <juergen@hanse-import.de>', 'Order 7 for Hamburg'],
    ]) {
      const raw = Buffer.from(
        [
          `From: ${from}`,
          'To: sales@acme.test',
          `Subject: ${subject}`,
          `Message-ID: <${Math.random()}@t>`,
          'Content-Type: text/plain; charset=utf-8',
          '',
          'Hi',
        ].join('\r\n'),
      );
      await ingestMail({ ...ws, ctx }, { raw, mailboxIds: [mailboxId], source: 'imap' });
    }
    browser = await chromium.launch({ executablePath: testEnv('PIER_TEST_CHROMIUM'), args: chromiumArgs });
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  it('finds a customer by Chinese name, claims and tags it, and shows its history (en, 1440 px)', async () => {
    const page = await open('en-US', 1440);
    await page.goto(`${pier.url}/customers`);
    await page.getByTestId('customers-page').waitFor();
    await expect.poll(() => page.getByTestId('customer-row').count()).toBe(2);
    await page.getByTestId('customers-search').fill('李伟');
    await expect.poll(() => page.getByTestId('customer-row').count()).toBe(1);
    await page.getByTestId('customer-row').click();
    await page.getByTestId('customer-claim').click();
    await expect.poll(() => page.getByTestId('customer-owner').textContent()).toContain('陈总');
    await page.getByTestId('customer-tags').fill('VIP, 展会');
    await page.getByTestId('customer-save').click();
    await expect.poll(() => page.getByTestId('customer-row').first().textContent()).toContain('VIP');
    await expect.poll(() => page.getByTestId('customer-timeline').textContent()).toContain('询价：扳手 500 件');
    await shot(page, 'customers-01-detail-en-1440');
  });

  it('imports a CSV through the column-mapping step (zh-CN, 1440 px)', async () => {
    const page = await open('zh-CN', 1440);
    await page.goto(`${pier.url}/customers`);
    await page.getByTestId('customer-admin').locator('summary').click();
    const file = path.join(database.dataDir, 'import.csv');
    writeFileSync(file, '\uFEFF邮箱,姓名,国家,备注列\r\ntanaka@osaka-trade.co.jp,田中,JP,FOB\r\n');
    await page.getByTestId('customer-import-file').setInputFiles(file);
    await page.getByTestId('customer-mapping').waitFor();
    await page.getByTestId('customer-mapping').getByLabel('备注列').selectOption('ignore');
    await shot(page, 'customers-02-mapping-zh-1440');
    await page.getByTestId('customer-import').click();
    await expect.poll(() => page.getByTestId('customer-import-result').textContent()).toContain('新建 1 个');
    await page.getByTestId('customers-search').fill('田中');
    await expect.poll(() => page.getByTestId('customer-row').count()).toBe(1);
    await shot(page, 'customers-03-list-zh-1440');
  });

  it('reads on a phone in both languages (390 px)', async () => {
    for (const locale of ['zh-CN', 'en-US']) {
      const page = await open(locale, 390);
      await page.goto(`${pier.url}/customers`);
      await expect.poll(() => page.getByTestId('customer-row').count()).toBe(3);
      await shot(page, `customers-04-list-${locale}-390`);
      await page.getByTestId('customer-row').first().click();
      await page.getByTestId('customer-timeline').waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(390);
      await shot(page, `customers-05-detail-${locale}-390`);
    }
  });
});
