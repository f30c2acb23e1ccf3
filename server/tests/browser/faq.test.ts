// The FAQ library in Chromium against a real Pier process, Postfix and Dovecot (issue 19):
// an agent writes an answer in Chinese and English with variables, finds it on the FAQ page,
// sees it suggested for a Chinese customer's mail and inserts it with Alt+1, in the customer's
// language with the customer's name. Screenshots at 1440 and 390 px in both languages in
// test-output/screenshots/ (look at them).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInInBrowser } from '../support/browser-sign-in.js';
import { chromiumArgs } from '../support/chromium.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { testEnv } from '../support/env.js';
import { appendMessages, deliver, emptyMailboxes, waitForCount } from '../support/mail-server.js';
import { type PierProcess, startPierProcess } from '../support/pier-process.js';
import { TEST_PASSWORD } from '../support/users.js';
import { addMailbox, addUser, grantAccess, withTestWorkspace } from '../support/workspace-setup.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const admin = { email: 'admin@acme.test', password: TEST_PASSWORD, name: 'Li Wei' };
const auditor = { email: 'ada@acme.test', password: TEST_PASSWORD, name: 'Ada Auditor' };
const sales = 'sales@acme.test';
const subject = `样品 ${Date.now().toString(36)}`;
const firstId = `<faq-first.${Date.now().toString(36)}@customer.test>`;

describe('the FAQ library in the browser', () => {
  let database: TestDatabase;
  let pier: PierProcess;
  let browser: Browser;
  let page: Page;
  const shot = (name: string) => page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
  const look = async (locale: 'en' | 'zh-CN', width: number) => {
    await page.evaluate((l) => localStorage.setItem('pier.locale', l), locale);
    await page.setViewportSize({ width, height: 900 });
    await page.reload();
  };

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    await emptyMailboxes(sales);
    await deliver({
      from: '王丽 <wangli@customer.test>',
      to: sales,
      subject,
      messageId: firstId,
      text: '您好，请问可以寄样品吗？样品费多少？运费谁付？我们想先测试两个样品。',
    });
    await waitForCount(sales, 'INBOX', 1);
    // An earlier answer of the team, in sales@'s Sent folder: "turn into FAQ answer".
    await appendMessages(sales, 'Sent', [
      [
        `Message-ID: <faq-answer.${Date.now().toString(36)}@acme.test>`,
        `Date: ${new Date().toUTCString()}`,
        'From: ACME Sales <sales@acme.test>',
        'To: wangli@customer.test',
        `Subject: =?UTF-8?B?${Buffer.from(`Re: ${subject}`).toString('base64')}?=`,
        `In-Reply-To: ${firstId}`,
        `References: ${firstId}`,
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: 8bit',
        '',
        '王丽您好，',
        '',
        '交货期是收到定金后15天，大货可以走海运。',
        '',
        '在 2026年12月7日 王丽 写道：',
        '> 您好，请问可以寄样品吗？',
        '',
      ].join('\r\n'),
    ]);
    database = await createTestDatabase('sqlite');
    await withTestWorkspace(database, async (ws) => {
      await addUser(ws, { email: admin.email, password: admin.password, name: admin.name });
      await addMailbox(ws, { address: sales, name: 'ACME Sales', testBench: { folders: 'inbox,sent' } });
      await addUser(ws, { ...auditor, role: 'auditor' });
      await grantAccess(ws, auditor.email, sales, 'read');
    });
    pier = await startPierProcess(database);
    browser = await chromium.launch({ executablePath: testEnv('PIER_TEST_CHROMIUM'), args: chromiumArgs });
    page = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 900 } })).newPage();
    await page.addInitScript(() => {
      if (!localStorage.getItem('pier.locale')) localStorage.setItem('pier.locale', 'en');
    });
    await signInInBrowser(page, pier.url, admin);
  });

  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  it('writes an answer in two languages with variables and finds it on the FAQ page', async () => {
    await page.goto(`${pier.url}/faq`);
    await page.getByTestId('faq-folder-name').fill('Samples 样品');
    await page.getByTestId('faq-folder-add').click();
    await expect.poll(() => page.getByTestId('faq-folder-chip').allTextContents()).toContainEqual(expect.stringContaining('Samples 样品'));

    await page.getByTestId('faq-new').click();
    await page.getByTestId('faq-title').fill('Samples and sample fee 样品和样品费');
    await page.getByTestId('faq-folder').selectOption({ label: 'Samples 样品' });
    await page.getByTestId('faq-body').fill('');
    await page.getByTestId('faq-var-contact.name').click();
    await page.getByTestId('faq-body').press('End');
    await page.keyboard.type('您好，可以寄样品。样品费在您下单后退还，运费由贵司支付。');
    await page.getByTestId('faq-add-language').click();
    await page.getByTestId('faq-language').selectOption('en');
    await page
      .getByTestId('faq-body')
      .fill('Dear {{contact.name}}, we send samples; the sample fee is refunded with your first order. {{agent.name}}');
    await page.getByTestId('faq-preview-button').click();
    await expect.poll(() => page.getByTestId('faq-preview').textContent()).toContain('Dear Maria Rossi, we send samples');
    await expect.poll(() => page.getByTestId('faq-preview').textContent()).toContain('Li Wei');
    await shot('faq-01-editor-en-1440');
    await page.getByTestId('faq-save').click();
    await page.getByTestId('faq-answer').first().waitFor();
    expect(await page.getByTestId('faq-answer-meta').first().textContent()).toContain('Last edited by Li Wei');

    await page.getByTestId('faq-search').fill('运费');
    await expect.poll(() => page.getByTestId('faq-answer').count()).toBe(1);
    await page.getByTestId('faq-search').fill('invoice');
    await expect.poll(() => page.getByTestId('faq-answer').count()).toBe(0);
    await page.getByTestId('faq-search').fill('');
    await shot('faq-02-page-en-1440');
    await look('zh-CN', 1440);
    await page.getByTestId('faq-answer').first().waitFor();
    expect(await page.getByTestId('faq-answer-text').first().textContent()).toContain('‹客户姓名›您好，可以寄样品');
    await shot('faq-03-page-zh-1440');
    await look('zh-CN', 390);
    await page.getByTestId('faq-answer').first().waitFor();
    await shot('faq-04-page-zh-390');
    await look('en', 390);
    await page.getByTestId('faq-answer').first().waitFor();
    await shot('faq-05-page-en-390');
  });

  it('suggests the answer for the Chinese mail and inserts it with Alt+1 in Chinese, with the name filled', async () => {
    await look('en', 1440);
    await page.goto(pier.url);
    const item = page.getByTestId('conversation-item').filter({ hasText: subject });
    await expect
      .poll(
        async () => {
          if ((await item.count()) > 0) return true;
          await page.reload();
          await page.getByTestId('inbox-shell').waitFor();
          return false;
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe(true);
    await item.first().click();
    await page.getByTestId('composer-editor').waitFor({ timeout: 20_000 });
    const first = page.getByTestId('faq-suggestion').first();
    await expect.poll(() => first.textContent(), { timeout: 15_000 }).toContain('Samples and sample fee');
    expect(await first.textContent()).toContain('zh-CN');
    await shot('faq-06-composer-en-1440');
    await page.getByTestId('composer-editor').click();
    await page.keyboard.press('Alt+1');
    await expect.poll(() => page.getByTestId('composer-editor').textContent()).toContain('王丽您好，可以寄样品');
    await expect
      .poll(async () => (await page.request.get(`${pier.url}/api/faq`)).json() as Promise<{ answers: { useCount: number }[] }>)
      .toMatchObject({ answers: [{ useCount: 1 }] });
    await look('zh-CN', 390);
    await page.getByTestId('faq-suggestions').waitFor({ timeout: 20_000 });
    // The inbox scrolls inside its panes: bring the suggestions into the picture.
    await page.getByTestId('faq-suggestions').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshots, 'faq-07-composer-zh-390.png') });
    await look('zh-CN', 1440);
    await page.getByTestId('faq-suggestions').waitFor({ timeout: 20_000 });
    await page.getByTestId('faq-suggestions').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshots, 'faq-08-composer-zh-1440.png') });
  });

  it('turns a sent reply into an answer from the conversation, without the quoted mail', async () => {
    await look('zh-CN', 1440);
    await page.goto(pier.url);
    await page.getByTestId('conversation-item').filter({ hasText: subject }).first().click();
    const link = page.getByTestId('turn-into-faq');
    await link.first().waitFor({ timeout: 30_000 });
    await link.first().click();
    await page.getByTestId('faq-editor').waitFor();
    await expect.poll(() => page.getByTestId('faq-body').inputValue()).toContain('交货期是收到定金后15天');
    expect(await page.getByTestId('faq-body').inputValue()).not.toContain('请问可以寄样品吗');
    expect(await page.getByTestId('faq-title').inputValue()).toBe(subject);
    await page.getByTestId('faq-title').fill('交货期 Lead time');
    await page.screenshot({ path: path.join(screenshots, 'faq-09-from-sent-zh-1440.png'), fullPage: true });
    await page.getByTestId('faq-save').click();
    await expect.poll(() => page.getByTestId('faq-answer').count()).toBe(2);
  });

  it('offers an auditor no "Turn into FAQ answer" on the same sent reply (they read the library, not keep it)', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 900 } });
    const asAuditor = await context.newPage();
    await asAuditor.addInitScript(() => localStorage.setItem('pier.locale', 'en'));
    await signInInBrowser(asAuditor, pier.url, auditor);
    await asAuditor.goto(pier.url);
    await asAuditor.getByTestId('conversation-item').filter({ hasText: subject }).first().click();
    await asAuditor.locator('[data-testid="message"].outgoing').first().waitFor({ timeout: 30_000 });
    expect(await asAuditor.getByTestId('message').count()).toBeGreaterThanOrEqual(2);
    expect(await asAuditor.getByTestId('turn-into-faq').count()).toBe(0);
    await asAuditor.screenshot({ path: path.join(screenshots, 'faq-10-auditor-en-1440.png') });
    await context.close();
  });
});
