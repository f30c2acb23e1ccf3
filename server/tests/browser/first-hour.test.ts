import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailbox } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { launchChromium, signInInBrowser } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { makePng } from '../support/images.js';
import { emptyMailboxes } from '../support/mail-server.js';
import { waitForMail } from '../support/outbox.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD as password } from '../support/users.js';
import { addTestImapMailbox } from '../support/workspace.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const boss = { email: 'boss@acme.test', password };
const sizes = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } } as const;

/** Issue 18, an admin's first hour: the sender of invitation mails, the super admin limit, signatures. */
describe('an admin’s first hour in Chromium', () => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let browser: Browser;
  const pages: Page[] = [];

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    await emptyMailboxes('buyer2@customer.test');
    database = await createTestDatabase('sqlite');
    pier = await startTestPier(database, { PIER_PUBLIC_URL: 'https://pier.acme.test' });
    await addTestImapMailbox(pier.workspace, 'support@acme.test');
    // A mailbox at Tencent Exmail (no ManageSieve): the forwarding page asks for a check by hand.
    const exmail = await createMailbox(pier.workspace.db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' });
    await pier.workspace.db
      .updateTable('mailboxes')
      .set({ preset: 'exmail', imap_host: 'imap.exmail.qq.com', imap_port: 993 })
      .where('id', '=', exmail.id)
      .execute();
    await createAccount(pier.workspace.db, { email: boss.email, name: '李娜 Li Na', password, role: 'super_admin' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  async function open(locale: 'en' | 'zh-CN', size: keyof typeof sizes, url: string): Promise<Page> {
    const page = await signInInBrowser(browser, pier.url, boss, { locale, viewport: sizes[size] });
    pages.push(page);
    await page.goto(`${pier.url}${url}`);
    return page;
  }
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });

  it('invites through the connected mailbox it names, and the invitation arrives from it', async () => {
    const page = await open('en', 'desktop', '/settings/users');
    const select = page.getByTestId('link-sender-select');
    await select.waitFor();
    expect(await select.locator('option:checked').textContent()).toBe('support@acme.test');
    await page.getByTestId('user-invite-open').click();
    expect(await page.getByTestId('user-invite-sender').textContent()).toBe('The invitation is emailed from support@acme.test.');
    await page.getByTestId('user-invite-email').fill('buyer2@customer.test');
    await page.getByTestId('user-invite-name').fill('Buyer');
    await shot(page, 'first-hour-users-invite-1440-en');
    await page.getByTestId('user-invite-submit').click();
    await expect.poll(() => page.getByTestId('user-link-status').textContent()).toBe('It was also sent by email, from support@acme.test.');
    const [mail] = await waitForMail('buyer2@customer.test', 'INBOX', 'You are invited to Pier', 1, 30_000);
    expect(mail?.parsed.from?.value[0]?.address).toBe('support@acme.test');
  });

  it('sets a limit of one super admin and shows the refusal when inviting a second', async () => {
    const page = await open('en', 'desktop', '/settings/users');
    await page.getByTestId('super-admin-limit-select').selectOption('1');
    await page.getByTestId('super-admin-limit-save').click();
    await expect.poll(() => page.getByTestId('super-admin-limit-save').isDisabled()).toBe(true);
    await page.getByTestId('user-invite-open').click();
    await page.getByTestId('user-invite-email').fill('second@acme.test');
    await page.getByTestId('user-invite-name').fill('Second');
    await page.getByTestId('user-invite-role').selectOption('super_admin');
    await page.getByTestId('user-invite-submit').click();
    await expect
      .poll(() => page.getByTestId('user-invite-error').textContent())
      .toContain('Super admin limit reached: the workspace allows 1 and has 1 (active or invited).');
    await shot(page, 'first-hour-users-limit-1440-en');
  });

  it('refuses an unknown signature variable with the known ones, and fills the job title', async () => {
    const page = await open('en', 'desktop', '/settings/signatures');
    await page.getByTestId('signature-job-title').fill('Sales Manager');
    await page.getByTestId('signature-job-title-save').click();
    await expect.poll(() => page.getByTestId('signature-preview').textContent()).toContain('李娜 Li Na | Sales Manager');
    await page.getByTestId('signature-template').fill('<p>{{name}}<br>{{agent.name}}</p>');
    await page.getByTestId('signature-save').click();
    await expect
      .poll(() => page.getByTestId('signature-message').textContent())
      .toBe(
        'The signature uses {{name}}, which Pier does not know. Variables it knows: {{agent.name}}, {{agent.title}}, {{agent.email}}, {{company.name}}, {{company.logo}}, {{company.website}}, {{company.phone}}, {{mailbox.name}}, {{mailbox.address}}.',
      );
    await shot(page, 'first-hour-signatures-1440-en');
  });

  it('uploads a logo that the preview shows from Pier, and refuses an SVG or a file over 200 kB', async () => {
    const page = await open('en', 'desktop', '/settings/signatures');
    const input = page.getByTestId('signature-logo-input');
    await input.setInputFiles({
      name: 'logo.svg',
      mimeType: 'image/svg+xml',
      buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="90" height="30"><script>alert(1)</script></svg>'),
    });
    await expect
      .poll(() => page.getByTestId('signature-logo-message').textContent())
      .toBe('The logo must be a PNG, JPEG, GIF or WebP image. SVG is refused because it can carry scripts.');
    await input.setInputFiles({ name: 'big.png', mimeType: 'image/png', buffer: makePng(400, 120, { padTo: 250 * 1024 }) });
    await expect
      .poll(() => page.getByTestId('signature-logo-message').textContent())
      .toBe('The logo is 250 kB; it may be at most 200 kB. Save it smaller (for example 400×120 px).');
    await shot(page, 'first-hour-signature-logo-refused-1440-en');
    await input.setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: makePng(360, 120) });
    await expect.poll(() => page.getByTestId('signature-logo-message').textContent()).toBe('Logo saved.');
    // Loaded, not only placed: the CSP (img-src 'self' data:) lets Pier's own route through.
    const logo = page.getByTestId('signature-preview-logo');
    await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(360);
    expect(await page.getByTestId('signature-logo-current').evaluate((img: HTMLImageElement) => img.naturalHeight)).toBe(120);
    await shot(page, 'first-hour-signature-logo-1440-en');
  });

  it('shows the changed screens at 390 px and in Chinese', async () => {
    for (const [locale, size] of [
      ['en', 'desktop'],
      ['zh-CN', 'desktop'],
      ['zh-CN', 'phone'],
      ['en', 'phone'],
    ] as const) {
      const width = sizes[size].width;
      // One sign-in per language and size; the screens are visited in turn.
      const page = await open(locale, size, '/settings/users');
      for (const screen of ['users', 'signatures', 'forwarding'] as const) {
        await page.goto(`${pier.url}/settings/${screen}`);
        const ready = { users: 'super-admin-limit', signatures: 'signature-job-title', forwarding: 'sieve-settings' }[screen];
        await page.getByTestId(ready).waitFor();
        // Nothing wider than the screen: the top bar (title, bell, account) and the page.
        const fits = (selector: string) => page.locator(selector).evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
        expect([await fits('.topbar'), await fits('.settings-main')]).toEqual([true, true]);
        if (screen === 'signatures') {
          const logo = page.getByTestId('signature-preview-logo');
          await logo.scrollIntoViewIfNeeded();
          expect(await logo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(360);
          await page.screenshot({ path: path.join(screenshots, `first-hour-signature-preview-${width}-${locale}.png`) });
        }
        if (screen === 'forwarding') {
          const manual = page.getByTestId('manual-check');
          await manual.waitFor();
          expect(await manual.textContent()).toContain(locale === 'en' ? 'Not checked by hand yet.' : '尚未人工检查。');
          expect(await manual.locator('li').count()).toBe(5);
        }
        await shot(page, `first-hour-${screen}-${width}-${locale}`);
      }
      if (size === 'phone') {
        // The account menu (name, role, language, security, notifications, sign-out) opens inside the screen.
        await page.getByTestId('account-menu-toggle').click();
        const menu = page.getByTestId('account-menu');
        await menu.waitFor();
        const box = await menu.boundingBox();
        expect(box && box.x >= 0 && box.x + box.width <= width + 1).toBe(true);
        await page.screenshot({ path: path.join(screenshots, `first-hour-account-menu-${width}-${locale}.png`) });
      }
      await page.close();
    }
    const page = await open('zh-CN', 'desktop', '/settings/users');
    expect(await page.getByTestId('link-sender').textContent()).toContain('邀请和重置链接的发件邮箱');
    // Recording a check by hand: the page then says who checked and when.
    await page.goto(`${pier.url}/settings/forwarding`);
    await page.getByTestId('manual-check-note').fill('收信规则：无转发');
    await page.getByTestId('manual-check-record').click();
    await expect.poll(() => page.getByTestId('manual-check-last').textContent()).toContain('李娜 Li Na');
    expect(await page.getByTestId('manual-check-last').textContent()).toContain('没有转发');
    await shot(page, 'first-hour-forwarding-manual-recorded-1440-zh-CN');
  }, 300_000);
});
