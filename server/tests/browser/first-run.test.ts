import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finishSecondFactorInBrowser } from '../support/browser-sign-in.js';
import { chromiumArgs } from '../support/chromium.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { testEnv } from '../support/env.js';
import { type PierProcess, startPierProcess } from '../support/pier-process.js';
import { TEST_PASSWORD } from '../support/users.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const admin = { name: '李伟', email: 'li.wei@acme.test', password: TEST_PASSWORD };

describe('first run in Chromium', () => {
  let database: TestDatabase;
  let pier: PierProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    database = await createTestDatabase('sqlite');
    pier = await startPierProcess(database);
    browser = await chromium.launch({ executablePath: testEnv('PIER_TEST_CHROMIUM'), args: chromiumArgs });
    // A browser set to Chinese, as most of Pier's users have.
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 800 } });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  const shot = (name: string) => page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });

  it('leads a new workspace to the setup form, in Chinese for a zh browser', async () => {
    await page.goto(pier.url);
    await page.getByTestId('setup-form').waitFor();
    expect(new URL(page.url()).pathname).toBe('/setup');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await expect.poll(() => page.textContent('body')).toContain('创建第一个管理员');
    // No PIER_PUBLIC_URL: the form asks where mailed links should point, guessing the address in use.
    expect(await page.getByTestId('setup-public-url').inputValue()).toBe(pier.url);
    expect(await page.textContent('body')).toContain('Pier 访问地址');
    await shot('01-setup-zh');
  });

  it('creates the first super admin and opens the empty inbox in Chinese', async () => {
    await page.getByTestId('setup-name').fill(admin.name);
    await page.getByTestId('setup-email').fill(admin.email);
    await page.getByTestId('setup-password').fill(admin.password);
    await page.getByTestId('setup-password-confirm').fill(admin.password);
    await page.getByTestId('setup-public-url').fill('ftp://pier.acme.test');
    await page.getByTestId('setup-submit').click();
    expect(await page.locator('#setup-public-url-error').textContent()).toContain('https://');
    await page.getByTestId('setup-public-url').fill('https://pier.acme.test/');
    await page.getByTestId('setup-submit').click();
    // The workspace requires two-step sign-in: the first admin enrols before seeing the inbox.
    expect(await finishSecondFactorInBrowser(page, pier.url, admin.email)).toBe('enrolled');
    await page.getByTestId('inbox-shell').waitFor();
    await page.getByTestId('conversation-empty').waitFor();
    expect(await page.getByTestId('current-user').textContent()).toContain(admin.name);
    expect(await page.getByTestId('inbox-sidebar').textContent()).toContain('未分配');
    expect(await page.getByTestId('conversation-list').textContent()).toContain('还没有会话');
    const stored = await page.evaluate(() => fetch('/api/security/public-url').then((r) => r.json()));
    expect(stored).toEqual({ publicUrl: 'https://pier.acme.test', source: 'workspace' });
    await shot('02-inbox-zh');
  });

  it('switches to English at once and keeps the choice after a reload', async () => {
    await page.getByTestId('language-switch').selectOption('en');
    await expect.poll(() => page.getByTestId('inbox-sidebar').textContent()).toContain('Unassigned');
    expect(await page.getByTestId('conversation-list').textContent()).toContain('No conversations yet');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await page.reload();
    await page.getByTestId('inbox-shell').waitFor();
    await expect.poll(() => page.getByTestId('inbox-sidebar').textContent()).toContain('Unassigned');
    await shot('03-inbox-en');
  });

  it('logs out to the sign-in page, shows a clear error for a wrong password, then signs in again', async () => {
    await page.getByTestId('logout-button').click();
    await page.getByTestId('login-form').waitFor();
    await page.getByTestId('login-email').fill(admin.email);
    await page.getByTestId('login-password').fill('wrong password entirely');
    await page.getByTestId('login-submit').click();
    const error = page.getByTestId('login-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/wrong|incorrect/i);
    await shot('04-login-error-en');
    await page.getByTestId('login-password').fill(admin.password);
    await page.getByTestId('login-submit').click();
    expect(await finishSecondFactorInBrowser(page, pier.url, admin.email)).toBe('verified');
    await page.getByTestId('inbox-shell').waitFor();
    await page.getByTestId('logout-button').click();
    await page.getByTestId('login-form').waitFor();
  });

  it('shows a mail that reached the SMTP listener in the inbox list', async () => {
    const { default: nodemailer } = await import('nodemailer');
    const { execFile } = await import('node:child_process');
    const { promisify } = await import('node:util');
    await promisify(execFile)(process.execPath, [
      path.resolve(import.meta.dirname, '../../dist/cli.js'),
      '--data-dir',
      database.dataDir,
      'mailbox',
      'add',
      '--address',
      'sales@acme.test',
      '--name',
      'ACME Sales',
      '--purpose',
      'sales',
    ]);
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort, secure: false, ignoreTLS: true });
    await transport.sendMail({
      from: 'Maria Gonzalez <maria@globex.test>',
      to: 'sales@acme.test',
      subject: '询价 LED panel',
      text: 'Please quote.',
    });
    transport.close();
    await page.getByTestId('login-email').fill(admin.email);
    await page.getByTestId('login-password').fill(admin.password);
    await page.getByTestId('login-submit').click();
    await finishSecondFactorInBrowser(page, pier.url, admin.email);
    await page.getByTestId('conversation-item').first().waitFor();
    expect(await page.getByTestId('conversation-list').textContent()).toContain('询价 LED panel');
    await shot('05-inbox-with-mail-en');
  });
});
