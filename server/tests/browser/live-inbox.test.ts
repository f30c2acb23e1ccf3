import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInInBrowser } from '../support/browser-sign-in.js';
import { chromiumArgs } from '../support/chromium.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { testEnv } from '../support/env.js';
import { deliver, emptyMailboxes, waitForCount } from '../support/mail-server.js';
import { type PierProcess, startPierProcess } from '../support/pier-process.js';
import { TEST_PASSWORD as password } from '../support/users.js';
import { addMailbox, addUser, grantAccess, withTestWorkspace } from '../support/workspace-setup.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const mailbox = 'sales@acme.test';

/**
 * Live inbox over the whole chain: Postfix → Dovecot → Pier's IMAP IDLE sync →
 * WebSocket → the open page, which shows the mail without a reload; and two
 * agents see each other's presence in a conversation.
 */
describe('live inbox in the browser', () => {
  let database: TestDatabase;
  let pier: PierProcess;
  let browser: Browser;
  let zhang: Page;
  let li: Page;

  const signIn = async (locale: string, email: string) => {
    const page = await (await browser.newContext({ locale, viewport: { width: 1280, height: 800 } })).newPage();
    await signInInBrowser(page, pier.url, { email, password });
    return page;
  };
  const listText = (page: Page) => page.getByTestId('conversation-list').textContent();

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    await emptyMailboxes(mailbox);
    await deliver({
      from: 'Maria Rossi <maria@lucebella.test>',
      to: mailbox,
      subject: 'Catalogue request',
      text: 'Please send the catalogue.',
    });
    await waitForCount(mailbox, 'INBOX', 1);
    database = await createTestDatabase('sqlite');
    await withTestWorkspace(database, async (ws) => {
      for (const [email, name] of [
        ['zhang@acme.test', 'Zhang Min'],
        ['li@acme.test', 'Li Wei'],
      ] as const) {
        await addUser(ws, { email, name, role: 'agent', password });
      }
      await addMailbox(ws, { address: mailbox, name: 'ACME Sales', purpose: 'sales', testBench: {} });
      for (const email of ['zhang@acme.test', 'li@acme.test']) await grantAccess(ws, email, mailbox, 'reply');
    });
    pier = await startPierProcess(database);
    browser = await chromium.launch({ executablePath: testEnv('PIER_TEST_CHROMIUM'), args: chromiumArgs });
    zhang = await signIn('en-US', 'zhang@acme.test');
    li = await signIn('zh-CN', 'li@acme.test');
  });
  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  it('shows a mail delivered by Postfix on the open page without a reload', async () => {
    await expect.poll(() => listText(zhang), { timeout: 30_000 }).toContain('Catalogue request');
    // A marker on the window survives only if the page is not reloaded.
    await zhang.evaluate(() => {
      (window as unknown as { liveMarker: number }).liveMarker = 42;
    });
    const started = Date.now();
    await deliver({
      from: 'Maria Rossi <maria@lucebella.test>',
      to: mailbox,
      subject: 'RFQ 600x600 LED panels',
      text: 'Price for 500 pcs?',
    });
    // The list refetches every 120 s while live, so seeing it within seconds means it was pushed.
    await expect.poll(() => listText(zhang), { timeout: 10_000, interval: 50 }).toContain('RFQ 600x600 LED panels');
    const elapsed = Date.now() - started;
    expect(await zhang.evaluate(() => (window as unknown as { liveMarker?: number }).liveMarker)).toBe(42);
    await expect.poll(() => listText(li), { timeout: 5_000 }).toContain('RFQ 600x600 LED panels');
    expect(elapsed).toBeLessThan(5_000);
    await zhang.screenshot({ path: path.join(screenshots, '40-live-new-mail-en.png') });
  });

  it('shows each agent who else is viewing the conversation', async () => {
    for (const page of [li, zhang]) {
      await page.getByTestId('conversation-item').filter({ hasText: 'RFQ 600x600 LED panels' }).click();
      await page.getByTestId('conversation-pane').getByText('RFQ 600x600 LED panels').first().waitFor();
    }
    await expect.poll(() => zhang.getByTestId('presence').textContent(), { timeout: 10_000 }).toBe('Li Wei is viewing');
    await expect.poll(() => li.getByTestId('presence').textContent(), { timeout: 10_000 }).toBe('Zhang Min 正在查看');
    await zhang.screenshot({ path: path.join(screenshots, '41-presence-viewing-en.png') });
    await li.screenshot({ path: path.join(screenshots, '42-presence-viewing-zh.png') });

    // Li closes the conversation: Zhang no longer sees Li there.
    await li.keyboard.press('Escape');
    await expect.poll(() => zhang.getByTestId('presence').count(), { timeout: 10_000 }).toBe(0);
  });

  it('catches up after the server was away: reconnects by itself and shows what arrived meanwhile', async () => {
    const port = new URL(pier.url).port;
    await pier.stop();
    await zhang.getByTestId('live-offline').waitFor({ timeout: 15_000 });
    await zhang.screenshot({ path: path.join(screenshots, '43-live-offline-en.png') });
    await deliver({ from: 'Maria Rossi <maria@lucebella.test>', to: mailbox, subject: 'Sent while Pier was down', text: 'Still there?' });
    await waitForCount(mailbox, 'INBOX', 3);
    pier = await startPierProcess(database, { PIER_PORT: port });
    await expect.poll(() => listText(zhang), { timeout: 45_000 }).toContain('Sent while Pier was down');
    await expect.poll(() => zhang.getByTestId('live-offline').count(), { timeout: 10_000 }).toBe(0);
    expect(await zhang.evaluate(() => (window as unknown as { liveMarker?: number }).liveMarker)).toBe(42);
  });
});
