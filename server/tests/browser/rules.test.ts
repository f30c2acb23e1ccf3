import { mkdirSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishSecondFactorInBrowser } from '../support/browser-sign-in.js';
import { chromiumArgs } from '../support/chromium.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { testEnv } from '../support/env.js';
import { type PierProcess, startPierProcess } from '../support/pier-process.js';
import { TEST_PASSWORD } from '../support/users.js';
import { waitFor } from '../support/wait.js';
import { openTestWorkspace } from '../support/workspace.js';
import { addMailbox, addUser, withTestWorkspace } from '../support/workspace-setup.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const admin = { email: 'admin@acme.test', password: TEST_PASSWORD };

describe('Settings → Rules in the browser', () => {
  let database: TestDatabase;
  let pier: PierProcess;
  let browser: Browser;
  let page: Page;
  const shot = (name: string) => page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    database = await createTestDatabase('sqlite');
    await withTestWorkspace(database, async (ws) => {
      await addUser(ws, { email: admin.email, password: admin.password, name: 'Li Wei' });
      await addMailbox(ws, { address: 'sales@acme.test', name: 'ACME Sales', purpose: 'sales' });
    });
    pier = await startPierProcess(database);
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort, secure: false, ignoreTLS: true });
    await smtp.sendMail({
      from: 'Hans Müller <hans@kunde.de>',
      to: 'sales@acme.test',
      subject: 'Anfrage LED Panel',
      text: 'Bitte Angebot für 2000 Stück.',
    });
    await smtp.sendMail({ from: '王先生 <wang@kehu.cn>', to: 'sales@acme.test', subject: '询价：钨钢刀', text: '请报最低价格。' });
    smtp.close();
    const ws = await openTestWorkspace(database);
    try {
      await waitFor(
        async () => ((await ws.db.selectFrom('messages').select('id').execute()).length === 2 ? true : undefined),
        'two stored mails',
      );
    } finally {
      await ws.close();
    }
    browser = await chromium.launch({ executablePath: testEnv('PIER_TEST_CHROMIUM'), args: chromiumArgs });
    page = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 900 } })).newPage();
    await page.goto(pier.url);
    await page.getByTestId('login-email').fill(admin.email);
    await page.getByTestId('login-password').fill(admin.password);
    await page.getByTestId('login-submit').click();
    await finishSecondFactorInBrowser(page, pier.url, admin.email);
    await page.getByTestId('inbox-shell').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  it('creates a rule after previewing it on the mailbox’s mail, and lists it (en, 1440 and 390 px)', async () => {
    await page.goto(`${pier.url}/settings/rules`);
    await page.getByTestId('rules-page').waitFor();
    await page.getByTestId('rules-add').click();
    await page.getByTestId('rule-name').fill('Tag LED inquiries');
    await page.getByTestId('rule-mailbox').selectOption({ label: 'sales@acme.test' });
    await page.getByTestId('rule-add-condition').click();
    await page.getByTestId('rule-condition').locator('input').fill('LED');
    await page.getByTestId('rule-action').locator('input').fill('led');
    await page.getByTestId('rule-preview').click();
    await expect.poll(() => page.getByTestId('rule-preview-result').textContent()).toBe('1 of 2 mails would have matched.');
    await expect
      .poll(() => page.locator('.rule-preview-list li.matched').allTextContents())
      .toEqual([expect.stringContaining('Anfrage LED Panel')]);
    await shot('rules-editor-1440-en');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot('rules-editor-390-en');
    await page.setViewportSize({ width: 1440, height: 900 });

    await page.getByTestId('rule-save').click();
    await page.getByTestId('rules-list').waitFor();
    await expect.poll(() => page.getByTestId('rule-item').allTextContents()).toEqual([expect.stringContaining('Tag LED inquiries')]);
    expect(await page.getByTestId('rule-item').textContent()).toContain('sales@acme.test · New conversation · 1 condition · 1 action');
    await shot('rules-list-1440-en');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot('rules-list-390-en');
    // The rules screen itself fits a phone: nothing in the main area is wider than the screen.
    expect(await page.locator('.settings-main').evaluate((main) => main.scrollWidth <= main.clientWidth)).toBe(true);
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('shows the screen in Chinese, and refuses a regex RE2 cannot run (zh-CN, 1440 and 390 px)', async () => {
    await page.evaluate(() => localStorage.setItem('pier.locale', 'zh-CN'));
    await page.goto(`${pier.url}/settings/rules`);
    await page.getByTestId('rules-list').waitFor();
    expect(await page.locator('.page-head h2').textContent()).toBe('规则');
    expect(await page.getByTestId('rule-item').textContent()).toContain('新会话 · 1 个条件 · 1 个动作');
    await shot('rules-list-1440-zh-CN');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot('rules-list-390-zh-CN');
    await page.setViewportSize({ width: 1440, height: 900 });

    await page.getByTestId('rules-add').click();
    await page.getByTestId('rule-name').fill('反向引用');
    await page.getByTestId('rule-add-condition').click();
    await page.getByTestId('rule-condition').locator('select').nth(1).selectOption('regex');
    await page.getByTestId('rule-condition').locator('input').fill('(a)\\1');
    await page.getByTestId('rule-action').locator('input').fill('x');
    await page.getByTestId('rule-save').click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('该正则表达式无法使用（RE2 语法：不支持反向引用和环视）。');
    await shot('rules-editor-1440-zh-CN');
    await page.setViewportSize({ width: 390, height: 844 });
    await shot('rules-editor-390-zh-CN');
  });
});
