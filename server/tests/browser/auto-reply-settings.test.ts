import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAutoReplySettings } from '../../src/modules/auto-reply/index.js';
import { ingestMail } from '../../src/modules/conversations/index.js';
import { classifyStoredMessage } from '../../src/modules/mail-facts/index.js';
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

/** The auto-reply section of a mailbox's settings and the Automated mail view, in Chromium (en 1440 px, zh-CN 390 px). */
describe('auto-reply settings and the Automated mail view in Chromium', () => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let browser: Browser;
  let mailboxId = '';
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
    // No IMAP: the bench's Dovecot holds other tests' mail, which a sync would bring into the views.
    mailboxId = (await createMailbox(ws.db, { address: 'info@acme.test', displayName: 'ACME Info', purpose: 'inquiry' })).id;
    // A newsletter and a customer's inquiry, stored and classified as the worker does.
    const ctx = {
      engine: ws.engine,
      ownAddresses: await loadOwnAddresses(ws.db),
      messageIds: ws.messageIds,
      recordReopened: ws.recordReopened,
      teamActivity: ws.teamActivity,
    };
    for (const headers of [
      ['From: Shop News <news@shop.test>', 'Subject: December deals', 'List-Unsubscribe: <mailto:u@shop.test>', 'Precedence: bulk'],
      ['From: Anna Li <anna@buyer.test>', 'Subject: Inquiry LED panels'],
    ]) {
      const raw = Buffer.from(
        [
          ...headers,
          'To: info@acme.test',
          `Message-ID: <${headers[1]?.length}.${Date.now()}@test>`,
          'Content-Type: text/plain',
          '',
          'Hello',
        ].join('\r\n'),
      );
      const stored = await ingestMail({ ...ws, ctx }, { raw, mailboxIds: [mailboxId], source: 'imap' });
      await classifyStoredMessage(ws, { ...stored, mailboxId, direction: 'in', source: 'imap', receivedAt: Date.now() });
    }
    browser = await chromium.launch({ executablePath: testEnv('PIER_TEST_CHROMIUM'), args: chromiumArgs });
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  it('shows machine mail under Automated mail, not in Unassigned (en, 1440 px)', async () => {
    const page = await open('en-US', 1440);
    await expect.poll(() => page.getByTestId('view-automated').textContent()).toBe('Automated mail1');
    await expect.poll(() => page.getByTestId('view-unassigned').textContent()).toBe('Unassigned1');
    await page.getByTestId('view-automated').click();
    await expect.poll(() => page.getByText('December deals').count()).toBeGreaterThan(0);
    expect(await page.getByText('Inquiry LED panels').count()).toBe(0);
    await shot(page, 'auto-reply-01-automated-view-en');
  });

  it('edits the auto-reply: refuses an unknown variable, saves a German version (en, 1440 px)', async () => {
    const page = await open('en-US', 1440);
    await page.goto(`${pier.url}/settings/mailboxes/${mailboxId}`);
    const section = page.getByTestId('auto-reply-settings');
    await section.waitFor();
    await section.getByTestId('auto-reply-enabled').check();
    const inside = section.getByTestId('auto-reply-inside').first();
    await inside.fill('Dear {{customer.firstname}}, thank you. We answer by {{expected_reply_time}}.');
    await section.getByTestId('auto-reply-unknown').waitFor();
    expect(await section.getByTestId('auto-reply-unknown').textContent()).toContain('{{customer.firstname}}');
    await section.getByTestId('auto-reply-save').click();
    await section.getByTestId('auto-reply-error').waitFor();
    expect(await section.getByTestId('auto-reply-error').textContent()).toContain('unknown variable {{customer.firstname}}');
    await inside.fill('Dear {{customer.name}}, thank you. We answer by {{expected_reply_time}}.');
    await section.getByTestId('auto-reply-add-version').click();
    const german = section.locator('[data-testid="auto-reply-version"]').nth(2);
    await german.getByTestId('auto-reply-language').selectOption('de');
    await german.getByTestId('auto-reply-inside').fill('Sehr geehrte/r {{customer.name}}, wir antworten bis {{expected_reply_time}}.');
    await section.getByTestId('auto-reply-save').click();
    await section.getByRole('status').waitFor();
    const stored = await loadAutoReplySettings(pier.workspace.db, mailboxId);
    expect(stored.enabled).toBe(true);
    expect(stored.templates.versions.map((v) => v.language)).toEqual([null, 'zh', 'de']);
    expect(stored.templates.versions[0]?.insideHours).toBe('Dear {{customer.name}}, thank you. We answer by {{expected_reply_time}}.');
    await section.screenshot({ path: path.join(screenshots, 'auto-reply-02-settings-en-1440.png') });
  });

  it('reads the same screens in Chinese on a phone (zh-CN, 390 px)', async () => {
    const page = await open('zh-CN', 390);
    await page.goto(`${pier.url}/settings/mailboxes/${mailboxId}`);
    const section = page.getByTestId('auto-reply-settings');
    await section.waitFor();
    expect(await section.locator('h2').textContent()).toBe('自动回复');
    expect(await section.getByTestId('auto-reply-enabled').isChecked()).toBe(true);
    await section.screenshot({ path: path.join(screenshots, 'auto-reply-03-settings-zh-390.png') });
    await page.goto(`${pier.url}/?view=automated`);
    await page.getByTestId('inbox-shell').waitFor();
    await shot(page, 'auto-reply-04-automated-view-zh-390');
  });
});
