import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantMailboxAccess } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { signInInBrowser } from '../support/browser-sign-in.js';
import { chromiumArgs } from '../support/chromium.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { testEnv } from '../support/env.js';
import { appendAndAssess, hanseMails, type ScenarioMail, TEAM } from '../support/hanse-scenario.js';
import { emptyMailboxes } from '../support/mail-server.js';
import { startTestPier } from '../support/pier.js';
import { nextCode } from '../support/two-factor.js';
import { TEST_PASSWORD as password } from '../support/users.js';
import { addTestImapMailbox } from '../support/workspace.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const PERSONAL = 'jonas.weber.hh@gmail.com';
const SUBJECT = 'L/C 4471 from my phone';

/**
 * Issue 16: trust marks in the web app. The known customer writes once from his personal free-mail
 * address under his own name (flagged: the name belongs to j.weber@hanse-import.de). An admin who
 * called him marks that address trusted from the fraud panel; the mail is judged again and the
 * warning goes. Settings › Trusted parties lists the mark with who, when and why, and revokes it:
 * the mail is flagged again. The whole domain gmail.com cannot be trusted.
 */
describe('trust marks in Chromium', () => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let browser: Browser;
  let conversationId = '';
  let messageId = '';

  const level = async () =>
    (await pier.workspace.db.selectFrom('fraud_assessments').select('level').where('message_id', '=', messageId).executeTakeFirstOrThrow())
      .level;
  const audit = async (action: string) =>
    pier.workspace.db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', action).execute();

  async function open(locale: 'en-US' | 'zh-CN', width: number): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('pageerror', error.stack));
    await signInInBrowser(page, pier.url, { email: 'boss@acme.test', password });
    return page;
  }
  /** The server asks for password + code again when the last check is old: answer like a person would. */
  async function stepUpIfAsked(page: Page, done: () => Promise<unknown>) {
    const dialog = page.getByTestId('step-up-dialog');
    await Promise.race([dialog.waitFor().catch(() => undefined), done()]);
    if (await dialog.isVisible()) {
      await page.getByTestId('step-up-password').fill(password);
      await page.getByTestId('step-up-code').fill(nextCode(pier.url, 'boss@acme.test'));
      await page.getByTestId('step-up-submit').click();
    }
  }

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    database = await createTestDatabase('sqlite');
    pier = await startTestPier(database);
    await emptyMailboxes(TEAM);
    const mailbox = await addTestImapMailbox(pier.workspace, TEAM);
    const boss = await createAccount(pier.workspace.db, { email: 'boss@acme.test', name: 'Chen Boss', password, role: 'admin' });
    await grantMailboxAccess(pier.workspace.db, boss.id, mailbox.id, 'reply');
    const mails = hanseMails(Date.now(), '.trust');
    for (const key of ['h1', 'h2', 'h3'])
      expect((await appendAndAssess(pier.workspace.db, mails[key] as ScenarioMail))?.level).toBe('none');
    const date = new Date();
    const row = await appendAndAssess(pier.workspace.db, {
      key: 'personal',
      folder: 'INBOX',
      date,
      genuine: true,
      raw: [
        `Message-ID: <personal.trust@mail.gmail.com>`,
        `From: "Jonas Weber" <${PERSONAL}>`,
        `To: ${TEAM}`,
        `Subject: ${SUBJECT}`,
        `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
        'Content-Type: text/plain; charset=utf-8',
        '',
        'Dear Lily, I am travelling; our bank will open the L/C for order 4471 on Monday. Jonas',
        '',
      ].join('\r\n'),
    });
    expect(row?.level).not.toBe('none');
    conversationId = row?.conversation_id ?? '';
    messageId = row?.message_id ?? '';
    browser = await chromium.launch({ executablePath: testEnv('PIER_TEST_CHROMIUM'), args: chromiumArgs });
  });
  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
    await emptyMailboxes(TEAM);
  });

  it('shows the action in the fraud panel at both widths and in both languages', async () => {
    for (const [locale, width, label] of [
      ['en-US', 1440, 'Trust this sender…'],
      ['zh-CN', 390, '信任此发件人…'],
      ['zh-CN', 1440, '信任此发件人…'],
      ['en-US', 390, 'Trust this sender…'],
    ] as const) {
      const page = await open(locale, width);
      await page.goto(`${pier.url}/?c=${conversationId}`);
      const banner = page.getByTestId('conversation-pane').getByTestId('fraud-banner');
      await banner.waitFor();
      expect(await banner.getByTestId('fraud-trust-open').textContent()).toBe(label);
      await banner.getByTestId('fraud-trust-open').click();
      const form = banner.getByTestId('fraud-trust-form');
      await form.waitFor();
      expect(await form.textContent()).toContain(PERSONAL);
      expect(await form.textContent()).toContain('gmail.com');
      expect(await banner.getByTestId('fraud-trust-open').count()).toBe(0);
      await page.screenshot({ path: path.join(screenshots, `fraud-trust-panel-${width}-${locale}.png`), fullPage: true });
      await page.context().close();
    }
  });

  it('refuses the whole free-mail domain, trusts the address: audited, the warning goes; revoke brings it back', async () => {
    const page = await open('en-US', 1440);
    await page.goto(`${pier.url}/?c=${conversationId}`);
    const banner = page.getByTestId('conversation-pane').getByTestId('fraud-banner');
    await banner.getByTestId('fraud-trust-open').click();
    const form = banner.getByTestId('fraud-trust-form');
    await form.getByTestId('fraud-trust-domain').check();
    await form.locator('textarea').fill('Called Jonas on +49 40 123 456 from our records: his personal mail');
    await form.getByTestId('fraud-trust-submit').click();
    await stepUpIfAsked(page, () => form.getByRole('alert').waitFor());
    await form.getByRole('alert').getByText('free-mail provider').waitFor();
    expect(await level()).not.toBe('none');
    // The address alone.
    await form.getByRole('radio').first().check();
    await form.getByTestId('fraud-trust-submit').click();
    await stepUpIfAsked(page, () => banner.waitFor({ state: 'detached' }));
    await banner.waitFor({ state: 'detached' });
    expect(await level()).toBe('none');
    const marked = await audit('fraud.party_trusted');
    expect(marked).toHaveLength(1);
    expect(JSON.stringify(marked[0]?.details)).toContain(PERSONAL);
    // The row loses its marker too.
    const rowMarker = page
      .locator(`[data-testid="conversation-item"][data-conversation-id="${conversationId}"]`)
      .getByTestId('fraud-marker');
    await rowMarker.waitFor({ state: 'detached' });

    // Settings › Trusted parties: who, when, why; then revoke.
    await page.goto(`${pier.url}/settings/trusted-parties`);
    const list = page.getByTestId('trusted-parties-page');
    const row = list.getByTestId('trust-row').filter({ hasText: PERSONAL });
    await row.waitFor();
    expect(await row.textContent()).toContain('Chen Boss');
    expect(await row.textContent()).toContain('Called Jonas');
    await page.screenshot({ path: path.join(screenshots, 'fraud-trust-page-1440-en-US.png'), fullPage: true });
    await row.getByTestId('trust-revoke-open').click();
    await row.getByTestId('trust-revoke-form').locator('textarea').fill('He says he never uses that address');
    await row.getByTestId('trust-revoke-submit').click();
    await stepUpIfAsked(page, () => row.getByTestId('trust-revoked').waitFor());
    await row.getByTestId('trust-revoked').waitFor();
    expect(await row.getAttribute('data-revoked')).toBe('true');
    expect(await row.getByTestId('trust-revoked').textContent()).toContain('never uses that address');
    expect(await level()).not.toBe('none');
    expect(await audit('fraud.party_trust_revoked')).toHaveLength(1);
    await page.context().close();
  });

  it('lays the list out at 390 px and in Chinese, and adds a mark from the page', async () => {
    for (const [locale, width] of [
      ['zh-CN', 390],
      ['zh-CN', 1440],
      ['en-US', 390],
    ] as const) {
      const page = await open(locale, width);
      await page.goto(`${pier.url}/settings/trusted-parties`);
      const list = page.getByTestId('trusted-parties-page');
      await list.getByTestId('trust-row').first().waitFor();
      if (locale === 'zh-CN') expect(await list.textContent()).toContain('受信任方');
      // Nothing wider than the screen.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(screenshots, `fraud-trust-page-${width}-${locale}.png`), fullPage: true });
      await page.context().close();
    }
    const page = await open('en-US', 1440);
    await page.goto(`${pier.url}/settings/trusted-parties`);
    await page.getByTestId('trust-add-open').click();
    const add = page.getByTestId('trust-add-form');
    await add.getByTestId('trust-add-kind').selectOption('domain');
    await add.getByTestId('trust-add-value').fill('Mail.Hanse-Logistik.DE');
    await add.getByTestId('trust-add-reason').fill('Our forwarder since 2019, contract on file');
    await add.getByTestId('trust-add-submit').click();
    await stepUpIfAsked(page, () => page.getByTestId('trust-flash').waitFor());
    await page.getByTestId('trust-flash').getByText('hanse-logistik.de is trusted now').waitFor();
    await page.getByTestId('trust-row').filter({ hasText: 'hanse-logistik.de' }).waitFor();
    await page.context().close();
  });
});
