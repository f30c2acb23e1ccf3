import { mkdirSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailbox } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { signInInBrowser } from '../support/browser-sign-in.js';
import { chromiumArgs } from '../support/chromium.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { testEnv } from '../support/env.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD } from '../support/users.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const admin = { email: 'admin@acme.test', password: TEST_PASSWORD };
// 8×8 PNG (a small blue square) for the image attachment preview.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAIAAABLbSncAAAAEklEQVR42mNkaGBgwA4YhzMDAEqwBQF2X1T2AAAAAElFTkSuQmCC', 'base64');

// The customer's local time depends on the hour (the weekday shows when their date is not the reader's),
// so the browser runs at fixed instants in a fixed zone (Asia/Shanghai): tomorrow 04:00 UTC, when
// Shanghai (12:00) and Madrid (05:00 or 06:00) share a date, and 21:50 UTC, when Shanghai is a day ahead.
const DAY_MS = 24 * 60 * 60_000;
const tomorrow = Math.ceil(Date.now() / DAY_MS) * DAY_MS;
const sameDayThere = new Date(tomorrow + 4 * 60 * 60_000);
const otherDayThere = new Date(tomorrow + (21 * 60 + 50) * 60_000);
const timeIn = (timeZone: string, at: Date, options: Intl.DateTimeFormatOptions = {}) =>
  new Intl.DateTimeFormat('en', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23', ...options }).format(at);

describe('reading a conversation in the browser', () => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    database = await createTestDatabase('sqlite');
    pier = await startTestPier(database);
    const { db } = pier.workspace;
    await createAccount(db, { email: admin.email, name: 'Li Wei', password: admin.password, role: 'admin' });
    await createMailbox(db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' });
    await createMailbox(db, { address: 'info@acme.test', displayName: 'Info', purpose: 'inquiry' });
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort ?? 0, secure: false, ignoreTLS: true });
    await smtp.sendMail({
      from: 'Zhang Wei <zhang.wei@hongda-lighting.com.cn>',
      to: 'info@acme.test',
      subject: '询价：LED 面板灯 600x600',
      text: '您好，\n\n请报 600x600 LED 面板灯 2000 件的价格，含税，FOB 宁波。\n\n谢谢\n张伟\n\n在 2026年11月20日 周五 09:12，ACME 写道：\n> 感谢您的来信。\n> 请告知数量。',
    });
    await smtp.sendMail({
      from: 'Maria Gonzalez <maria@globex-trading.es>',
      to: 'sales@acme.test',
      cc: 'info@acme.test',
      subject: 'Inquiry: LED panel 600x600, 2,000 pcs',
      text: 'Dear ACME team,\n\nplease quote 2,000 pcs FOB Ningbo.\n\nOn Tue, 24 Nov 2026 at 10:02, Li Wei wrote:\n> Thank you for your interest.',
      html:
        '<div style="font-family:Arial"><p>Dear ACME team,</p><p>please quote <b>2,000 pcs</b> of the 600x600 panel, FOB Ningbo. Our logo is below.</p>' +
        '<p><img src="cid:logo@globex" alt="Globex" width="48" height="48"> <img src="https://tracker.example/open.gif" width="1" height="1"></p>' +
        '<p>Best regards,<br>Maria Gonzalez<br>Purchasing · Globex Trading S.L. · Valencia</p></div>' +
        '<div class="gmail_quote">On Tue, 24 Nov 2026 at 10:02, Li Wei wrote:<blockquote type="cite">Thank you for your interest. Which quantity?</blockquote></div>',
      attachments: [
        { filename: 'logo.png', content: PNG, cid: 'logo@globex' },
        { filename: '询价单 RFQ-2026-118.pdf', content: Buffer.from('%PDF-1.4\n% an RFQ\n'), contentType: 'application/pdf' },
        { filename: 'panel-photo.png', content: PNG, contentType: 'image/png' },
      ],
    });
    await smtp.sendMail({
      from: 'Maria Gonzalez <maria@globex-trading.es>',
      to: 'sales@acme.test',
      subject: 'Samples for the 2025 order',
      text: 'Did the samples ship?',
    });
    await smtp.sendMail({
      from: 'Jonas Weber <jonas@hanse-licht.de>',
      to: 'sales@acme.test',
      subject: 'AW: Anfrage Downlights',
      text: 'Hallo,\n\nbitte senden Sie uns das Angebot bis Freitag.\n\nAm 20.11.2026 um 09:00 schrieb ACME Sales <sales@acme.test>:\n> Gern, welche Menge?',
    });
    smtp.close();

    browser = await chromium.launch({ executablePath: testEnv('PIER_TEST_CHROMIUM'), args: chromiumArgs });
    page = await (
      await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 900 }, timezoneId: 'Asia/Shanghai' })
    ).newPage();
    await page.clock.setFixedTime(sameDayThere);
    await signInInBrowser(page, pier.url, admin);
    await page.getByTestId('conversation-item').nth(3).waitFor({ timeout: 15_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  const shot = (name: string) => page.screenshot({ path: path.join(screenshots, `${name}.png`) });
  const subject = () => page.locator('#conversation-subject').textContent();

  it('moves through the list with j/k, opens with Enter, and ignores keys typed into the search box', async () => {
    await page.locator('body').click({ position: { x: 700, y: 450 } });
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    const first = page.getByTestId('conversation-item').first();
    expect(await first.getAttribute('data-cursor')).toBe('true');
    await shot('60-inbox-en');
    await page.keyboard.press('Enter');
    await expect.poll(subject).toBe('AW: Anfrage Downlights');
    await page.keyboard.press('j');
    await expect.poll(subject).toBe('Samples for the 2025 order');
    await page.keyboard.press('k');
    await expect.poll(subject).toBe('AW: Anfrage Downlights');

    await page.getByTestId('conversation-search').click();
    await page.keyboard.type('jk');
    expect(await subject()).toBe('AW: Anfrage Downlights');
    await page.getByTestId('conversation-search').fill('');
    await page.keyboard.press('Escape');
  });

  it('shows the customer, local time, mailboxes, related conversations, the HTML body and attachments', async () => {
    await page.getByTestId('conversation-item').filter({ hasText: 'Inquiry: LED panel' }).click();
    await expect.poll(subject).toBe('Inquiry: LED panel 600x600, 2,000 pcs');
    const header = page.getByTestId('conversation-header');
    await expect.poll(() => header.textContent()).toContain('Maria Gonzalez');
    expect(await header.textContent()).toContain('Spain');
    expect(await page.getByTestId('customer-local-time').textContent()).toBe(`Local time ${timeIn('Europe/Madrid', sameDayThere)}`);
    expect(await page.getByTestId('conversation-mailboxes').textContent()).toBe('Ininfo@acme.testsales@acme.test');
    await page.getByTestId('related-conversations').locator('summary').click();
    expect(await page.getByTestId('related-conversations').textContent()).toContain('Samples for the 2025 order');

    const frame = page.frameLocator('[data-testid="mail-frame"]');
    await expect.poll(() => frame.locator('body').textContent()).toContain('please quote 2,000 pcs');
    // Quoted history is folded; the inline logo is there (data: URL), the tracking pixel is not.
    expect(await frame.locator('body').textContent()).not.toContain('Which quantity');
    expect(await frame.locator('img[alt="Globex"]').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await expect.poll(() => page.getByTestId('images-bar').textContent()).toContain('1 remote image blocked');

    const attachments = page.getByTestId('attachment');
    expect(await attachments.count()).toBe(2);
    expect(await attachments.first().textContent()).toContain('询价单 RFQ-2026-118.pdf');
    expect(await attachments.first().textContent()).toMatch(/PDF询价单 RFQ-2026-118.pdf\d+B/);
    const download = page.waitForEvent('download');
    await attachments.first().getByTestId('attachment-download').click();
    expect((await download).suggestedFilename()).toBe('询价单 RFQ-2026-118.pdf');
    await attachments.nth(1).getByRole('button', { name: 'Preview' }).click();
    await page.getByTestId('attachment-preview').locator('img').waitFor();
    await shot('61-conversation-en');

    await page.getByRole('button', { name: 'Show quoted text' }).click();
    await expect.poll(() => frame.locator('body').textContent()).toContain('Which quantity');
  });

  it("shows the weekday with the customer's local time when their date is not the reader's", async () => {
    await page.clock.setFixedTime(otherDayThere);
    await page.reload();
    await page.getByTestId('conversation-item').filter({ hasText: 'Inquiry: LED panel' }).click();
    await expect.poll(subject).toBe('Inquiry: LED panel 600x600, 2,000 pcs');
    const expected = `Local time ${timeIn('Europe/Madrid', otherDayThere, { weekday: 'short' })}`;
    expect(expected).toMatch(/^Local time [A-Z][a-z]{2} \d{2}:50$/);
    await expect.poll(() => page.getByTestId('customer-local-time').textContent()).toBe(expected);
    await page.clock.setFixedTime(sameDayThere);
  });

  it('folds quoted plain text (German and Chinese reply headers)', async () => {
    await page.getByTestId('conversation-item').filter({ hasText: 'Anfrage Downlights' }).click();
    await expect.poll(subject).toBe('AW: Anfrage Downlights');
    const text = page.getByTestId('mail-text');
    await expect.poll(() => text.textContent()).toContain('bitte senden Sie uns das Angebot');
    expect(await text.textContent()).not.toContain('welche Menge');
    await page.getByRole('button', { name: 'Show quoted text' }).click();
    expect(await page.locator('.mail-quoted').textContent()).toContain('welche Menge');
  });

  it('lists the shortcuts with ?, "e" closes the conversation, and the same in Chinese', async () => {
    await page.keyboard.press('?');
    const help = page.getByTestId('shortcut-help');
    await help.waitFor();
    expect(await help.textContent()).toContain('Next conversation');
    await shot('62-shortcuts-en');
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });
    // The triage toolbar registers a/e/s/# (new-mail-and-shortcuts.test.ts covers each): "e" closes.
    await page.keyboard.press('e');
    await expect.poll(() => page.getByTestId('triage-status').inputValue()).toBe('closed');
    expect(await page.getByTestId('shortcut-notice').count()).toBe(0);

    await page.getByTestId('language-switch').selectOption('zh-CN');
    await page.getByTestId('conversation-item').filter({ hasText: '询价' }).click();
    await expect.poll(subject).toBe('询价：LED 面板灯 600x600');
    await expect.poll(() => page.getByTestId('conversation-header').textContent()).toContain('中国');
    expect(await page.getByTestId('customer-local-time').textContent()).toBe('当地时间 12:00');
    expect(await page.getByTestId('mail-text').textContent()).not.toContain('感谢您的来信');
    await shot('64-conversation-plain-zh-CN');
    await page.getByTestId('conversation-item').filter({ hasText: 'Inquiry: LED panel' }).click();
    await expect.poll(() => page.getByTestId('images-bar').textContent()).toContain('已阻止 1 张远程图片');
    await page.keyboard.press('Escape');
    await page.getByTestId('conversation-item').first().waitFor();
    await shot('63-inbox-zh-CN');
    await page.getByTestId('conversation-item').filter({ hasText: 'Inquiry: LED panel' }).click();
    await page.frameLocator('[data-testid="mail-frame"]').locator('img[alt="Globex"]').waitFor();
    await shot('65-conversation-zh-CN');
    await page.keyboard.press('?');
    expect(await page.getByTestId('shortcut-help').textContent()).toContain('下一个会话');
    await shot('66-shortcuts-zh-CN');
    await page.keyboard.press('Escape');
  });

  it('shows a reader of both mailboxes the conversation in another mailbox that a reply answers (decision 0027)', async () => {
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort ?? 0, secure: false, ignoreTLS: true });
    const jonas = 'Jonas Weber <jonas@hanse-licht.de>';
    await smtp.sendMail({
      from: jonas,
      to: 'info@acme.test',
      subject: 'Zahlung Auftrag 77',
      text: 'Bitte senden Sie die Rechnung.',
      messageId: '<order77@hanse-licht.de>',
    });
    await smtp.sendMail({
      from: jonas,
      to: 'sales@acme.test',
      subject: 'AW: Zahlung Auftrag 77',
      text: 'Haben Sie die Rechnung schon?',
      messageId: '<order77-2@hanse-licht.de>',
      inReplyTo: '<order77@hanse-licht.de>',
      references: ['<order77@hanse-licht.de>'],
    });
    smtp.close();
    await page.getByTestId('conversation-item').filter({ hasText: 'AW: Zahlung Auftrag 77' }).click();
    const link = page.getByTestId('related-by-mail');
    await expect.poll(() => link.textContent()).toBe('info@acme.test 中的相关会话: Zahlung Auftrag 77');
    await shot('67-related-by-mail-zh-CN');
    await page.getByTestId('language-switch').selectOption('en');
    await expect.poll(() => link.textContent()).toBe('Related conversation in info@acme.test: Zahlung Auftrag 77');
    await shot('67-related-by-mail-en');
    await link.locator('a').click();
    await expect.poll(subject).toBe('Zahlung Auftrag 77');
    expect(await page.getByTestId('related-by-mail').textContent()).toContain('sales@acme.test');
  });
});
