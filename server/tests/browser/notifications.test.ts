import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInInBrowser } from '../support/browser-sign-in.js';
import { chromiumArgs } from '../support/chromium.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { testEnv } from '../support/env.js';
import { type ApiClient, createApiClient } from '../support/http-client.js';
import { deliver, emptyMailboxes, waitForCount } from '../support/mail-server.js';
import { type PierProcess, startPierProcess } from '../support/pier-process.js';
import { TEST_PASSWORD as password } from '../support/users.js';
import { addMailbox, addUser, grantAccess, withTestWorkspace } from '../support/workspace-setup.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const mailbox = 'sales@acme.test';
const subject = 'Quote for 300 solar lanterns';

type Person = { id: string; name: string; email: string };

/**
 * The notification centre over the real chain: agent B (Zhang Min, over the
 * API) mentions agent A (Li Wei) in an internal note; A's open page shows the
 * bell's count go up without a reload, the panel says so in a sentence (English,
 * then Chinese), and a click marks it read and opens the conversation.
 */
describe('notification centre in the browser', () => {
  let database: TestDatabase;
  let pier: PierProcess;
  let browser: Browser;
  let li: Page;
  let zhang: ApiClient;
  let conversationId: string;
  let liId: string;

  const bell = () => li.getByTestId('notifications-bell');
  const count = async () =>
    (await li.getByTestId('notifications-count').count()) ? li.getByTestId('notifications-count').textContent() : '';
  const mention = async (body: string) => {
    const note = await zhang.post(`/api/conversations/${conversationId}/notes`, { body: `@Li Wei ${body}`, mentions: [liId] });
    expect(note.status).toBe(201);
  };

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    await emptyMailboxes(mailbox);
    await deliver({ from: 'Maria Rossi <maria@lucebella.test>', to: mailbox, subject, text: 'Price for 300 pcs, FOB Ningbo?' });
    await waitForCount(mailbox, 'INBOX', 1);
    database = await createTestDatabase('sqlite');
    await withTestWorkspace(database, async (ws) => {
      for (const [email, name] of [
        ['zhang@acme.test', 'Zhang Min'],
        ['li@acme.test', 'Li Wei'],
      ] as const) {
        await addUser(ws, { email, name, role: 'agent', password });
      }
      await addMailbox(ws, { address: mailbox, name: 'ACME Sales', purpose: 'sales', testBench: {} });
      for (const email of ['zhang@acme.test', 'li@acme.test']) await grantAccess(ws, email, mailbox, 'reply');
    });
    pier = await startPierProcess(database);

    // B works over the API (second factor answered by the support client).
    zhang = createApiClient(pier.url);
    expect((await zhang.post('/api/auth/login', { email: 'zhang@acme.test', password })).status).toBe(200);
    // Wait for Pier's IMAP sync to store the mail (expect.poll is not allowed in beforeAll).
    for (let tries = 0; ; tries += 1) {
      const stored = await zhang.get<{ items: { id: string }[] }>('/api/conversations');
      if ((stored.body.items?.length ?? 0) > 0) break;
      if (tries > 150) throw new Error('the mail was not synced');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const list = await zhang.get<{ items: { id: string; subject: string }[] }>('/api/conversations');
    conversationId = list.body.items[0]?.id ?? '';
    const people = await zhang.get<{ mentionable: Person[] }>(`/api/conversations/${conversationId}/people`);
    liId = people.body.mentionable.find((p) => p.email === 'li@acme.test')?.id ?? '';
    expect(liId).not.toBe('');

    // A has the inbox open in her browser, no conversation selected.
    browser = await chromium.launch({ executablePath: testEnv('PIER_TEST_CHROMIUM'), args: chromiumArgs });
    li = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } })).newPage();
    await signInInBrowser(li, pier.url, { email: 'li@acme.test', password });
    await li.getByTestId('conversation-item').filter({ hasText: subject }).waitFor({ timeout: 30_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  it('counts a new mention on the open page, explains it in English and opens its conversation', async () => {
    expect(await bell().getAttribute('aria-label')).toBe('Notifications');
    expect(await count()).toBe('');

    // What the page's live socket hears: the server pushes a `notification` event to Li's sockets only.
    const frames: string[] = [];
    li.on('websocket', (ws) => ws.on('framereceived', (frame) => frames.push(String(frame.payload))));
    await li.reload();
    await li.getByTestId('inbox-shell').waitFor();
    await li.evaluate(() => {
      (window as unknown as { notifMarker: number }).notifMarker = 7;
    });
    await expect.poll(() => frames.some((f) => f.includes('"hello"'))).toBe(true);

    await mention('can you check the lantern stock?');
    // The bell does not poll: it refetches when the server pushes a notification event for this user.
    await expect.poll(count, { timeout: 15_000, interval: 100 }).toBe('1');
    expect(frames.filter((f) => f === '{"type":"notification"}')).toHaveLength(1);
    expect(await bell().getAttribute('aria-label')).toBe('Notifications, 1 unread');
    expect(await li.evaluate(() => (window as unknown as { notifMarker?: number }).notifMarker)).toBe(7);

    await bell().click();
    const panel = li.getByRole('dialog', { name: 'Notifications' });
    await panel.waitFor();
    const item = panel.getByTestId('notification-item');
    expect(await item.count()).toBe(1);
    expect(await item.getAttribute('data-unread')).toBe('true');
    expect(await item.locator('.notif-sentence').textContent()).toBe(`Zhang Min mentioned you in a note on “${subject}”`);
    // The note's own words, so two mentions in one conversation read differently.
    expect(await item.getByTestId('notification-excerpt').textContent()).toBe('@Li Wei can you check the lantern stock?');
    expect(await item.locator('time').textContent()).toMatch(/now|second|minute/);
    await li.screenshot({ path: path.join(screenshots, 'notifications-en.png') });

    // Escape closes the panel and gives the focus back to the bell.
    await li.keyboard.press('Escape');
    expect(await panel.count()).toBe(0);
    expect(await bell().evaluate((el) => el === document.activeElement)).toBe(true);

    await bell().click();
    await panel.getByTestId('notification-item').click();
    await li.waitForURL((url) => url.searchParams.get('c') === conversationId);
    await li.getByTestId('conversation-pane').getByText(subject).first().waitFor();
    expect(await panel.count()).toBe(0);
    await expect.poll(count, { timeout: 10_000 }).toBe('');
    expect(await bell().getAttribute('aria-label')).toBe('Notifications');
    // Read on the server too, not only on this page.
    const mine = await li.evaluate(async () => (await fetch('/api/notifications?unread=1')).json());
    expect(mine).toMatchObject({ unread: 0, items: [] });
  });

  it('shows the same panel in Chinese, and "mark all read" clears the count', async () => {
    await li.evaluate(() => localStorage.setItem('pier.locale', 'zh-CN'));
    await li.goto(pier.url);
    await li.getByTestId('inbox-shell').waitFor();
    await mention('请确认灯笼库存');
    await expect.poll(count, { timeout: 15_000, interval: 100 }).toBe('1');
    expect(await bell().getAttribute('aria-label')).toBe('通知，1 条未读');

    await bell().click();
    const panel = li.getByRole('dialog', { name: '通知' });
    await panel.waitFor();
    const items = panel.getByTestId('notification-item');
    expect(await items.count()).toBe(2);
    // Newest first: the unread second mention, then the one read above.
    expect(await items.nth(0).getAttribute('data-unread')).toBe('true');
    expect(await items.nth(1).getAttribute('data-unread')).toBe('false');
    expect(await items.nth(0).locator('.notif-sentence').textContent()).toBe(`Zhang Min 在「${subject}」的内部备注中提到了你`);
    // Same sentence for both mentions; the excerpts tell them apart.
    expect(await items.nth(0).getByTestId('notification-excerpt').textContent()).toBe('@Li Wei 请确认灯笼库存');
    expect(await items.nth(1).getByTestId('notification-excerpt').textContent()).toBe('@Li Wei can you check the lantern stock?');
    expect(await panel.getByTestId('notifications-mark-all').textContent()).toBe('全部标为已读');
    await li.screenshot({ path: path.join(screenshots, 'notifications-zh-CN.png') });

    await panel.getByTestId('notifications-mark-all').click();
    await expect.poll(count, { timeout: 10_000 }).toBe('');
    await expect.poll(() => items.nth(0).getAttribute('data-unread'), { timeout: 10_000 }).toBe('false');
    expect(await bell().getAttribute('aria-label')).toBe('通知');
  });
});
