import nodemailer from 'nodemailer';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailbox } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { launchChromium, signInInBrowser } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD } from '../support/users.js';

/**
 * Opening a conversation must not make the browser refuse anything under Pier's
 * Content-Security-Policy: a refusal means a feature silently does not work (issue 18).
 * Mail with inline styles of its own is included: the mail frame shows it sanitised.
 */
describe('opening a conversation under the strict Content-Security-Policy', () => {
  const admin = { email: 'admin@acme.test', password: TEST_PASSWORD };
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let browser: Browser;
  let page: Page;
  const violations: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    pier = await startTestPier(database);
    const { db } = pier.workspace;
    await createAccount(db, { email: admin.email, name: 'Li Wei', password: admin.password, role: 'admin' });
    await createMailbox(db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' });
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort ?? 0, secure: false, ignoreTLS: true });
    await smtp.sendMail({
      from: 'Maria Gonzalez <maria@globex-trading.es>',
      to: 'sales@acme.test',
      subject: 'Inquiry: LED panel 600x600',
      text: 'please quote 2,000 pcs',
      html: '<div style="font-family:Arial;color:#333"><p style="margin:0">please quote <b>2,000 pcs</b></p></div>',
    });
    await smtp.sendMail({
      from: 'Jonas Weber <jonas@hanse-licht.de>',
      to: 'sales@acme.test',
      subject: 'Anfrage Downlights',
      text: 'Hallo',
    });
    smtp.close();
    browser = await launchChromium();
    page = await signInInBrowser(browser, pier.url, admin);
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) violations.push(message.text());
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        console.error(
          `Content-Security-Policy violation: ${event.violatedDirective} ${event.sourceFile}:${event.lineNumber} ${event.sample}`,
        );
      });
    });
    await page.reload();
    await page.getByTestId('conversation-item').nth(1).waitFor({ timeout: 15_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  it('logs no violation when conversations, plain and HTML, are opened', async () => {
    for (const subject of ['Inquiry: LED panel', 'Anfrage Downlights']) {
      await page.getByTestId('conversation-item').filter({ hasText: subject }).click();
      await expect.poll(() => page.locator('#conversation-subject').textContent()).toContain(subject);
      await page.getByTestId('conversation-header').waitFor();
    }
    const frame = page.frameLocator('[data-testid="mail-frame"]');
    await page.getByTestId('conversation-item').filter({ hasText: 'Inquiry: LED panel' }).click();
    await expect.poll(() => frame.locator('body').textContent()).toContain('please quote 2,000 pcs');
    // The reply editor (TipTap) is there and styled by Pier's stylesheet, not by an injected <style>.
    const editor = page.getByTestId('composer-editor');
    await editor.waitFor();
    expect(await editor.evaluate((element) => getComputedStyle(element).whiteSpace)).toBe('break-spaces');
    expect(await page.locator('style').count()).toBe(0);
    // A round trip to the page, so console messages of the opened conversation have arrived.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    expect(violations).toEqual([]);
  });
});
