import { mkdirSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { type Browser, type BrowserContextOptions, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantMailboxAccess } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { signInInBrowser } from '../support/browser-sign-in.js';
import { chromiumArgs } from '../support/chromium.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { testEnv } from '../support/env.js';
import { emptyMailboxes } from '../support/mail-server.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD as password } from '../support/users.js';
import { waitFor } from '../support/wait.js';
import { addTestImapMailbox } from '../support/workspace.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const customer = 'buyer-phone@customer.test';

/** Phone (touch), tablet (touch) and desktop, as issue 18 names them. */
const layouts = [
  { name: 'phone', width: 390, height: 844, touch: true },
  { name: 'tablet', width: 768, height: 1024, touch: true },
  { name: 'desktop', width: 1440, height: 900, touch: false },
] as const;
type Layout = (typeof layouts)[number];
const locales = ['zh-CN', 'en-US'] as const;

/** The page scrolls sideways when the document is wider than the window. */
async function horizontalOverflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number; widest: string[] }> {
  return page.evaluate(() => {
    const scrollWidth = document.scrollingElement?.scrollWidth ?? 0;
    const widest = [...document.querySelectorAll<HTMLElement>('body *')]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && el.getClientRects().length > 0)
      .slice(0, 6)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')}[${Math.round(el.getBoundingClientRect().right)}]`);
    return { scrollWidth, innerWidth: window.innerWidth, widest };
  });
}

async function expectNoSidewaysScroll(page: Page, screen: string) {
  const overflow = await horizontalOverflow(page);
  expect(overflow.scrollWidth, `${screen}: ${overflow.widest.join(', ')}`).toBeLessThanOrEqual(overflow.innerWidth);
}

/** The control is on screen once scrolled to (vertically): nothing cut off at the side. */
async function expectWithinViewport(page: Page, control: Locator, what: string) {
  await control.scrollIntoViewIfNeeded();
  const box = await control.boundingBox();
  const width = page.viewportSize()?.width ?? 0;
  expect(box, what).not.toBeNull();
  expect(box?.x ?? -1, what).toBeGreaterThanOrEqual(0);
  expect((box?.x ?? 0) + (box?.width ?? 0), what).toBeLessThanOrEqual(width + 0.5);
}

/** Touch layouts: a finger needs 44 px. */
async function expectTouchTarget(control: Locator, what: string) {
  const box = await control.boundingBox();
  expect(box?.height ?? 0, `${what} height`).toBeGreaterThanOrEqual(44);
  expect(box?.width ?? 0, `${what} width`).toBeGreaterThanOrEqual(44);
}

describe('every screen from 360 px up: phone, tablet and desktop, in Chinese and English', () => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let browser: Browser;
  let storageState: BrowserContextOptions['storageState'];
  let conversationId = '';
  let approvalId = '';
  const subject = `Neue Bankverbindung für Rechnung 2026-118 ${Date.now().toString(36)}`;

  async function open(layout: Layout, locale: string): Promise<Page> {
    const context = await browser.newContext({
      locale,
      storageState,
      viewport: { width: layout.width, height: layout.height },
      hasTouch: layout.touch,
      isMobile: layout.touch,
      deviceScaleFactor: 1,
    });
    // The account's language follows the browser unless chosen on the device.
    await context.addInitScript((lang) => localStorage.setItem('pier.locale', lang), locale === 'en-US' ? 'en' : 'zh-CN');
    const page = await context.newPage();
    page.on('pageerror', (error) => console.error('pageerror', error.stack));
    return page;
  }

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    database = await createTestDatabase('sqlite');
    pier = await startTestPier(database);
    const { db } = pier.workspace;
    await emptyMailboxes('support@acme.test');
    const mailbox = await addTestImapMailbox(pier.workspace, 'support@acme.test');
    await db
      .insertInto('fraud_mailbox_settings')
      .values({ mailbox_id: mailbox.id, second_approver: 1, updated_by: null, updated_at: Date.now() })
      .execute();
    await createAccount(db, { email: 'owner@acme.test', name: '王芳 Wang Fang', password, role: 'super_admin' });
    for (const [email, name] of [
      ['li.wei@acme.test', 'Li Wei'],
      ['maximilian@acme.test', 'Maximilian Schneider-Hohenstein'],
    ] as const) {
      const user = await createAccount(db, { email, name, password, role: 'agent' });
      await grantMailboxAccess(db, user.id, mailbox.id, 'reply');
    }
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort ?? 0, secure: false, ignoreTLS: true });
    await smtp.sendMail({
      from: `"Anna Schmidt-Bergmann (Hanse Leuchten GmbH)" <${customer}>`,
      to: 'support@acme.test',
      subject,
      text: 'Hallo,\n\nunsere Bankverbindung hat sich geändert. Bitte überweisen Sie ab sofort auf:\nIBAN: GB29 NWBK 6016 1331 9268 19\n\nGrüße\nAnna',
    });
    for (let i = 0; i < 12; i++) {
      await smtp.sendMail({
        from: `Buyer ${i} <buyer${i}@globex-trading.test>`,
        to: 'support@acme.test',
        subject: `Inquiry LED panel 600x600 batch ${i}`,
        text: 'Please quote.',
      });
    }
    smtp.close();
    conversationId = await waitFor(
      async () => (await db.selectFrom('fraud_assessments').select('conversation_id').executeTakeFirst())?.conversation_id,
      'the fraud assessment',
    );
    // Li answers an inquiry with our bank details: the mail waits for a second approver (the owner sees Approve).
    const li = pier.api();
    expect((await li.post('/api/auth/login', { email: 'li.wei@acme.test', password })).status).toBe(200);
    approvalId = await waitFor(
      async () =>
        (await db.selectFrom('conversations').select('id').where('subject', '=', 'Inquiry LED panel 600x600 batch 0').executeTakeFirst())
          ?.id,
      'the inquiry',
    );
    const queued = await li.post<{ state: string }>('/api/outbox', {
      mailboxId: mailbox.id,
      mode: 'reply',
      conversationId: approvalId,
      to: ['buyer0@globex-trading.test'],
      subject: 'Re: Inquiry LED panel 600x600 batch 0',
      html: '<p>Our account: IBAN DE89 3704 0044 0532 0130 00</p>',
      force: true,
    });
    expect(queued.body, JSON.stringify(queued.body)).toMatchObject({ state: 'awaiting_approval' });

    browser = await chromium.launch({ executablePath: testEnv('PIER_TEST_CHROMIUM'), args: chromiumArgs });
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await signInInBrowser(page, pier.url, { email: 'owner@acme.test', password });
    storageState = await context.storageState();
    await context.close();
  });
  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  for (const layout of layouts) {
    for (const locale of locales) {
      it(`${layout.name} ${layout.width}×${layout.height}, ${locale}`, async () => {
        const page = await open(layout, locale);
        const shot = (screen: string) =>
          page.screenshot({ path: path.join(screenshots, `phone-layout-${layout.name}-${screen}-${locale}.png`) });
        const narrow = layout.name !== 'desktop';

        // The inbox: on a phone the list alone; the top bar's actions reachable (behind the account menu when narrow).
        await page.goto(`${pier.url}/?view=unassigned`);
        const items = page.getByTestId('conversation-item');
        await items.first().waitFor();
        await shot('inbox');
        await expectNoSidewaysScroll(page, 'inbox');
        expect(await page.getByTestId('conversation-pane').isVisible()).toBe(layout.name !== 'phone');
        expect(await page.getByTestId('inbox-sidebar').isVisible()).toBe(!narrow);
        if (narrow) {
          await page.getByTestId('account-menu-toggle').click();
          for (const id of ['current-user', 'language-switch', 'push-link', 'security-link', 'settings-link', 'logout-button']) {
            await expectWithinViewport(page, page.getByTestId(id), `${id} in the account menu`);
          }
          await shot('account-menu');
          await page.keyboard.press('Escape');
          await page.getByTestId('nav-toggle').click();
          await expectWithinViewport(page, page.getByTestId('view-closed'), 'a view in the drawer');
          await expectWithinViewport(page, page.getByTestId('mailbox-item').first(), 'a mailbox in the drawer');
          await shot('drawer');
          await page.getByTestId('view-unassigned').click();
          await expect.poll(() => page.getByTestId('inbox-sidebar').isVisible()).toBe(false);
        } else {
          for (const id of ['current-user', 'language-switch', 'push-link', 'security-link', 'settings-link', 'logout-button']) {
            await expectWithinViewport(page, page.getByTestId(id), `${id} in the top bar`);
          }
        }
        await page.getByTestId('notifications-bell').click();
        await expectWithinViewport(page, page.getByTestId('notifications-panel'), 'the notifications panel');
        await page.keyboard.press('Escape');

        // List → conversation → back: on a phone one pane at a time.
        await items.filter({ hasText: subject }).click();
        const pane = page.getByTestId('conversation-pane');
        await pane.getByTestId('fraud-banner').waitFor();
        await pane.getByTestId('fraud-phone-form').or(pane.getByTestId('fraud-no-number')).first().waitFor();
        await shot('conversation');
        await expectNoSidewaysScroll(page, 'conversation');
        if (layout.name === 'phone') {
          expect(await page.locator('.list-pane').isVisible()).toBe(false);
          await expectTouchTarget(pane.locator('.detail-back'), 'back to the list');
          await expectTouchTarget(page.getByTestId('nav-toggle'), 'menu');
          await expectTouchTarget(page.getByTestId('account-menu-toggle'), 'account menu');
          await expectTouchTarget(page.getByTestId('notifications-bell'), 'notifications');
          await expectTouchTarget(pane.getByTestId('contact-phone-edit').first(), 'add the phone number');
        }
        await expectWithinViewport(page, pane.getByTestId('contact-phone-edit').first(), 'the fraud banner’s safe action');
        const send = pane.getByTestId('composer-send');
        await expectWithinViewport(page, send, 'Send');
        await expectWithinViewport(page, pane.getByTestId('composer-editor'), 'the reply editor');
        if (layout.touch) await expectTouchTarget(send, 'Send');
        await shot('composer');
        await expectNoSidewaysScroll(page, 'composer');
        if (layout.name === 'phone') {
          await pane.locator('.detail-back').click();
          await items.first().waitFor();
          expect(await page.getByTestId('conversation-pane').isVisible()).toBe(false);
        }

        // A mail waiting for the owner's approval.
        await page.goto(`${pier.url}/?view=unassigned&c=${approvalId}`);
        const approve = page.getByTestId('fraud-approve');
        await approve.waitFor();
        await expectWithinViewport(page, approve, 'Approve');
        await expectWithinViewport(page, page.getByTestId('fraud-reject'), 'Reject');
        if (layout.touch) await expectTouchTarget(approve, 'Approve');
        await shot('approval');
        await expectNoSidewaysScroll(page, 'approval');

        // Settings and the person's own screens.
        // Each screen is ready when its data is on it and nothing shows a loading state (not after
        // 500 ms without network traffic, which cost a second or more per screen).
        for (const [screen, url, ready] of [
          ['mailboxes', '/settings/mailboxes', 'mailbox-row'],
          ['users', '/settings/users', 'user-row'],
          ['audit', '/settings/audit', 'audit-table'],
          ['security', '/security', 'session-row'],
          ['notifications', '/notifications', 'push-kind-mention'],
        ] as const) {
          await page.goto(`${pier.url}${url}`);
          await page.getByTestId(ready).first().waitFor();
          await expect.poll(() => page.locator('[aria-busy="true"]').count()).toBe(0);
          await shot(screen);
          await expectNoSidewaysScroll(page, screen);
        }
        // The users table's last action, cut off before even at 1384 px.
        await page.goto(`${pier.url}/settings/users`);
        for (const button of await page.getByTestId('user-deactivate').all()) await expectWithinViewport(page, button, 'Deactivate');
        if (layout.touch) await expectTouchTarget(page.getByTestId('user-deactivate').first(), 'Deactivate');
        await page.goto(`${pier.url}/notifications`);
        await page.getByTestId('push-kind-mention').waitFor();
        await expectWithinViewport(page, page.getByTestId('push-kind-approval'), 'a push kind');
        await page.context().close();
      });
    }
  }

  it('saves the push kinds a person chooses, and says plainly when this browser cannot subscribe', async () => {
    const page = await open(layouts[0], 'zh-CN');
    await page.goto(`${pier.url}/notifications`);
    const sla = page.getByTestId('push-kind-sla');
    await sla.waitFor();
    await expect.poll(() => sla.isChecked()).toBe(true);
    await sla.uncheck();
    await page.getByTestId('push-kinds-saved').waitFor();
    expect(await page.getByTestId('push-kinds-saved').textContent()).toBe('已保存。');
    await page.reload();
    await page.getByTestId('push-kind-mention').waitFor();
    await expect.poll(() => page.getByTestId('push-kind-sla').isChecked()).toBe(false);
    expect(await page.getByTestId('push-kind-mention').isChecked()).toBe(true);
    // No device subscribed: the test push reaches none, and the page says so.
    await page.getByTestId('push-test').click();
    expect(await page.getByTestId('push-test-result').textContent()).toBe('没有设备收到。请先为此设备开启通知。');
    // Headless Chromium has no push service it may use (decision 0037): turning on fails with the browser's reason.
    await expect.poll(() => page.getByTestId('push-device-state').getAttribute('data-state')).toBe('off');
    await page.context().grantPermissions(['notifications']);
    await page.getByTestId('push-toggle').click();
    await page.getByText('此浏览器无法开启通知').waitFor();
    await page.screenshot({ path: path.join(screenshots, 'phone-layout-phone-push-settings-zh-CN.png') });
    await page.getByTestId('push-kind-sla').check();
    await page.getByTestId('push-kinds-saved').waitFor();
    await page.context().close();
  });

  it('is installable, and its service worker caches the shell, never an API answer', async () => {
    const page = await open(layouts[2], 'en-US');
    await page.goto(`${pier.url}/?view=unassigned`);
    await page.getByTestId('conversation-item').first().waitFor();
    const manifest = await page.evaluate(async () => {
      const link = document.querySelector<HTMLLinkElement>('link[rel="manifest"]');
      return link ? ((await (await fetch(link.href)).json()) as { display: string; icons: { src: string; purpose: string }[] }) : null;
    });
    expect(manifest?.display).toBe('standalone');
    expect(manifest?.icons.map((i) => i.purpose)).toContain('maskable');
    for (const icon of manifest?.icons ?? [])
      expect((await page.request.get(`${pier.url}${icon.src}`)).headers()['content-type']).toBe('image/png');

    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    // Controlled after a reload; then mail is read through it: the conversation list, a conversation.
    await page.reload();
    await page.getByTestId('conversation-item').first().waitFor();
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${pier.url}/sw.js`);
    await page.goto(`${pier.url}/?view=unassigned&c=${conversationId}`);
    await page.getByTestId('fraud-banner').waitFor();
    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
      }
      return urls;
    });
    expect(cached).toContain('/');
    expect(cached.some((url) => url.startsWith('/assets/') && url.endsWith('.js'))).toBe(true);
    expect(cached.filter((url) => url.startsWith('/api/'))).toEqual([]);
    expect(cached.every((url) => url === '/' || /^\/(assets|icons)\/|^\/manifest\.webmanifest$/.test(url))).toBe(true);

    // Offline, the shell still opens (and says it cannot reach the server): it came from the cache.
    await page.context().setOffline(true);
    await page.goto(`${pier.url}/?view=unassigned`);
    await page.locator('.splash').first().waitFor();
    await page.context().setOffline(false);
    await page.context().close();
  });
});
