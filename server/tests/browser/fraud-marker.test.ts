import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantMailboxAccess } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { signInInBrowser } from '../support/browser-sign-in.js';
import { chromiumArgs } from '../support/chromium.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { testEnv } from '../support/env.js';
import { appendAndAssess, hanseMails, type ScenarioMail, TEAM } from '../support/hanse-scenario.js';
import { emptyMailboxes } from '../support/mail-server.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD as password } from '../support/users.js';
import { addTestImapMailbox } from '../support/workspace.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');

/**
 * Issue 16: the conversation list shows the fraud marker on the row — the level in words and the
 * strongest reason (hover title, and the row's second line for a tap on a phone). The downlights
 * thread carries the look-alike's high although three genuine mails came after it; the customer's
 * other conversation carries none.
 */
describe('the fraud marker on conversation-list rows', () => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let browser: Browser;
  let thread = '';
  let clean = '';

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    database = await createTestDatabase('sqlite');
    pier = await startTestPier(database);
    await emptyMailboxes(TEAM);
    const mailbox = await addTestImapMailbox(pier.workspace, TEAM);
    const user = await createAccount(pier.workspace.db, { email: 'li.wei@acme.test', name: 'Li Wei', password, role: 'agent' });
    await grantMailboxAccess(pier.workspace.db, user.id, mailbox.id, 'reply');
    const mails = hanseMails(Date.now(), '.browser');
    const levels: Record<string, string> = {};
    for (const key of ['h1', 'h2', 'h3', 'attack', 'g1', 'g2', 'g3']) {
      const row = await appendAndAssess(pier.workspace.db, mails[key] as ScenarioMail);
      if (row) levels[key] = row.level;
      if (key === 'g3' && row) thread = row.conversation_id;
    }
    expect(levels).toEqual({ h1: 'none', h2: 'none', h3: 'none', attack: 'high', g1: 'none', g2: 'none', g3: 'none' });
    // The customer's own new conversation, after the attack: no marker.
    const date = new Date();
    const catalogue = await appendAndAssess(pier.workspace.db, {
      key: 'catalogue',
      folder: 'INBOX',
      date,
      genuine: true,
      raw: [
        '<catalogue.browser@hanse-import.de>',
        '"Jonas Weber" <j.weber@hanse-import.de>',
        TEAM,
        'Catalogue 2027 request',
        date.toUTCString().replace('GMT', '+0000'),
      ]
        .map((v, i) => `${['Message-ID', 'From', 'To', 'Subject', 'Date'][i]}: ${v}`)
        .concat(['Content-Type: text/plain; charset=utf-8', '', 'Dear Lily, please send your 2027 catalogue. Jonas', ''])
        .join('\r\n'),
    });
    expect(catalogue?.level).toBe('none');
    clean = catalogue?.conversation_id ?? '';
    browser = await chromium.launch({ executablePath: testEnv('PIER_TEST_CHROMIUM'), args: chromiumArgs });
  });
  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
    await emptyMailboxes(TEAM);
  });

  for (const [locale, width, level, reasonWord] of [
    ['en-US', 1440, 'Fraud risk', 'hanse-lmport.de'],
    ['zh-CN', 1440, '诈骗风险', 'hanse-lmport.de'],
    ['en-US', 390, 'Fraud risk', 'hanse-lmport.de'],
    ['zh-CN', 390, '诈骗风险', 'hanse-lmport.de'],
  ] as const) {
    it(`marks the hijacked thread, not the clean one (${locale}, ${width} px)`, async () => {
      const context = await browser.newContext({ locale, viewport: { width, height: 900 } });
      const page = await context.newPage();
      page.on('pageerror', (error) => console.error('pageerror', error.stack));
      await signInInBrowser(page, pier.url, { email: 'li.wei@acme.test', password });
      const row = page.locator(`[data-testid="conversation-item"][data-conversation-id="${thread}"]`);
      const marker = row.getByTestId('fraud-marker');
      await marker.waitFor();
      expect(await marker.getAttribute('data-level')).toBe('high');
      // Hover title and accessible name: the level, then the strongest reason.
      const title = (await marker.getAttribute('title')) ?? '';
      expect(title.startsWith(level)).toBe(true);
      expect(await marker.getAttribute('aria-label')).toBe(title);
      expect(await marker.textContent()).toContain(level);
      // The same reason is on the row itself, visible without hovering (a tap on a phone).
      const reason = row.getByTestId('fraud-marker-reason');
      expect(await reason.isVisible()).toBe(true);
      expect(title).toContain((await reason.textContent())?.replace(/^\s*—\s*/, '').slice(0, 20));
      expect(title).toContain(reasonWord);
      // The customer's own new conversation carries no marker.
      expect(clean).not.toBe(thread);
      const other = page.locator(`[data-testid="conversation-item"][data-conversation-id="${clean}"]`);
      await other.waitFor();
      expect(await other.getByTestId('fraud-marker').count()).toBe(0);
      await marker.hover();
      await page.screenshot({ path: path.join(screenshots, `fraud-marker-${width}-${locale}.png`) });
      await context.close();
    });
  }
});
