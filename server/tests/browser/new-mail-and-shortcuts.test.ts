// New mail from a chosen public mailbox, the undo window setting, and the conversation
// shortcuts a / e / s / # in Chromium, against a real Pier process, Postfix and Dovecot.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInInBrowser } from '../support/browser-sign-in.js';
import { chromiumArgs } from '../support/chromium.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { testEnv } from '../support/env.js';
import { deliver, emptyMailboxes } from '../support/mail-server.js';
import { findMail, waitForMail } from '../support/outbox.js';
import { type PierProcess, startPierProcess } from '../support/pier-process.js';
import { TEST_PASSWORD as password } from '../support/users.js';
import { addMailbox, addUser, grantAccess, withTestWorkspace } from '../support/workspace-setup.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const customer = 'buyer@customer.test';
const run = Date.now().toString(36);
const agent = { email: 'li.wei@acme.test', name: 'Li Wei' };

describe('new mail, the undo window and the conversation shortcuts in the browser', () => {
  let database: TestDatabase;
  let pier: PierProcess;
  let browser: Browser;
  let page: Page;
  const shot = (name: string) => page.screenshot({ path: path.join(screenshots, `compose-${name}.png`) });

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    for (const box of ['sales@acme.test', 'info@acme.test', customer]) await emptyMailboxes(box);
    database = await createTestDatabase('sqlite');
    await withTestWorkspace(database, async (ws) => {
      await addUser(ws, { email: agent.email, name: agent.name, role: 'agent', password });
      for (const [address, name] of [
        ['sales@acme.test', 'ACME Sales'],
        ['info@acme.test', 'ACME Info'],
      ] as const) {
        await addMailbox(ws, { address, name, testBench: {} });
      }
      // Li may answer from sales@ and only read info@: new mail offers sales@ alone.
      await grantAccess(ws, agent.email, 'sales@acme.test', 'reply');
      await grantAccess(ws, agent.email, 'info@acme.test', 'read');
    });
    pier = await startPierProcess(database);
    browser = await chromium.launch({ executablePath: testEnv('PIER_TEST_CHROMIUM'), args: chromiumArgs });
    page = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1360, height: 900 } })).newPage();
    await page.addInitScript(() => {
      if (window.top === window) localStorage.setItem('pier.locale', 'en');
    });
    await signInInBrowser(page, pier.url, { email: agent.email, password });
  });

  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  it('"New mail" writes from a mailbox the agent may send from; the undo window set in the composer is the one applied', async () => {
    await page.getByTestId('new-mail').click();
    await page.waitForURL(/\/compose$/);
    await page.getByTestId('composer-editor').waitFor({ timeout: 20_000 });
    const from = page.getByTestId('composer-from');
    expect(await from.locator('option').allTextContents()).toEqual(['ACME Sales <sales@acme.test>']);

    // 30 s: the mail waits 30 s, and undo brings it back.
    await page.getByTestId('composer-undo-delay').selectOption('30');
    await page.getByTestId('composer-to').fill(customer);
    await page.getByTestId('composer-subject').fill(`Catalogue ${run} (undone)`);
    await page.getByTestId('composer-editor').click();
    await page.keyboard.type('This one is cancelled.');
    let response = page.waitForResponse((r) => r.url().endsWith('/api/outbox') && r.request().method() === 'POST');
    await page.getByTestId('composer-send').click();
    let queued = (await (await response).json()) as { sendAfter: number };
    expect(queued.sendAfter - Date.now()).toBeGreaterThan(20_000);
    await page.getByTestId('composer-undo-button').click();
    await expect.poll(() => page.getByTestId('composer-editor').textContent()).toContain('This one is cancelled.');
    // The conversation it would have started is gone: no link to it.
    expect(await page.getByTestId('compose-open-conversation').count()).toBe(0);

    // 5 s: it leaves about 5 s later.
    await page.getByTestId('composer-undo-delay').selectOption('5');
    await expect.poll(() => page.evaluate(async () => (await (await fetch('/api/outbox/preferences')).json()).undoSeconds)).toBe(5);
    await page.getByTestId('composer-subject').fill(`Catalogue ${run}`);
    await page.getByTestId('composer-editor').click();
    await page.keyboard.press('Control+a');
    await page.keyboard.type('Dear buyer, our 2027 catalogue is attached to the next mail. 目录随后发送。');
    await shot('new-mail-en');
    response = page.waitForResponse((r) => r.url().endsWith('/api/outbox') && r.request().method() === 'POST');
    await page.getByTestId('composer-send').click();
    queued = (await (await response).json()) as { sendAfter: number };
    expect(queued.sendAfter - Date.now()).toBeLessThanOrEqual(5_000);
    await page.getByTestId('composer-undo').waitFor();

    const [received] = await waitForMail(customer, 'INBOX', `Catalogue ${run}`, 1, 30_000);
    expect(received?.parsed.from?.value[0]?.address).toBe('sales@acme.test');
    expect(received?.parsed.text).toContain('our 2027 catalogue');
    expect(received?.parsed.inReplyTo).toBeUndefined();
    expect(await findMail(customer, 'INBOX', '(undone)')).toHaveLength(0);

    // The new conversation is in the inbox, one click away.
    await page.getByTestId('compose-open-conversation').click();
    await page.getByTestId('conversation-pane').getByText(`Catalogue ${run}`).first().waitFor();
  }, 90_000);

  it('a / e / s / # work in a conversation as the help overlay says', async () => {
    await deliver({ from: 'Maria Gonzalez <buyer@customer.test>', to: 'sales@acme.test', subject: `Keys ${run}`, text: 'Hello!' });
    await page.goto(pier.url);
    const item = page.getByTestId('conversation-item').filter({ hasText: `Keys ${run}` });
    await expect.poll(() => item.count(), { timeout: 30_000 }).toBe(1);
    await item.click();
    const pane = page.getByTestId('conversation-pane');
    await pane.getByTestId('triage-assign').waitFor();
    const blur = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

    await blur();
    await page.keyboard.press('?');
    const help = page.getByTestId('shortcut-help');
    await help.waitFor();
    for (const words of ['Assign to me', 'Close the conversation', 'Snooze', 'Add a tag'])
      expect(await help.textContent()).toContain(words);
    await shot('shortcut-help-en');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });

    await blur();
    await page.keyboard.press('a');
    await expect.poll(() => pane.getByTestId('triage-assign').textContent()).toContain(agent.name);

    await blur();
    await page.keyboard.press('#');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('triage-tag-input');
    expect(await pane.getByTestId('triage-tag-input').inputValue()).toBe('');
    await page.keyboard.type('sample');
    await page.keyboard.press('Enter');
    await pane.getByTestId('triage-tag').filter({ hasText: '#sample' }).waitFor();

    await blur();
    await page.keyboard.press('s');
    await page.getByTestId('snooze-menu').waitFor();
    await pane.getByTestId('triage-snooze').click();
    await page.getByTestId('snooze-menu').waitFor({ state: 'detached' });

    await blur();
    await page.keyboard.press('e');
    await expect.poll(() => pane.getByTestId('triage-status').inputValue()).toBe('closed');
    // Nothing said "not available here".
    expect(await page.getByTestId('shortcut-notice').count()).toBe(0);
  });
});
