// Issue 4's end-to-end test, over real Postfix + Dovecot + Chromium and the built Pier process:
// a customer's mail to sales@ (through Postfix) appears live in agent A's open list; A assigns it
// to herself with the keyboard and answers with a saved reply; the customer's Dovecot mailbox gets
// the reply with the mailbox signature and threading headers; A closes it; the customer answers
// (through Postfix) and the conversation reopens live; agent B, in the same conversation all along,
// sees A viewing and replying, and B's stale send is refused (409) with what changed, then sent
// with one click. Screenshots of the inbox, a conversation and the composer in English (A) and
// Simplified Chinese (B) go to test-output/screenshots/e2e-*.png.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInInBrowser } from '../support/browser-sign-in.js';
import { chromiumArgs } from '../support/chromium.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { testEnv } from '../support/env.js';
import { createApiClient } from '../support/http-client.js';
import { deliver, emptyMailboxes } from '../support/mail-server.js';
import { waitForMail } from '../support/outbox.js';
import { type PierProcess, startPierProcess } from '../support/pier-process.js';
import { TEST_PASSWORD as password } from '../support/users.js';
import { addMailbox, addUser, grantAccess, withTestWorkspace } from '../support/workspace-setup.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const sales = 'sales@acme.test';
const customer = 'buyer@customer.test';
const run = Date.now().toString(36);
const subject = `LED panel inquiry ${run}`;
const firstId = `<first.${run}@customer.test>`;
const agentA = { email: 'li.wei@acme.test', name: 'Li Wei' };
const agentB = { email: 'zhang.min@acme.test', name: 'Zhang Min' };

describe('the shared inbox end to end (Postfix → Dovecot → Pier → Chromium → Postfix → Dovecot)', () => {
  let database: TestDatabase;
  let pier: PierProcess;
  let browser: Browser;
  let a: Page;
  let b: Page;
  let replyMessageId = '';
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshots, `e2e-${name}.png`) });
  const pane = (page: Page) => page.getByTestId('conversation-pane');
  /** The composer on its own (the pane scrolls; a page shot would cut it off). */
  const composerShot = (page: Page, name: string) =>
    page.getByTestId('composer').screenshot({ path: path.join(screenshots, `e2e-${name}.png`) });

  async function signIn(locale: 'en' | 'zh-CN', email: string): Promise<Page> {
    const context = await browser.newContext({ locale: locale === 'en' ? 'en-US' : 'zh-CN', viewport: { width: 1440, height: 960 } });
    const page = await context.newPage();
    await page.addInitScript((l) => {
      // Init scripts also run in the sandboxed mail frames, which have no storage.
      if (window.top === window) localStorage.setItem('pier.locale', l);
    }, locale);
    page.on('pageerror', (error) => console.error(`pageerror (${email})`, error.stack));
    await signInInBrowser(page, pier.url, { email, password });
    return page;
  }

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    await emptyMailboxes(sales);
    await emptyMailboxes(customer);
    database = await createTestDatabase('sqlite');
    await withTestWorkspace(database, async (ws) => {
      await addUser(ws, { email: 'admin@acme.test', name: 'Admin', password });
      for (const agent of [agentA, agentB]) await addUser(ws, { ...agent, role: 'agent', password });
      await addMailbox(ws, { address: sales, name: 'ACME Sales', purpose: 'sales', testBench: {} });
      for (const agent of [agentA, agentB]) await grantAccess(ws, agent.email, sales, 'reply');
    });
    pier = await startPierProcess(database);

    // The admin sets the mailbox signature and a saved reply (their screens have their own browser test).
    const admin = createApiClient(pier.url);
    const session = await admin.post<{ mailboxes: { id: string; address: string }[] }>('/api/auth/login', {
      email: 'admin@acme.test',
      password,
    });
    const mailboxId = session.body.mailboxes.find((m) => m.address === sales)?.id;
    expect(mailboxId).toBeTruthy();
    const signature = await admin.put(`/api/mailboxes/${mailboxId}/signature`, {
      signatureHtml: '<p>--<br><strong>{{agent.name}}</strong><br>{{company.name}}<br>{{company.website}} {{company.phone}}</p>',
      companyName: 'ACME Lighting Co., Ltd.',
      logoUrl: '',
      website: 'https://acme.test',
      phone: '+86 574 5555 0100',
      sentCopy: 'never',
    });
    expect(signature.status).toBe(200);
    const saved = await admin.post('/api/saved-replies', {
      name: 'Quote follows',
      bodyHtml: '<p>Dear {{customer.name}}, thank you for your inquiry. Our quotation follows.</p>',
    });
    expect(saved.status).toBe(201);

    browser = await chromium.launch({ executablePath: testEnv('PIER_TEST_CHROMIUM'), args: chromiumArgs });
    a = await signIn('en', agentA.email);
    b = await signIn('zh-CN', agentB.email);
  });

  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  it("a customer's mail delivered by Postfix appears in A's open list without a reload", async () => {
    // A marker on the window survives only if the page is never reloaded.
    await a.evaluate(() => {
      (window as unknown as { e2eMarker: number }).e2eMarker = 7;
    });
    await deliver({
      from: 'Maria Gonzalez <buyer@customer.test>',
      to: sales,
      subject,
      messageId: firstId,
      text: 'Dear ACME team, please quote 500 pcs of the 600x600 LED panel. 请报价。',
    });
    // The list's safety refetch is 120 s while the socket is up: seeing it sooner means it was pushed.
    await expect.poll(() => a.getByTestId('conversation-list').textContent(), { timeout: 30_000, interval: 200 }).toContain(subject);
    expect(await a.evaluate(() => (window as unknown as { e2eMarker?: number }).e2eMarker)).toBe(7);
    await expect.poll(() => b.getByTestId('conversation-list').textContent(), { timeout: 15_000 }).toContain(subject);
    await shot(a, 'inbox-en');
    await shot(b, 'inbox-zh');
  });

  it('A assigns it to herself with "a"; B, in the same conversation, sees A viewing and then replying', async () => {
    await a.getByTestId('conversation-item').filter({ hasText: subject }).click();
    await pane(a).getByTestId('triage-assign').waitFor();
    await a.getByTestId('composer-editor').waitFor({ timeout: 20_000 });
    // Keyboard shortcut from the help overlay: "a" = assign to me.
    await a.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await a.keyboard.press('a');
    await expect.poll(() => pane(a).getByTestId('triage-assign').textContent(), { timeout: 10_000 }).toContain(agentA.name);

    await b.getByTestId('conversation-item').filter({ hasText: subject }).click();
    await b.getByTestId('composer-editor').waitFor({ timeout: 20_000 });
    await expect.poll(() => pane(b).getByTestId('triage-assign').textContent(), { timeout: 10_000 }).toContain(agentA.name);
    await expect.poll(() => b.getByTestId('presence').textContent(), { timeout: 10_000 }).toBe(`${agentA.name} 正在查看`);
    await expect.poll(() => a.getByTestId('presence').textContent(), { timeout: 10_000 }).toBe(`${agentB.name} is viewing`);
    await shot(a, 'conversation-en');
    await shot(b, 'conversation-zh');
  });

  it('A answers with a saved reply; the customer receives it with the signature, In-Reply-To and References', async () => {
    // A shortens her undo window to 5 s in the composer (a saved preference).
    await a.getByTestId('composer-undo-delay').selectOption('5');
    await expect.poll(() => a.evaluate(async () => (await (await fetch('/api/outbox/preferences')).json()).undoSeconds)).toBe(5);

    await a.getByTestId('composer-saved-reply').selectOption({ label: 'Quote follows' });
    await expect.poll(() => a.getByTestId('composer-editor').textContent()).toContain('Dear Maria Gonzalez, thank you');
    await a.getByTestId('composer-editor').click();
    await a.keyboard.press('Control+End');
    await a.keyboard.type(' Price: USD 18.50 per piece, FOB Ningbo.');
    await expect.poll(() => b.getByTestId('presence').textContent(), { timeout: 10_000 }).toBe(`${agentA.name} 正在回复`);
    await expect.poll(() => b.getByTestId('composer-presence').textContent(), { timeout: 10_000 }).toBe(`${agentA.name} 正在回复`);
    await expect.poll(() => a.getByTestId('signature-preview').textContent()).toContain('ACME Lighting Co., Ltd.');
    await composerShot(a, 'composer-en');

    await a.getByTestId('composer-send').click();
    await a.getByTestId('composer-undo').waitFor();
    await expect.poll(() => a.getByTestId('outbox-item').first().getAttribute('data-state'), { timeout: 30_000 }).toBe('sent');

    const [received] = await waitForMail(customer, 'INBOX', subject, 1, 30_000);
    const mail = received?.parsed;
    expect(mail?.inReplyTo).toBe(firstId);
    expect([mail?.references].flat()).toContain(firstId);
    expect(mail?.subject).toBe(`Re: ${subject}`);
    expect(mail?.text).toContain('Dear Maria Gonzalez, thank you for your inquiry');
    expect(mail?.text).toContain('USD 18.50');
    // The mailbox signature, with the sending agent's name.
    expect(mail?.text).toContain('ACME Lighting Co., Ltd.');
    expect(mail?.text).toContain(agentA.name);
    expect(mail?.html).toContain('<strong>Li Wei</strong>');
    replyMessageId = mail?.messageId ?? '';
    expect(replyMessageId).toMatch(/^<.+@acme\.test>$/);

    // Done for now: "e" closes it, and B sees that live.
    await a.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await a.keyboard.press('e');
    await expect.poll(() => pane(a).getByTestId('triage-status').inputValue(), { timeout: 10_000 }).toBe('closed');
    await expect.poll(() => pane(b).getByTestId('triage-status').inputValue(), { timeout: 15_000 }).toBe('closed');
  });

  it("the customer's answer reopens the conversation live; B's stale send is refused with what changed, and goes on one click", async () => {
    // B started a reply before A's went out and before the customer answered.
    await b.getByTestId('composer-editor').click();
    await b.keyboard.type('我们可以提供 800 件，交期 25 天。 We can do 800 pcs in 25 days.');
    await expect.poll(() => b.getByTestId('composer-draft-state').textContent(), { timeout: 10_000 }).toMatch(/草稿已保存|已保存/);

    await deliver({
      from: 'Maria Gonzalez <buyer@customer.test>',
      to: sales,
      subject: `Re: ${subject}`,
      inReplyTo: replyMessageId,
      references: [firstId, replyMessageId],
      text: 'Thanks! Can you do 800 pcs as well?',
    });
    await expect.poll(() => pane(a).getByTestId('triage-status').inputValue(), { timeout: 30_000, interval: 200 }).toBe('open');
    await expect.poll(() => pane(b).getByTestId('triage-status').inputValue(), { timeout: 15_000 }).toBe('open');
    await expect.poll(() => pane(a).textContent(), { timeout: 15_000 }).toContain('Can you do 800 pcs as well?');
    await composerShot(b, 'composer-zh');

    const refused = b.waitForResponse((r) => r.url().endsWith('/api/outbox') && r.request().method() === 'POST');
    await b.getByTestId('composer-send').click();
    expect((await refused).status()).toBe(409);
    const collision = b.getByTestId('composer-collision');
    await collision.waitFor();
    // What changed: A's reply and the customer's answer.
    await expect.poll(() => collision.textContent()).toContain('Can you do 800 pcs as well?');
    expect(await collision.textContent()).toContain('USD 18.50');
    await shot(b, 'collision-zh');
    await composerShot(b, 'composer-collision-zh');

    await b.getByTestId('composer-send-anyway').click();
    await b.getByTestId('composer-undo').waitFor();
    const mails = await waitForMail(customer, 'INBOX', subject, 2, 60_000);
    const fromB = mails.map((m) => m.parsed).find((m) => m.text?.includes('800 pcs in 25 days'));
    expect(fromB?.text).toContain('我们可以提供 800 件');
    expect(fromB?.text).toContain(agentB.name);
    expect(fromB?.inReplyTo).toBeTruthy();
    await shot(a, 'conversation-after-en');
  }, 120_000);
});
