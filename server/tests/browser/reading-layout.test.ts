// The reading pane's layout in Chromium: the mail frame sized to its content (long mail without an
// inner scrollbar, short mail without blank space, re-measured when images are shown and when the
// pane's width changes) and the composer taking focus below the sticky conversation header.
// Screenshots in test-output/screenshots/ (look at them).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailbox } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { launchChromium, signInInBrowser } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD } from '../support/users.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const admin = { email: 'admin@acme.test', password: TEST_PASSWORD };
const TALL_IMAGE = 'https://images.example/catalogue-page.svg';

const paragraphs = (count: number) =>
  Array.from(
    { length: count },
    (_, i) =>
      `<p>Item ${i + 1}: 600x600 LED panel, 40 W, 4000 K, UGR&lt;19, aluminium frame, 5-year warranty. Price per piece FOB Ningbo, packed 4 pcs per carton.</p>`,
  ).join('');

/** What the page can read of the mail frame: its size and its document's (same origin, no scripts). */
async function frameFacts(page: Page) {
  return page.getByTestId('mail-frame').evaluate((element) => {
    const frame = element as HTMLIFrameElement;
    const root = frame.contentDocument?.documentElement;
    const body = frame.contentDocument?.body;
    return {
      frameHeight: frame.getBoundingClientRect().height,
      scrollHeight: root?.scrollHeight ?? -1,
      clientHeight: root?.clientHeight ?? -1,
      bodyHeight: body ? body.getBoundingClientRect().height : -1,
      text: body?.textContent ?? '',
    };
  });
}

describe('reading pane layout', () => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let browser: Browser;
  let page: Page;
  const shot = (name: string) => page.screenshot({ path: path.join(screenshots, `${name}.png`) });
  const open = async (subject: string) => {
    await page.getByTestId('conversation-item').filter({ hasText: subject }).click();
    await expect.poll(() => page.locator('#conversation-subject').textContent()).toBe(subject);
  };

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    database = await createTestDatabase('sqlite');
    pier = await startTestPier(database);
    await createAccount(pier.workspace.db, { email: admin.email, name: 'Li Wei', password: admin.password, role: 'admin' });
    await createMailbox(pier.workspace.db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' });
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort ?? 0, secure: false, ignoreTLS: true });
    const from = 'Maria Gonzalez <maria@globex-trading.es>';
    await smtp.sendMail({
      from,
      to: 'sales@acme.test',
      subject: 'Price list, 60 items',
      text: 'Price list (HTML)',
      html: `<div style="font-family:Arial"><p>Dear ACME team, our price list:</p>${paragraphs(60)}<p id="last">End of the list. Maria</p></div>`,
    });
    await smtp.sendMail({ from, to: 'sales@acme.test', subject: 'Short thanks', text: 'Thanks!', html: '<p>Thanks, received.</p>' });
    await smtp.sendMail({
      from,
      to: 'sales@acme.test',
      subject: 'Catalogue page',
      text: 'See the catalogue page below.',
      html: `<p>See the catalogue page below.</p><p><img src="${TALL_IMAGE}" alt="Catalogue page"></p><p id="after">Regards, Maria</p>`,
    });
    smtp.close();

    browser = await launchChromium();
    page = await signInInBrowser(browser, pier.url, admin, { locale: 'en', viewport: { width: 1440, height: 900 } });
    // The "remote" image host: a 400 px tall SVG served to the mail frame once images are shown.
    await page.route(`${TALL_IMAGE}*`, (route) =>
      route.fulfill({
        contentType: 'image/svg+xml',
        body: '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="400"><rect width="300" height="400" fill="#9ec5fe"/></svg>',
      }),
    );
    await page.getByTestId('conversation-item').nth(2).waitFor({ timeout: 15_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  it('sizes a long HTML mail to its content: no scrollbar inside the frame, the whole mail on the page', async () => {
    await open('Price list, 60 items');
    await expect.poll(async () => (await frameFacts(page)).text).toContain('End of the list');
    await expect.poll(async () => (await frameFacts(page)).frameHeight, { timeout: 10_000 }).toBeGreaterThan(1500);
    const facts = await frameFacts(page);
    // Nothing to scroll inside the frame, and no blank space under the content either.
    expect(facts.scrollHeight).toBeLessThanOrEqual(facts.clientHeight);
    expect(facts.frameHeight - facts.bodyHeight).toBeLessThan(16);
    await page.getByTestId('mail-frame').scrollIntoViewIfNeeded();
    await shot('70-mail-frame-long');
  });

  it('sizes a short HTML mail without blank space under it', async () => {
    await open('Short thanks');
    await expect.poll(async () => (await frameFacts(page)).text).toContain('Thanks, received.');
    await expect.poll(async () => (await frameFacts(page)).frameHeight, { timeout: 10_000 }).toBeLessThan(60);
    const facts = await frameFacts(page);
    expect(facts.scrollHeight).toBeLessThanOrEqual(facts.clientHeight);
    expect(facts.frameHeight - facts.bodyHeight).toBeLessThan(16);
    await shot('71-mail-frame-short');
  });

  it('grows the frame when the reader shows images, and re-measures when the pane gets narrower', async () => {
    await open('Catalogue page');
    await expect.poll(async () => (await frameFacts(page)).text).toContain('Regards, Maria');
    await expect.poll(() => page.getByTestId('images-bar').textContent()).toContain('1 remote image blocked');
    await expect.poll(async () => (await frameFacts(page)).frameHeight, { timeout: 10_000 }).toBeLessThan(150);
    const before = (await frameFacts(page)).frameHeight;
    await page.getByTestId('show-images').click();
    await expect.poll(async () => (await frameFacts(page)).frameHeight, { timeout: 10_000 }).toBeGreaterThan(before + 350);
    const shown = await frameFacts(page);
    expect(shown.scrollHeight).toBeLessThanOrEqual(shown.clientHeight);
    await shot('72-mail-frame-images-shown');

    // Narrower pane (800 px: the two-pane tablet layout, decision 0037): the long mail's lines wrap more, the frame grows with them and still has no scrollbar.
    await open('Price list, 60 items');
    await expect.poll(async () => (await frameFacts(page)).frameHeight, { timeout: 10_000 }).toBeGreaterThan(1500);
    const wide = (await frameFacts(page)).frameHeight;
    await page.setViewportSize({ width: 800, height: 900 });
    await expect.poll(async () => (await frameFacts(page)).frameHeight, { timeout: 10_000 }).toBeGreaterThan(wide + 200);
    const narrow = await frameFacts(page);
    expect(narrow.scrollHeight).toBeLessThanOrEqual(narrow.clientHeight);
    await shot('73-mail-frame-narrow');
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('keeps what takes focus in the composer clear of the sticky conversation header', async () => {
    await open('Price list, 60 items');
    await page.getByTestId('composer-editor').waitFor({ timeout: 20_000 });
    const stickyBottom = () => page.locator('.conversation-top').evaluate((el) => el.getBoundingClientRect().bottom);
    const top = (testId: string) => page.getByTestId(testId).evaluate((el) => el.getBoundingClientRect().top);
    const scrollPane = (to: 'top' | 'bottom') =>
      page.getByTestId('conversation-pane').evaluate((pane, where) => {
        for (let el: Element | null = pane; el; el = el.parentElement) el.scrollTop = where === 'top' ? 0 : el.scrollHeight;
      }, to);
    // Read from the top, then answer with "r": the pane scrolls down to the composer.
    await scrollPane('top');
    await page.locator('#conversation-subject').click();
    await page.keyboard.press('r');
    await expect.poll(() => page.getByTestId('composer-editor').evaluate((el) => el.contains(document.activeElement))).toBe(true);
    expect(await top('composer-editor')).toBeGreaterThanOrEqual(await stickyBottom());

    // A long draft, read from its end: going back to its first line must not hide it under the header...
    for (let i = 0; i < 40; i++) await page.keyboard.press('Enter');
    await page.keyboard.type('last line');
    await scrollPane('bottom');
    await page.keyboard.press('Control+Home');
    await expect
      .poll(() => page.getByTestId('composer-editor').evaluate((el) => el.querySelector('p')?.getBoundingClientRect().top ?? -1))
      .toBeGreaterThanOrEqual(await stickyBottom());
    await shot('74-composer-caret-below-header');

    // ...nor a field above it taking focus (Shift+Tab, a click on a label).
    await scrollPane('bottom');
    await page.getByTestId('composer-subject').focus();
    expect(await top('composer-subject')).toBeGreaterThanOrEqual(await stickyBottom());
    await shot('75-composer-field-below-header');
  });
});
