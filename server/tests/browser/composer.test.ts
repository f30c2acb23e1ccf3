// The composer in Chromium against a real Pier process, Postfix and Dovecot:
// saved reply + signature, collision refusal with "send anyway", undo, send
// status, both languages. Screenshots in test-output/screenshots/ (look at them).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInInBrowser } from '../support/browser-sign-in.js';
import { chromiumArgs } from '../support/chromium.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { testEnv } from '../support/env.js';
import { deliver, emptyMailboxes, waitForCount } from '../support/mail-server.js';
import { waitForMail } from '../support/outbox.js';
import { type PierProcess, startPierProcess } from '../support/pier-process.js';
import { TEST_PASSWORD } from '../support/users.js';
import { addMailbox, addUser, withTestWorkspace } from '../support/workspace-setup.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const admin = { email: 'admin@acme.test', password: TEST_PASSWORD, name: 'Li Wei' };
const sales = 'sales@acme.test';
const customer = 'buyer@customer.test';
const subject = `Inquiry LED panel ${Date.now().toString(36)}`;
const firstId = `<first.${Date.now().toString(36)}@customer.test>`;

describe('the composer in the browser', () => {
  let database: TestDatabase;
  let pier: PierProcess;
  let browser: Browser;
  let page: Page;
  const shot = (name: string) => page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });

  async function openConversation() {
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
  }

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    await emptyMailboxes(sales);
    await emptyMailboxes(customer);
    await deliver({
      from: 'Maria Gonzalez <buyer@customer.test>',
      to: sales,
      subject,
      messageId: firstId,
      text: 'Dear ACME team, please quote 500 pcs of the 600x600 LED panel. 请报价。',
    });
    await waitForCount(sales, 'INBOX', 1);
    database = await createTestDatabase('sqlite');
    await withTestWorkspace(database, async (ws) => {
      await addUser(ws, { email: admin.email, password: admin.password, name: admin.name });
      await addMailbox(ws, { address: sales, name: 'ACME Sales', testBench: { folders: 'inbox,sent' } });
    });
    pier = await startPierProcess(database);
    browser = await chromium.launch({ executablePath: testEnv('PIER_TEST_CHROMIUM'), args: chromiumArgs });
    page = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1400, height: 1000 } })).newPage();
    await page.addInitScript(() => localStorage.setItem('pier.locale', 'en'));
    await signInInBrowser(page, pier.url, admin);
  });

  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  it('sets up the signature and a saved reply in settings', async () => {
    await page.goto(`${pier.url}/settings/signatures`);
    await page.getByTestId('signature-companyName').fill('ACME Lighting Co., Ltd.');
    await page.getByTestId('signature-website').fill('https://acme.test');
    await page.getByTestId('signature-phone').fill('+86 574 5555 0100');
    await page.getByTestId('signature-save').click();
    await expect.poll(() => page.getByTestId('signatures-page').textContent()).toContain('Saved.');
    await shot('outbox-01-signatures-en');

    await page.goto(`${pier.url}/settings/saved-replies`);
    await page.getByTestId('saved-reply-add').click();
    await page.getByTestId('saved-reply-name').fill('Quote follows');
    await page.getByTestId('saved-reply-body').fill('<p>Dear {{customer.name}}, thank you for your inquiry. Our quotation follows.</p>');
    await page.getByTestId('saved-reply-save').click();
    await page.getByTestId('saved-replies-page').getByText('Quote follows').waitFor();
    await shot('outbox-02-saved-replies-en');
  });

  it('replies with a saved reply; a stale send is refused and sent on one click; the customer gets it with signature and threading', async () => {
    await openConversation();
    await expect.poll(() => page.getByTestId('composer-to').inputValue()).toBe(customer);
    expect(await page.getByTestId('composer-subject').inputValue()).toBe(`Re: ${subject}`);
    await page.getByTestId('composer-saved-reply').selectOption({ label: 'Quote follows' });
    await expect.poll(() => page.getByTestId('composer-editor').textContent()).toContain('Dear Maria Gonzalez, thank you');
    await page.getByTestId('composer-editor').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('Price: USD 18.50 per piece, FOB Ningbo.');
    await expect.poll(() => page.getByTestId('composer-draft-state').textContent(), { timeout: 10_000 }).toMatch(/Draft saved/);
    await expect.poll(() => page.getByTestId('signature-preview').textContent()).toContain('ACME Lighting Co., Ltd.');
    await shot('outbox-03-composer-en');

    // The customer writes again while the agent is typing.
    await deliver({
      from: 'Maria Gonzalez <buyer@customer.test>',
      to: sales,
      subject: `Re: ${subject}`,
      inReplyTo: firstId,
      references: [firstId],
      text: 'Also, can you do 800 pcs?',
    });
    await waitForCount(sales, 'INBOX', 2);
    // Pier's IMAP IDLE picks it up…
    await expect
      .poll(
        () =>
          page.evaluate(async (s) => {
            const res = await fetch(`/api/conversations?q=${encodeURIComponent('800')}`);
            const body = (await res.json()) as { items: { subject: string }[] };
            return body.items.some((c) => c.subject.includes(s));
          }, subject),
        { timeout: 20_000, interval: 500 },
      )
      .toBe(true);
    // …and the send is refused with what changed.
    await page.getByTestId('composer-send').click();
    await page.getByTestId('composer-collision').waitFor();
    expect(await page.getByTestId('composer-collision').textContent()).toContain('800 pcs');
    await shot('outbox-04-collision-en');

    await page.getByTestId('composer-send-anyway').click();
    await page.getByTestId('composer-undo').waitFor();
    expect(await page.getByTestId('composer-undo').textContent()).toMatch(/Sending in \d+ s/);
    await shot('outbox-05-undo-toast-en');
    await pier.advanceClock(31_000); // past the longest undo window: the worker sends it now

    await expect.poll(async () => page.getByTestId('outbox-item').first().getAttribute('data-state'), { timeout: 30_000 }).toBe('sent');
    await shot('outbox-06-sent-en');

    const [received] = await waitForMail(customer, 'INBOX', subject);
    const mail = received?.parsed;
    expect(mail?.inReplyTo).toBe(firstId);
    expect(mail?.text).toContain('Dear Maria Gonzalez, thank you for your inquiry');
    expect(mail?.text).toContain('USD 18.50');
    expect(mail?.text).toContain('ACME Lighting Co., Ltd.');
    expect(mail?.html).toContain('<strong>');
  });

  // Regression: on a second visit the saved draft (here the empty one the first send left) arrived
  // after the agent had started typing and replaced the text, so an empty body went out. The editor
  // now appears only once the context and draft are in it, and programmatic content emits no update.
  it('undo brings the mail back into the editor and nothing leaves', async () => {
    await openConversation();
    await page.getByTestId('composer-editor').pressSequentially('Sorry, wrong price, please ignore.');
    await expect.poll(() => page.getByTestId('composer-editor').textContent()).toContain('wrong price');
    const sendRequest = page.waitForRequest((r) => r.url().endsWith('/api/outbox') && r.method() === 'POST');
    await page.getByTestId('composer-send').click();
    expect((await sendRequest).postData()).toContain('wrong price');
    const cancelResponse = page.waitForResponse((r) => r.url().includes('/cancel'));
    await page.getByTestId('composer-undo-button').click();
    expect(JSON.stringify(await (await cancelResponse).json())).toContain('wrong price');
    await expect
      .poll(() => page.getByTestId('composer-editor').textContent())
      .toContain('wrong price')
      .catch(async (error: unknown) => {
        await shot('outbox-07-undo-failed-en');
        throw error;
      });
    await shot('outbox-07-undone-en');
    // The corrected mail goes out instead; with Pier's clock moved past the longest undo window (30 s)
    // it arrives: the worker has gone past the undone mail's time, and the customer has the first
    // reply and the corrected one, never the undone text.
    await page.getByTestId('composer-editor').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.getByTestId('composer-editor').pressSequentially('The right price is USD 17.90.');
    await expect.poll(() => page.getByTestId('composer-editor').textContent()).not.toContain('wrong price');
    const corrected = page.waitForResponse((r) => r.url().endsWith('/api/outbox') && r.request().method() === 'POST');
    await page.getByTestId('composer-send').click();
    expect((await corrected).status()).toBe(202);
    await pier.advanceClock(31_000);
    const received = await waitForMail(customer, 'INBOX', subject, 2);
    expect(received).toHaveLength(2);
    expect(received.map((m) => m.parsed.text ?? '').join('\n')).toContain('USD 17.90');
    expect(received.map((m) => m.parsed.text ?? '').join('\n')).not.toContain('wrong price');
  }, 60_000);

  it('shows the composer in Simplified Chinese', async () => {
    await page.evaluate(() => localStorage.setItem('pier.locale', 'zh-CN'));
    const zh = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 1400, height: 1000 } })).newPage();
    await zh.context().addCookies(await page.context().cookies());
    await zh.addInitScript(() => localStorage.setItem('pier.locale', 'zh-CN'));
    page = zh;
    await openConversation();
    await expect.poll(() => page.getByTestId('composer-send').textContent()).toBe('发送');
    await page.getByTestId('composer-mode-forward').click();
    await expect.poll(() => page.getByTestId('composer-subject').inputValue()).toMatch(/^Fwd: /);
    await shot('outbox-08-composer-zh');
    await page.goto(`${pier.url}/settings/signatures`);
    await page.getByTestId('signatures-page').waitFor();
    await shot('outbox-09-signatures-zh');
  });
});
