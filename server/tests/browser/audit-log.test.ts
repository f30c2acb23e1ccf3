import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManageSieveClient, saveSieveSettings } from '../../src/modules/audit/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { invalidateSessionCache, SESSION_CACHE_MS } from '../../src/modules/security/session-cache.js';
import { createTeam, updateTeam } from '../../src/modules/triage/index.js';
import { finishSecondFactorInBrowser } from '../support/browser-sign-in.js';
import { chromiumArgs } from '../support/chromium.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { testEnv } from '../support/env.js';
import { createApiClient } from '../support/http-client.js';
import { mailServer } from '../support/mail-server.js';
import { type PierProcess, startPierProcess } from '../support/pier-process.js';
import { nextCode } from '../support/two-factor.js';
import { TEST_PASSWORD } from '../support/users.js';
import { addTestImapMailbox, openTestWorkspace } from '../support/workspace.js';
import { addMailbox, addUser, withTestWorkspace } from '../support/workspace-setup.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const admin = { email: 'admin@acme.test', password: TEST_PASSWORD };

describe('the audit log in the browser', () => {
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
    browser = await chromium.launch({ executablePath: testEnv('PIER_TEST_CHROMIUM'), args: chromiumArgs });
    page = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 860 }, acceptDownloads: true })).newPage();
    await page.goto(pier.url);
    // One failed attempt first, so the log shows a failure next to the success.
    await page.getByTestId('login-email').fill(admin.email);
    await page.getByTestId('login-password').fill('wrong password here');
    await page.getByTestId('login-submit').click();
    await page.getByRole('alert').first().waitFor();
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

  it('lists the records newest first with the chain status, filters them, and exports CSV (en)', async () => {
    await page.goto(`${pier.url}/settings/audit`);
    await page.getByTestId('audit-table').waitFor();
    await expect.poll(() => page.getByTestId('audit-chain').textContent()).toMatch(/Chain intact: \d+ records checked\./);
    // The worker may already have made the scheduled quarterly report (its own record): leave it out here.
    const actions = (await page.locator('.audit-action-name').allTextContents()).filter((a) => a !== 'Audit report generated');
    // Two-factor is required by default: the first sign-in enrols an authenticator (its own record).
    expect(actions).toEqual(['Two-step sign-in set up', 'Signed in', 'Sign-in failed', 'Mailbox added', 'User created']);
    await shot('audit-log-en');

    await page.getByTestId('audit-filter-action').selectOption('mailbox.created');
    await expect.poll(() => page.locator('.audit-action-name').allTextContents()).toEqual(['Mailbox added']);

    // Exports need a fresh step-up: signed in a while ago, the button asks for password + code first.
    const ws = await openTestWorkspace(database);
    try {
      await ws.db
        .updateTable('sessions')
        .set({ reauth_at: Date.now() - 11 * 60_000 })
        .execute();
    } finally {
      await ws.close();
    }
    invalidateSessionCache(); // Pier runs in this process; its guard caches sessions for 2 s
    await pier.advanceClock(SESSION_CACHE_MS); // the server caches sessions that long
    await page.getByTestId('audit-export').click();
    await page.getByTestId('step-up-dialog').waitFor();
    await shot('audit-export-step-up-en');
    await page.getByTestId('step-up-password').fill(admin.password);
    await page.getByTestId('step-up-code').fill(nextCode(pier.url, admin.email));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('step-up-submit').click()]);
    expect(download.suggestedFilename()).toMatch(/^pier-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path()) ?? '', 'utf8');
    expect(csv.split('\r\n')[1]).toContain('mailbox.created');
    await page.getByTestId('audit-filter-action').selectOption('audit.exported');
    await expect.poll(() => page.locator('.audit-action-name').allTextContents()).toEqual(['Audit log exported']);
  });

  it('reads in Simplified Chinese', async () => {
    await page.evaluate(() => localStorage.setItem('pier.locale', 'zh-CN'));
    await page.goto(`${pier.url}/settings/audit`);
    await page.getByTestId('audit-table').waitFor();
    await expect.poll(() => page.getByTestId('audit-chain').textContent()).toContain('哈希链完整');
    expect(await page.locator('.audit-action-name').allTextContents()).toContain('登录失败');
    await shot('audit-log-zh-CN');
  });

  it('lists the forwards found in a mailbox’s Sieve script, the external one flagged (zh-CN, then en)', async () => {
    const sieve = {
      host: mailServer.host,
      port: Number(testEnv('PIER_TEST_SIEVE_PORT')),
      tls: 'none' as const,
      user: 'support@acme.test',
      password: mailServer.password,
    };
    const client = await ManageSieveClient.connect(sieve);
    await client.putScript(
      'pier-browser',
      'require ["copy"];\r\nredirect :copy "sales@acme.test";\r\nredirect "finance.backup@gmail.test";\r\n',
    );
    await client.setActive('pier-browser');
    await client.logout();
    const ws = await openTestWorkspace(database);
    try {
      const row = await addTestImapMailbox(ws, 'support@acme.test');
      await saveSieveSettings(ws.db, row.id, { enabled: 1, port: sieve.port, tls: 'none' });
    } finally {
      await ws.close();
    }
    try {
      await page.goto(`${pier.url}/settings/forwarding`);
      await page.getByTestId('forwarding-scan').click();
      await expect
        .poll(() => page.getByTestId('forwarding-mailbox').first().textContent(), { timeout: 20_000 })
        .toContain('finance.backup@gmail.test');
      const text = await page.getByTestId('forwarding-page').textContent();
      expect(text).toContain('公司外部地址');
      expect(text).toContain('Pier 中没有转发邮件的规则');
      await shot('audit-forwarding-zh-CN');
      await page.evaluate(() => localStorage.setItem('pier.locale', 'en'));
      await page.reload();
      await page.getByTestId('forwarding-mailbox').first().waitFor();
      expect(await page.getByTestId('forwarding-page').textContent()).toContain('Outside the company');
      await shot('audit-forwarding-en');
    } finally {
      const cleanup = await ManageSieveClient.connect(sieve);
      await cleanup.setActive('');
      await cleanup.deleteScript('pier-browser');
      await cleanup.logout();
    }
  });

  it('makes the audit report on demand and shows every section, the missing ones said so, no raw code (en, zh-CN)', async () => {
    // Something in every coded line: a team re-staffed, a burst of failed sign-ins (alerts), a flagged mail.
    const ws = await openTestWorkspace(database);
    try {
      const adminRow = await ws.db.selectFrom('users').select('id').where('email', '=', admin.email).executeTakeFirstOrThrow();
      const agent = await createAccount(ws.db, { email: 'wang@acme.test', name: '王芳', password: 'agent password 1', role: 'agent' });
      const actor = { actorId: adminRow.id, via: 'api' as const };
      const team = await createTeam(ws.db, { name: 'Export EU', memberIds: [] }, actor);
      await updateTeam(ws.db, team.id, { name: 'Export Europe', memberIds: [agent.id] }, actor);
    } finally {
      await ws.close();
    }
    for (let i = 0; i < 5; i++)
      await createApiClient(pier.url).post('/api/auth/login', { email: 'wang@acme.test', password: `wrong guess ${i}` });
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort, secure: false, ignoreTLS: true });
    await smtp.sendMail({
      from: 'Buyer <buyer@customer.test>',
      replyTo: 'accounts@payments-update.test',
      to: 'sales@acme.test',
      subject: 'Urgent: our bank account has changed',
      text: 'Dear partner,\n\nour bank account has changed. Please pay the invoice today to our new account:\nIBAN: GB29 NWBK 6016 1331 9268 19\n\nThis is confidential, do not call.\n',
    });
    smtp.close();
    await page.goto(`${pier.url}/settings/audit-report`);
    // The flag appears once the worker has assessed the mail: make reports until it is in.
    await expect
      .poll(
        async () => {
          await page.getByTestId('report-generate').click();
          await page.waitForTimeout(500);
          return page.getByTestId('report-body').textContent();
        },
        { timeout: 30_000 },
      )
      .toContain('Urgent: our bank account has changed');
    const text = (await page.getByTestId('report-body').textContent()) ?? '';
    expect(text).toContain('finance.backup@gmail.test');
    expect(text).toContain('Mailboxes without mail in 90 days');
    // Sections Pier cannot fill say so (none today: the SLA section is filled since issue 15).
    expect(text).not.toContain('Not available yet.');
    expect(text).toContain('Team renamed');
    expect(text).toContain('Export EU → Export Europe');
    expect(text).toContain('Added to a team');
    expect(text).toContain('burst of failed sign-ins');
    expect(text).toContain('payment change');
    expect(text).toContain('no phone confirmation');
    for (const raw of [
      'failure_burst',
      'locked_out',
      'payment_change',
      'reply_to_mismatch',
      'team.renamed',
      '· warn (',
      '· high (',
      '{"',
    ]) {
      expect(text).not.toContain(raw);
    }
    // Stepped up minutes ago (the CSV export above): the PDF downloads straight away.
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-pdf').click()]);
    expect(
      readFileSync((await pdf.path()) ?? '')
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
    await shot('audit-report-en');
    await page.evaluate(() => localStorage.setItem('pier.locale', 'zh-CN'));
    await page.reload();
    await page.getByTestId('report-body').waitFor();
    const zh = (await page.getByTestId('report-body').textContent()) ?? '';
    expect(zh).toContain('转发到公司外部的规则');
    expect(zh).toContain('团队改名');
    expect(zh).toContain('加入团队');
    expect(zh).toContain('短时间内多次登录失败');
    expect(zh).toContain('变更收款账户');
    expect(zh).toContain('未电话核实');
    await shot('audit-report-zh-CN');
  });

  it('an admin adds an external Pier forwarding rule after confirming password and code; it is listed flagged (en, zh-CN)', async () => {
    // Signed in a while ago: the last password + code check is older than 10 minutes.
    const ws = await openTestWorkspace(database);
    try {
      await ws.db
        .updateTable('sessions')
        .set({ reauth_at: Date.now() - 11 * 60_000 })
        .execute();
    } finally {
      await ws.close();
    }
    await page.evaluate(() => localStorage.setItem('pier.locale', 'en'));
    await page.goto(`${pier.url}/settings/forwarding`);
    await page.getByTestId('forwarding-rule-form').waitFor();
    await page.getByTestId('forwarding-rule-mailbox').selectOption({ label: 'sales@acme.test' });
    await page.getByTestId('forwarding-rule-name').fill('Invoices to the bookkeeper');
    await page.getByTestId('forwarding-rule-sender').fill('customer.com');
    await page.getByTestId('forwarding-rule-target').fill('bookkeeper@gmail.test');
    await page.getByTestId('forwarding-rule-external').waitFor();
    await shot('forwarding-rule-new-en');
    await page.getByTestId('forwarding-rule-create').click();
    await page.getByTestId('step-up-dialog').waitFor();
    await page.getByTestId('step-up-password').fill(admin.password);
    await page.getByTestId('step-up-code').fill(nextCode(pier.url, admin.email));
    await page.getByTestId('step-up-submit').click();
    const row = page.getByTestId('forwarding-pier-rule').first();
    await row.waitFor();
    const text = await row.textContent();
    expect(text).toContain('bookkeeper@gmail.test');
    expect(text).toContain('Outside the company');
    expect(text).toContain('Mail from customer.com');
    expect(text).toContain('Li Wei');
    await shot('forwarding-rules-en');
    await page.evaluate(() => localStorage.setItem('pier.locale', 'zh-CN'));
    await page.reload();
    await page.getByTestId('forwarding-pier-rule').first().waitFor();
    expect(await page.getByTestId('forwarding-pier-rule').first().textContent()).toContain('来自 customer.com 的邮件');
    await shot('forwarding-rules-zh-CN');
  });
});
