// The public sign-up form as people see it (decision 0071): an admin turns it on for a list on
// Settings → Campaigns (the toggle, the mailbox, the title, then the URL and the snippet to paste, with
// copy buttons), in English at 1440 px and in Chinese at 390 px; the public form and its "check your
// inbox" page in both languages at both widths, the language by ?lang= and by the browser; an invalid
// address answered on the form. No page overflows. Screenshots in test-output/screenshots/ (look at them).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importListCsv } from '../../src/modules/campaigns/index.js';
import { launchChromium, signInInBrowser } from '../support/browser.js';
import { addMarketingMailbox, NEWSLETTER, startCampaignPier } from '../support/campaigns.js';
import type { TestDatabase } from '../support/databases.js';
import { waitFor } from '../support/wait.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const boss = { email: 'boss@acme.test', name: 'Boss', password: 'correct horse battery staple' };
const overflowOf = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('the public sign-up form', () => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startCampaignPier>>['pier'];
  let browser: Browser;
  let slug = '';
  const tag = `sf${Date.now().toString(36)}`;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    ({ database, pier } = await startCampaignPier('sqlite', [NEWSLETTER]));
    expect((await pier.api().post('/api/setup', boss)).status).toBe(201);
    await addMarketingMailbox(pier.workspace);
    const common = { consentSource: 'Canton Fair 2026', consentDate: '2026-10-15', actorId: null, now: pier.clock.now() };
    await importListCsv(pier.workspace.db, { name: 'Website newsletter', csv: `email\nfair+${tag}@customer.test`, ...common });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  for (const view of [
    { locale: 'en' as const, width: 1440, enabled: 'Accept sign-ups from the public form', save: 'Save', snippetLabel: 'Email address' },
    { locale: 'zh-CN' as const, width: 390, enabled: '接受公开表单的订阅', save: '保存', snippetLabel: '邮箱地址' },
  ]) {
    it(`turns the form on in the settings and shows its URL and snippet (${view.locale}, ${view.width} px)`, async () => {
      const page = await signInInBrowser(browser, pier.url, boss, { locale: view.locale, viewport: { width: view.width, height: 900 } });
      try {
        await page.goto(`${pier.url}/settings/campaigns`);
        const settings = page.getByTestId('signup-settings');
        await settings.waitFor();
        if (view.locale === 'en') {
          expect(await page.getByTestId('signup-enabled').isChecked()).toBe(false);
          await page.getByTestId('signup-enabled').check();
          await settings.locator('#signup-mailbox').selectOption({ label: `Acme News <${NEWSLETTER}>` });
          await settings.locator('#signup-title').fill('Acme LED news');
          await settings.locator('#signup-intro').fill('New LED panels, trade fair dates and price lists, about once a month.');
          await settings.getByRole('button', { name: view.save }).click();
        }
        const url = settings.locator('#signup-url');
        await url.waitFor();
        const value = await url.inputValue();
        expect(value).toMatch(new RegExp(`^${pier.url}/subscribe/[\\w-]{16}$`));
        slug = value.split('/').at(-1) ?? '';
        const snippet = await settings.locator('#signup-snippet').inputValue();
        expect(snippet).toContain(`action="${value}"`);
        expect(snippet).toContain(view.snippetLabel);
        expect(snippet).not.toContain('Website newsletter');
        expect(await settings.getByRole('button', { name: view.locale === 'en' ? 'Copy' : '复制' }).count()).toBe(2);
        await settings.screenshot({ path: path.join(screenshots, `campaign-signup-settings-${view.locale}-${view.width}.png`) });
        expect(await overflowOf(page)).toBeLessThanOrEqual(0);
      } finally {
        await page.context().close();
      }
      const list = await pier.workspace.db
        .selectFrom('campaign_lists')
        .selectAll()
        .where('name', '=', 'Website newsletter')
        .executeTakeFirstOrThrow();
      expect(list).toMatchObject({ signup_enabled: 1, signup_title: 'Acme LED news' });
      await waitFor(
        async () =>
          (await pier.workspace.db
            .selectFrom('audit_log')
            .select('action')
            .where('action', '=', 'campaign.signup_enabled')
            .executeTakeFirst()) || undefined,
        'the enable to be audited',
      );
    });
  }

  for (const view of [
    { locale: 'en' as const, width: 1440, query: '?lang=en', browserLocale: 'zh-CN', button: 'Subscribe', thanks: 'Check your inbox' },
    { locale: 'en' as const, width: 390, query: '', browserLocale: 'en-US', button: 'Subscribe', thanks: 'Check your inbox' },
    { locale: 'zh-CN' as const, width: 1440, query: '', browserLocale: 'zh-CN', button: '订阅', thanks: '请查收邮件' },
    { locale: 'zh-CN' as const, width: 390, query: '?lang=zh-CN', browserLocale: 'en-US', button: '订阅', thanks: '请查收邮件' },
  ]) {
    it(`the public form and its answer (${view.locale}, ${view.width} px, ${view.query || 'browser language'})`, async () => {
      const context = await browser.newContext({ locale: view.browserLocale, viewport: { width: view.width, height: 860 } });
      const page = await context.newPage();
      try {
        await page.goto(`${pier.url}/subscribe/${slug}${view.query}`);
        expect(await page.getAttribute('html', 'lang')).toBe(view.locale);
        expect(await page.locator('h1').textContent()).toBe('Acme LED news');
        expect(await page.locator('#subscribe').textContent()).toBe(view.button);
        // The honeypot is out of sight (people never fill it; bots filling every field do).
        const honeypot = await page.locator('#url').boundingBox();
        expect((honeypot?.x ?? 0) + (honeypot?.width ?? 0)).toBeLessThan(0);
        await page.screenshot({ path: path.join(screenshots, `campaign-signup-form-${view.locale}-${view.width}.png`), fullPage: true });
        expect(await overflowOf(page)).toBeLessThanOrEqual(0);
        if (view.width === 390) {
          // A typo: the form again, with the message and what was typed.
          await page.fill('#email', 'anna.customer.test');
          await page.click('#subscribe');
          await page.waitForSelector('#errors');
          expect(await page.inputValue('#email')).toBe('anna.customer.test');
          await page.screenshot({ path: path.join(screenshots, `campaign-signup-error-${view.locale}-${view.width}.png`), fullPage: true });
        }
        await page.fill('#email', `buyer+${tag}${view.locale}${view.width}@customer.test`);
        await page.fill('#name', view.locale === 'en' ? 'Anna Schmidt' : '王伟');
        await page.click('#subscribe');
        await page.waitForSelector('#thanks');
        expect(await page.locator('h1').textContent()).toBe(view.thanks);
        expect(await page.getAttribute('html', 'lang')).toBe(view.locale);
        await page.screenshot({ path: path.join(screenshots, `campaign-signup-thanks-${view.locale}-${view.width}.png`), fullPage: true });
        expect(await overflowOf(page)).toBeLessThanOrEqual(0);
      } finally {
        await context.close();
      }
    });
  }
});
