import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestMail } from '../../src/modules/conversations/index.js';
import { createMailbox, loadOwnAddresses } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { launchChromium, signInInBrowser } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD as password } from '../support/users.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');

/**
 * Settings › Mailboxes with a busy mailbox (more open conversations than the count goes to) and a
 * quiet one, in zh-CN and English at 1440 and 390 px: the capped count reads "99+" as the sidebar's
 * does, says "more than 99" in its title and is named on a phone's card (it read "#99+"); a long
 * settings page scrolls in its panel only, never the document around it as well.
 */
describe('settings mailboxes in Chromium', () => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    database = await createTestDatabase('sqlite');
    pier = await startTestPier(database);
    const { db, blobs, engine, messageIds, recordReopened, teamActivity } = pier.workspace;
    await createAccount(db, { email: 'boss@acme.test', name: '陈总', password, role: 'admin' });
    const sales = await createMailbox(db, { address: 'sales@acme.test', displayName: 'Sales 销售', purpose: 'sales' });
    const info = await createMailbox(db, { address: 'info@acme.test', displayName: 'Info', purpose: 'inquiry' });
    const ctx = { engine, ownAddresses: await loadOwnAddresses(db), messageIds, recordReopened, teamActivity };
    const store = (mailboxId: string, i: number) =>
      ingestMail(
        { db, blobs, ctx },
        {
          raw: Buffer.from(
            [
              `Message-ID: <busy-${mailboxId}-${i}@buyer.test>`,
              `From: Buyer ${i} <buyer${i}@buyer${i}.test>`,
              `To: ${mailboxId === sales.id ? 'sales' : 'info'}@acme.test`,
              `Subject: RFQ ${i} 询价`,
              `Date: ${new Date(pier.clock.now() - i * 60_000).toUTCString()}`,
              'MIME-Version: 1.0',
              'Content-Type: text/plain; charset=utf-8',
              '',
              `Please quote item ${i}.`,
              '',
            ].join('\r\n'),
          ),
          mailboxIds: [mailboxId],
          source: 'imap',
        },
      );
    for (let i = 0; i < 130; i++) await store(sales.id, i);
    for (let i = 0; i < 7; i++) await store(info.id, i);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  async function openMailboxes(locale: 'en' | 'zh-CN', width: number): Promise<Page> {
    const page = await signInInBrowser(
      browser,
      pier.url,
      { email: 'boss@acme.test', password },
      { locale, viewport: { width, height: 800 } },
    );
    await page.goto(`${pier.url}/settings/mailboxes`);
    await page.getByTestId('mailbox-row').first().waitFor();
    return page;
  }

  for (const locale of ['zh-CN', 'en'] as const) {
    for (const width of [1440, 390]) {
      it(`shows the open counts in ${locale} at ${width} px`, async () => {
        const page = await openMailboxes(locale, width);
        await page.screenshot({ path: path.join(screenshots, `settings-mailboxes-${locale}-${width}.png`), fullPage: true });
        const open = (address: string) => page.locator(`[data-address="${address}"] [data-testid="mailbox-open"]`);
        expect(await open('info@acme.test').textContent()).toBe('7');
        expect(await open('info@acme.test').getAttribute('title')).toBeNull();
        // 130 open, counted to the cap of 100: "more than 99", in words on hover.
        expect(await open('sales@acme.test').textContent()).toBe('99+');
        expect(await open('sales@acme.test').getAttribute('title')).toBe(
          locale === 'en' ? 'More than 99 open conversations' : '超过 99 个进行中的会话',
        );
        // On a phone the row is a card without column heads: the count is named, not "#99+".
        const numCell = page.locator('[data-address="sales@acme.test"] td.num');
        // biome-ignore lint/performance/useDomNodeTextContent: what the CSS shows is the point (the label is hidden on wide screens)
        const cell = (await numCell.innerText()).replace(/\s+/g, ' ');
        const label = locale === 'en' ? 'Open conversations' : '进行中的会话';
        expect(await numCell.evaluate((td) => getComputedStyle(td, '::before').content)).toBe('none');
        if (width === 390) {
          expect(cell.startsWith(label)).toBe(true);
          // On one line: the card's cell is as wide as the card, not the 1% of a table column.
          const height = await numCell.evaluate((td) => td.getBoundingClientRect().height);
          expect(height).toBeLessThan(40);
        } else {
          expect(cell).toBe('99+');
          // The inbox sidebar counts the same mailbox the same way, and its title no longer says "100 conversations".
          await page.goto(pier.url);
          const count = page.getByTestId('mailbox-item').filter({ hasText: 'sales@acme.test' }).getByTestId('nav-count');
          await expect.poll(() => count.textContent()).toBe('99+');
          expect(await count.getAttribute('title')).toBe(locale === 'en' ? 'More than 99 conversations' : '超过 99 个会话');
        }
        // A long settings page (the new-mailbox form) scrolls once, in the panel under the top bar: the
        // visually hidden legends of its fieldsets used to reach past the panel and make the whole
        // document scroll too (a second scroller that moved the top bar away on a phone).
        await page.goto(`${pier.url}/settings/mailboxes/new`);
        await page.getByTestId('mailbox-address').waitFor();
        const scroll = () =>
          page.evaluate(() => {
            const main = document.querySelector('.settings-main') as HTMLElement;
            return {
              document: document.scrollingElement?.scrollHeight ?? 0,
              viewport: window.innerHeight,
              panel: main.scrollHeight > main.clientHeight,
            };
          });
        const before = await scroll();
        expect(before.document).toBeLessThanOrEqual(before.viewport);
        if (width === 390) expect(before.panel).toBe(true);
        await page.locator('.settings-main').evaluate((main) => main.scrollTo(0, main.scrollHeight));
        await page.mouse.wheel(0, 2000);
        expect(await page.evaluate(() => document.scrollingElement?.scrollTop)).toBe(0);
        await page.screenshot({ path: path.join(screenshots, `settings-mailbox-form-${locale}-${width}.png`) });
        await page.context().close();
      }, 60_000);
    }
  }
});
