import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInInBrowser } from '../support/browser-sign-in.js';
import { chromiumArgs } from '../support/chromium.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { testEnv } from '../support/env.js';
import { deliver, emptyMailboxes, mailServer, waitForCount } from '../support/mail-server.js';
import { type PierProcess, startPierProcess } from '../support/pier-process.js';
import { TEST_PASSWORD } from '../support/users.js';
import { addUser, withTestWorkspace } from '../support/workspace-setup.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const admin = { email: 'admin@acme.test', password: TEST_PASSWORD };
const mailbox = 'accounting@acme.test';

describe('connecting a mailbox in the browser', () => {
  let database: TestDatabase;
  let pier: PierProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    await emptyMailboxes(mailbox);
    await deliver({
      from: 'Jonas Weber <jonas@hanse-licht.test>',
      to: mailbox,
      subject: 'Rechnung 2026-118 / 发票',
      text: 'Bitte um Zahlung. 报价已确认。',
    });
    await waitForCount(mailbox, 'INBOX', 1);
    database = await createTestDatabase('sqlite');
    await withTestWorkspace(database, (ws) => addUser(ws, admin));
    pier = await startPierProcess(database);
    browser = await chromium.launch({ executablePath: testEnv('PIER_TEST_CHROMIUM'), args: chromiumArgs });
    page = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })).newPage();
    await signInInBrowser(page, pier.url, admin);
  });
  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  const shot = (name: string) => page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });

  it('tests the IMAP and SMTP settings before saving and says what is wrong', async () => {
    await page.goto(`${pier.url}/settings/mailboxes/new`);
    await page.getByTestId('mailbox-form').waitFor();
    await page.getByTestId('mailbox-address').fill(mailbox);
    await page.getByTestId('mailbox-name').fill('ACME Accounting');
    await page.getByTestId('mailbox-preset').selectOption('other');
    await page.getByTestId('mailbox-imap-host').fill(mailServer.host);
    await page.getByTestId('mailbox-imap-port').fill(String(mailServer.imapPort));
    await page.getByTestId('mailbox-imap-tls').selectOption('none');
    await page.getByTestId('mailbox-smtp-host').fill(mailServer.host);
    await page.getByTestId('mailbox-smtp-port').fill(String(mailServer.submissionPort));
    await page.getByTestId('mailbox-smtp-tls').selectOption('none');
    await page.getByTestId('mailbox-user').fill(mailbox);
    await page.getByTestId('mailbox-password').fill('wrong password');
    await page.getByTestId('mailbox-sync-window').selectOption('all');
    await page.getByTestId('mailbox-test').click();
    const result = page.getByTestId('mailbox-test-result');
    await expect.poll(() => result.textContent(), { timeout: 20_000 }).toMatch(/password|sign-in|log ?in/i);
    await shot('10-mailbox-test-failed-en');

    await page.getByTestId('mailbox-password').fill(mailServer.password);
    await page.getByTestId('mailbox-test').click();
    await expect
      .poll(async () => (await page.getByTestId('mailbox-test-imap').getAttribute('data-ok')) ?? '', { timeout: 20_000 })
      .toBe('true');
    expect(await page.getByTestId('mailbox-test-smtp').getAttribute('data-ok')).toBe('true');
    await shot('11-mailbox-test-ok-en');
  });

  it('saves the mailbox, syncs it at once, and shows its mail in the inbox', async () => {
    await page.getByTestId('mailbox-save').click();
    await page.locator(`[data-testid="mailbox-row"][data-address="${mailbox}"]`).waitFor();
    await shot('12-mailboxes-list-en');
    await page.goto(pier.url);
    await expect.poll(() => page.getByTestId('conversation-list').textContent(), { timeout: 30_000 }).toContain('Rechnung 2026-118');
    await page.getByTestId('conversation-search').fill('报价');
    await expect.poll(() => page.getByTestId('conversation-list').textContent(), { timeout: 10_000 }).toContain('Rechnung 2026-118');
    await page.getByTestId('conversation-search').fill('tungsten');
    await expect.poll(() => page.getByTestId('conversation-list').textContent(), { timeout: 10_000 }).not.toContain('Rechnung 2026-118');
    await shot('13-inbox-synced-en');
  });
  it('asks for the password again, saying why, when a server, port or security mode changes', async () => {
    await page.goto(`${pier.url}/settings/mailboxes`);
    await page.locator(`[data-testid="mailbox-row"][data-address="${mailbox}"] [data-testid="mailbox-edit"]`).click();
    await page.getByTestId('mailbox-form').waitFor();
    const password = page.getByTestId('mailbox-password');
    expect(await password.getAttribute('placeholder')).toBe('unchanged');
    await page.getByTestId('mailbox-smtp-port').fill('2587');
    await expect.poll(() => page.getByTestId('mailbox-form').textContent()).toContain('enter the password again');
    expect(await password.getAttribute('placeholder')).toBeNull();
    await page.getByTestId('mailbox-save').click();
    await expect.poll(() => page.getByTestId('mailbox-form').textContent()).toContain('The server changed: enter the password again');
    expect(await password.getAttribute('aria-invalid')).toBe('true');
    await shot('15-mailbox-server-changed-password-again-en');
    // Back to the saved port: the saved password is kept again.
    await page.getByTestId('mailbox-smtp-port').fill(String(mailServer.submissionPort));
    await expect.poll(() => password.getAttribute('placeholder')).toBe('unchanged');
  });

  it('asks for the refresh token, client ID and secret of a Google or Microsoft 365 mailbox signed in with XOAUTH2', async () => {
    await page.goto(`${pier.url}/settings/mailboxes/new`);
    await page.getByTestId('mailbox-form').waitFor();
    await page.getByTestId('mailbox-address').fill('export@acme.test');
    await page.getByTestId('mailbox-name').fill('ACME Export');
    await page.getByTestId('mailbox-preset').selectOption('other');
    await page.getByTestId('mailbox-auth-method').selectOption('xoauth2');
    // "Other IMAP" has no known token endpoint: a pasted access token only.
    expect(await page.getByTestId('mailbox-oauth-refresh-token').count()).toBe(0);
    await page.getByTestId('mailbox-preset').selectOption('m365');
    await page.getByTestId('mailbox-auth-method').selectOption('xoauth2');
    await page.getByTestId('mailbox-oauth-refresh-token').fill('1.AQ-refresh-token');
    await page.getByTestId('mailbox-save').click();
    // A refresh token without its client cannot be used: the form says so before anything is sent.
    await expect
      .poll(() => page.getByTestId('mailbox-form').textContent())
      .toContain('Enter the client ID the refresh token was issued to.');
    await page.getByTestId('mailbox-oauth-client-id').fill('00000000-aaaa-bbbb-cccc-000000000000');
    await page.getByTestId('mailbox-oauth-client-secret').fill('client secret');
    await shot('14-mailbox-xoauth2-refresh-en');
  });
});
