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
import { TEST_PASSWORD as password } from '../support/users.js';
import { startWebhookReceiver } from '../support/webhook-receiver.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');

/** Settings → API and webhooks (decision 0049) as an admin uses it, then at 1440 and 390 px in zh-CN and English. */
describe('API and webhook settings in Chromium', () => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let browser: Browser;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    database = await createTestDatabase('sqlite');
    pier = await startTestPier(database);
    receiver = await startWebhookReceiver();
    await createAccount(pier.workspace.db, { email: 'boss@acme.test', name: '陈总', password, role: 'admin' });
    await createMailbox(pier.workspace.db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await receiver?.close();
    await database?.drop();
  });

  async function openApiPage(locale: 'en' | 'zh-CN', width: number): Promise<Page> {
    const page = await signInInBrowser(
      browser,
      pier.url,
      { email: 'boss@acme.test', password },
      { locale, viewport: { width, height: 900 } },
    );
    await page.goto(`${pier.url}/settings/api`);
    await page.getByTestId('api-page').waitFor();
    return page;
  }

  it('makes a token that is shown once and works, revokes it, and sets up a webhook with a delivery log and redelivery', async () => {
    const page = await openApiPage('en', 1440);
    await page.locator('#api-token-name').fill('ERP sync');
    await page.getByTestId('api-token-scope').selectOption('read');
    await page.getByTestId('api-token-create').click();
    const token = (await page.getByTestId('api-token-shown').locator('code').textContent()) ?? '';
    expect(token).toMatch(/^pier_/);
    const asToken = () => fetch(new URL('/api/conversations', pier.url), { headers: { authorization: `Bearer ${token}` } });
    expect((await asToken()).status).toBe(200);
    await expect.poll(() => page.getByTestId('api-token-row').count()).toBe(1);
    // The list never shows the secret again.
    expect(await page.getByTestId('api-tokens').locator('table').textContent()).not.toContain(token);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('api-token-revoke').click();
    await expect.poll(async () => (await asToken()).status).toBe(401);

    await page.locator('#api-hook-name').fill('CRM');
    await page.locator('#api-hook-url').fill(receiver.url('/crm'));
    await page.getByTestId('api-hook-create').click();
    const secret = (await page.getByTestId('api-hook-secret-shown').locator('code').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_/);

    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort ?? 0, secure: false, ignoreTLS: true });
    await smtp.sendMail({ from: 'buyer@customer.test', to: 'sales@acme.test', subject: 'RFQ', text: 'Please quote.' });
    smtp.close();
    await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    await page.getByTestId('api-hook-log').click();
    await expect.poll(() => page.getByTestId('api-delivery-row').count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(2);
    expect(await page.getByTestId('api-hook-deliveries').textContent()).toContain('200');
    // Every state reads as a badge (the mailboxes page's pill), not as bare words beside the name.
    for (const badge of [
      page.getByTestId('api-token-revoked'),
      page.getByTestId('api-hook-state'),
      page.getByTestId('api-delivery-state').first(),
    ]) {
      // A flex item's inline-flex computes as flex (the revoked badge sits in the row's actions): the pill's own border is the sign.
      expect(
        await badge.evaluate((el) => ({ radius: getComputedStyle(el).borderRadius, border: getComputedStyle(el).borderTopStyle })),
      ).toEqual({
        radius: '10px',
        border: 'solid',
      });
    }
    const before = receiver.received.length;
    await page.getByTestId('api-redeliver').first().click();
    await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBe(before + 1);
    await page.context().close();
  }, 120_000);

  for (const locale of ['zh-CN', 'en'] as const) {
    for (const width of [1440, 390]) {
      it(`shows the page in ${locale} at ${width} px`, async () => {
        const page = await openApiPage(locale, width);
        await page.getByTestId('api-hook').first().waitFor();
        await page.getByTestId('api-hook-log').first().click();
        await page.getByTestId('api-hook-deliveries').waitFor();
        await page.screenshot({ path: path.join(screenshots, `api-settings-${locale}-${width}.png`), fullPage: true });
        expect(await page.locator('.settings-main').evaluate((main) => main.scrollWidth <= main.clientWidth + 1)).toBe(true);
        await page.context().close();
      }, 60_000);
    }
  }
});
