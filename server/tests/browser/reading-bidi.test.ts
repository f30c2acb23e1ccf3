import { mkdirSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailbox } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { finishSecondFactorInBrowser } from '../support/browser-sign-in.js';
import { chromiumArgs } from '../support/chromium.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { testEnv } from '../support/env.js';
import { startTestPier } from '../support/pier.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const admin = { email: 'admin@acme.test', password: 'a long enough password' };
const RLO = '\u202E';
// Shows as "Invoice-2026-11exe.pdf" when the override is obeyed: a program dressed as a PDF.
const FILE_NAME = `Invoice-2026-11${RLO}fdp.exe`;
const SUBJECT = `Payment ${RLO}due today`;

/**
 * A right-to-left override (U+202E) in a subject or a file name must not reorder anything
 * around it (list line, conversation header, fraud warning), and in a file name it is shown
 * as a marked ⟨U+202E⟩ token instead of being obeyed (issue 12).
 */
describe('bidirectional controls in mail text', () => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    database = await createTestDatabase('sqlite');
    pier = await startTestPier(database);
    const { db } = pier.workspace;
    await createAccount(db, { email: admin.email, name: 'Li Wei', password: admin.password, role: 'admin' });
    await createMailbox(db, { address: 'accounting@acme.test', displayName: 'Accounting', purpose: 'accounting' });
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort ?? 0, secure: false, ignoreTLS: true });
    await smtp.sendMail({
      from: `Globex Billing <billing@globex-trading.test>`,
      to: 'accounting@acme.test',
      subject: SUBJECT,
      text: 'Please open the attached invoice and pay today.',
      attachments: [{ filename: FILE_NAME, content: Buffer.from('MZ not really a program'), contentType: 'application/octet-stream' }],
    });
    smtp.close();
    browser = await chromium.launch({ executablePath: testEnv('PIER_TEST_CHROMIUM'), args: chromiumArgs });
  });
  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  async function signedIn(locale: 'en-US' | 'zh-CN', width: number): Promise<Page> {
    const context = await browser.newContext({ locale, viewport: { width, height: 900 }, timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    await page.goto(pier.url);
    await page.getByTestId('login-email').fill(admin.email);
    await page.getByTestId('login-password').fill(admin.password);
    await page.getByTestId('login-submit').click();
    await finishSecondFactorInBrowser(page, pier.url, admin.email);
    await page.getByTestId('inbox-shell').waitFor();
    await page.getByTestId('conversation-item').first().waitFor({ timeout: 15_000 });
    return page;
  }

  /** Left edge of the snippet and right edge of the subject, as laid out (an override in the subject would pull the snippet left of it). */
  const listLineOrder = (page: Page) =>
    page
      .getByTestId('conversation-item')
      .first()
      .evaluate((item) => {
        const subject = item.querySelector('.conv-subject')?.getBoundingClientRect();
        // What follows the subject: the snippet, or the fraud marker's reason that replaces it on a flagged row.
        const snippet = item.querySelector('.conv-snippet, .fraud-marker-reason')?.getBoundingClientRect();
        return { subjectRight: subject?.right ?? Number.NaN, snippetLeft: snippet?.left ?? Number.NaN, width: snippet?.width ?? 0 };
      });

  it.each([
    ['en-US', 1440],
    ['zh-CN', 1440],
    ['en-US', 390],
    ['zh-CN', 390],
  ] as const)('keeps the list line, header, attachment and fraud warning in order (%s, %i px)', async (locale, width) => {
    const page = await signedIn(locale, width);
    const tag = `${locale === 'zh-CN' ? 'zh-CN' : 'en'}-${width}`;
    const order = await listLineOrder(page);
    expect(order.width).toBeGreaterThan(0);
    expect(order.snippetLeft).toBeGreaterThanOrEqual(order.subjectRight - 1);
    await page.screenshot({ path: path.join(screenshots, `95-bidi-list-${tag}.png`) });

    await page.getByTestId('conversation-item').first().click();
    await page.getByTestId('attachment').first().waitFor();
    // The file name shows the override as a marked token, and obeys nothing.
    const name = page.getByTestId('attachment').first().locator('.attachment-name');
    expect(await name.locator('[data-testid="bidi-control"]').textContent()).toBe('⟨U+202E⟩');
    expect(await name.textContent()).toBe('Invoice-2026-11⟨U+202E⟩fdp.exe');
    expect(await name.getAttribute('title')).toBe('Invoice-2026-11⟨U+202E⟩fdp.exe');
    // The subject keeps its own text (a heading is a bidi paragraph of its own).
    expect(await page.locator('#conversation-subject').textContent()).toBe(SUBJECT);

    // The warning about the program quotes its name with the control shown, so the sentence reads in order.
    const reason = page.locator('[data-testid="fraud-banner"] li[data-code="executable_attachment"]');
    await reason.waitFor({ timeout: 20_000 });
    expect(await reason.textContent()).not.toContain(RLO);
    expect(await reason.locator('[data-testid="bidi-control"]').count()).toBe(1);
    const sentenceOrder = await reason.evaluate((li) => {
      // "exe" (the end of the file name) must lie left of the words after the name.
      const text = li.textContent ?? '';
      const walker = document.createTreeWalker(li, NodeFilter.SHOW_TEXT);
      const rectOf = (needle: string) => {
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const at = node.textContent?.indexOf(needle) ?? -1;
          if (at >= 0) {
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + needle.length);
            return range.getClientRects()[0] ?? null;
          }
        }
        return null;
      };
      const exe = rectOf('fdp.exe');
      walker.currentNode = li;
      const after = rectOf(text.includes('程序') ? '是程序' : 'is a program');
      return { exe: exe ? { right: exe.right, top: exe.top } : null, after: after ? { left: after.left, top: after.top } : null };
    });
    expect(sentenceOrder.exe).not.toBeNull();
    expect(sentenceOrder.after).not.toBeNull();
    // On a wide screen the name and the words after it share a line; on a phone they may wrap.
    if (width === 1440) expect(sentenceOrder.after?.top).toBe(sentenceOrder.exe?.top);
    if (sentenceOrder.exe && sentenceOrder.after && sentenceOrder.exe.top === sentenceOrder.after.top) {
      expect(sentenceOrder.after.left).toBeGreaterThanOrEqual(sentenceOrder.exe.right - 1);
    }
    await page.screenshot({ path: path.join(screenshots, `96-bidi-conversation-${tag}.png`), fullPage: true });
    await page.context().close();
  });
});
