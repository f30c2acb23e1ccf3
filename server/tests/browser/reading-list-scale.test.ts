import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../src/db/ids.js';
import { createMailbox } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { signInInBrowser } from '../support/browser-sign-in.js';
import { chromiumArgs } from '../support/chromium.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { testEnv } from '../support/env.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD } from '../support/users.js';

/**
 * 10,000 conversations in one mailbox: the list pages in from the server as it
 * scrolls (keyset cursor) and keeps only the visible rows in the DOM. The frame
 * times of a scroll from top to bottom are printed as the figure to watch.
 */
const TOTAL = 10_000;
const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const admin = { email: 'admin@acme.test', password: TEST_PASSWORD };
const countries = ['es', 'de', 'com.cn', 'fr', 'it', 'co.uk', 'com.br', 'nl', 'pl', 'com.tr'];

describe('the conversation list at 10,000 conversations', () => {
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
    const mailbox = await createMailbox(db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' });
    // Rows written straight into the database: ingesting 10,000 mails over SMTP would test ingest, not the list.
    const now = Date.now();
    for (let start = 0; start < TOTAL; start += 500) {
      const batch = Array.from({ length: Math.min(500, TOTAL - start) }, (_, i) => {
        const n = start + i;
        const at = now - n * 60_000;
        const address = `buyer${n}@customer${n % 997}.${countries[n % countries.length]}`;
        return { n, at, address, conversationId: newId(), messageId: newId() };
      });
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('conversations')
          .values(
            batch.map((r) => ({
              id: r.conversationId,
              subject: `RFQ #${r.n} LED panels`,
              status: 'open' as const,
              assignee_id: null,
              priority: 'normal' as const,
              last_message_at: r.at,
              created_at: r.at,
              updated_at: r.at,
              subject_key: `rfq #${r.n} led panels`,
              counterparty: r.address,
              // The list line, as refreshConversationLatest writes it.
              last_from_addr: r.address,
              last_from_name: `Buyer ${r.n}`,
              last_snippet: `Please quote ${r.n} pcs, FOB Ningbo.`,
            })),
          )
          .execute();
        await trx
          .insertInto('conversation_mailboxes')
          .values(batch.map((r) => ({ conversation_id: r.conversationId, mailbox_id: mailbox.id })))
          .execute();
        await trx
          .insertInto('messages')
          .values(
            batch.map((r) => ({
              id: r.messageId,
              identity: `seed-${r.n}`,
              message_id_header: `<seed-${r.n}@customer.test>`,
              raw_sha256: '0'.repeat(64),
              raw_size: 100,
              direction: 'in' as const,
              from_addr: r.address,
              from_name: `Buyer ${r.n}`,
              to_addrs: '["sales@acme.test"]',
              cc_addrs: '[]',
              subject: `RFQ #${r.n} LED panels`,
              sent_at: r.at,
              received_at: r.at,
              in_reply_to: null,
              references_json: '[]',
              snippet: `Please quote ${r.n} pcs, FOB Ningbo.`,
              parse_status: 'ok' as const,
              parse_error: null,
              created_at: r.at,
              auth_results: null,
              language: null,
            })),
          )
          .execute();
        await trx
          .insertInto('conversation_messages')
          .values(batch.map((r) => ({ conversation_id: r.conversationId, message_id: r.messageId })))
          .execute();
      });
    }

    browser = await chromium.launch({ executablePath: testEnv('PIER_TEST_CHROMIUM'), args: chromiumArgs });
    page = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 900 } })).newPage();
    await signInInBrowser(page, pier.url, admin);
    await page.getByTestId('conversation-item').first().waitFor();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  it('pages in all 10,000 while scrolling to the bottom, with only the visible rows in the DOM', async () => {
    const result = await page.evaluate(async (total) => {
      const scroller = document.querySelector<HTMLElement>('[data-testid="conversation-list"]');
      if (!scroller) throw new Error('no list');
      const count = () => Number(scroller.querySelector<HTMLElement>('ul.conv-list')?.dataset.count ?? 0);
      // The machine's own frame pace with nothing to do, to read the figures against.
      const idle: number[] = [];
      let tick = performance.now();
      for (let i = 0; i < 60; i += 1) {
        await new Promise((resolve) => requestAnimationFrame(resolve));
        idle.push(performance.now() - tick);
        tick = performance.now();
      }
      idle.sort((a, b) => a - b);
      const frames: number[] = [];
      let maxRows = 0;
      let last = performance.now();
      const started = last;
      while (performance.now() - started < 150_000) {
        await new Promise((resolve) => requestAnimationFrame(resolve));
        const now = performance.now();
        frames.push(now - last);
        last = now;
        scroller.scrollTop += 900;
        maxRows = Math.max(maxRows, scroller.querySelectorAll('[data-testid="conversation-item"]').length);
        if (count() >= total && scroller.scrollTop + scroller.clientHeight >= scroller.scrollHeight - 2) break;
      }
      frames.sort((a, b) => a - b);
      const at = (q: number) => Math.round(frames[Math.min(frames.length - 1, Math.floor(frames.length * q))] ?? 0);
      return {
        loaded: count(),
        maxRows,
        frames: frames.length,
        p50: at(0.5),
        p95: at(0.95),
        idleP50: Math.round(idle[30] ?? 0),
        seconds: Math.round((last - started) / 1000),
      };
    }, TOTAL);
    console.log(`list scroll over ${TOTAL} conversations: ${JSON.stringify(result)}`);
    expect(result.loaded).toBe(TOTAL);
    // Virtualised: a screenful plus overscan, never thousands.
    expect(result.maxRows).toBeLessThan(60);
    const lastRow = page.getByTestId('conversation-item').filter({ hasText: `RFQ #${TOTAL - 1} LED panels` });
    await lastRow.waitFor();
    await page.screenshot({ path: path.join(screenshots, '67-list-10000-bottom-en.png') });
  });
});
