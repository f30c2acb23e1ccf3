// "Uncertain" sends and forwards decided in the browser, over real Postfix and Dovecot: a proxy in
// front of Postfix submission keeps Postfix's 250 after DATA from Pier, so Pier cannot know whether
// the mail left (it did). The agent sends the reply again from the conversation, the admin records
// the forward as sent on the forwarding audit page; both see the risk first, both are audited.
// Screenshots in test-output/screenshots/ (look at them).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MailboxRow } from '../../src/db/schema.js';
import { grantMailboxAccess } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { launchChromium, signInInBrowser } from '../support/browser.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { deliver, emptyMailboxes } from '../support/mail-server.js';
import { findMail, mailDeliveredSoFar, startSubmissionProxy, waitForMail } from '../support/outbox.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD } from '../support/users.js';
import { addTestImapMailbox } from '../support/workspace.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const boss = { email: 'boss@acme.test', name: 'Boss', password: 'correct horse battery staple' };
const agent = { email: 'li.wei@acme.test', password: TEST_PASSWORD };
const mailbox = 'support@acme.test';
const customer = 'buyer2@customer.test';
const forwardTarget = 'buyer@customer.test';
const token = `unc-${Date.now().toString(36)}`;

describe('uncertain sends and forwards, decided in the browser', () => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let admin: ApiClient;
  let browser: Browser;
  let support: MailboxRow;
  let proxy: Awaited<ReturnType<typeof startSubmissionProxy>>;
  // While true the proxy keeps Postfix's "250 accepted" from Pier: the mail is delivered, Pier never hears it.
  let swallow = true;
  const audits = (action: string) =>
    pier.workspace.db.selectFrom('audit_log').select(['action', 'actor_id', 'details']).where('action', '=', action).execute();

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    for (const user of [mailbox, customer, forwardTarget]) await emptyMailboxes(user);
    proxy = await startSubmissionProxy(() => (swallow ? 'swallow' : 'forward'));
    database = await createTestDatabase('sqlite');
    // Pier waits 2 s for an answer after DATA (default 120 s), then records "uncertain".
    pier = await startTestPier(database, { PIER_SMTP_SEND_TIMEOUT_SECONDS: '2' });
    admin = pier.api();
    expect((await admin.post('/api/setup', boss)).status).toBe(201);
    support = await addTestImapMailbox(pier.workspace, mailbox);
    await pier.workspace.db.updateTable('mailboxes').set({ smtp_port: proxy.port }).where('id', '=', support.id).execute();
    const li = await createAccount(pier.workspace.db, { email: agent.email, name: 'Li Wei', password: agent.password, role: 'agent' });
    await grantMailboxAccess(pier.workspace.db, li.id, support.id, 'reply');
    // The setup session has just passed password and code: step-up is fresh for the rule.
    const rule = await admin.post('/api/forwarding/rules', {
      mailboxId: support.id,
      name: 'Copy to the buyer desk',
      target: forwardTarget,
    });
    expect(rule.status).toBe(201);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await proxy?.close();
    await database?.drop();
  });

  let page: Page;
  const shot = (name: string) => page.screenshot({ path: path.join(screenshots, `${name}.png`) });

  it('a reply whose outcome is unknown: the agent sees why, sees the risk, sends it again (audited)', async () => {
    await deliver({ from: `Maria Gonzalez <${customer}>`, to: mailbox, subject: `Order ${token}`, text: 'Please confirm the order.' });
    page = await signInInBrowser(browser, pier.url, agent);
    const item = page.getByTestId('conversation-item').filter({ hasText: token });
    await item.waitFor({ timeout: 30_000 });
    await item.click();
    await page.getByTestId('composer-editor').click();
    await page.keyboard.type('Confirmed, thank you.');
    await page.getByTestId('composer-send').click();
    await page.getByTestId('composer-undo').waitFor();
    const status = page.getByTestId('outbox-item').first();
    // The undo window (10 s), the send, 2 s without an answer after DATA: uncertain.
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 45_000 }).toBe('uncertain');
    // It did reach the customer (Postfix took it), once.
    expect(await waitForMail(customer, 'INBOX', token)).toHaveLength(1);
    expect(await status.textContent()).toContain('It may have been delivered');

    await status.getByTestId('outbox-resend').click();
    const confirm = status.getByTestId('outbox-confirm');
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('gets it twice');
    await status.scrollIntoViewIfNeeded();
    await shot('80-uncertain-send-confirm-en');

    swallow = false;
    await confirm.getByTestId('outbox-confirm-yes').click();
    await expect.poll(() => status.getAttribute('data-state'), { timeout: 30_000 }).toBe('sent');
    await shot('81-uncertain-send-resent-en');
    // The agent chose to send again, knowing: the customer has it twice, and the audit log says who decided.
    expect(await waitForMail(customer, 'INBOX', token, 2)).toHaveLength(2);
    const records = await audits('outbox.uncertain_resent');
    expect(records).toHaveLength(1);
    expect(JSON.parse(records[0]?.details ?? '{}')).toMatchObject({ errorCode: 'outbox.outcome_unknown' });
    await page.context().close();
  }, 120_000);

  it('a forward whose outcome is unknown: the admin records it as sent on the forwarding audit page (audited), in Chinese', async () => {
    swallow = true;
    // The customer's mail came in before (first test): it was forwarded then, through the swallowing proxy.
    const [forwarded] = await waitForMail(forwardTarget, 'INBOX', token, 1, 30_000);
    expect(forwarded?.parsed.subject).toBe(`Fwd: Order ${token}`);
    await expect
      .poll(
        async () =>
          (await pier.workspace.db.selectFrom('forwarding_deliveries').select('state').where('target', '=', forwardTarget).execute()).map(
            (d) => d.state,
          ),
        { timeout: 30_000 },
      )
      .toEqual(['uncertain']);

    page = await signInInBrowser(browser, pier.url, boss, { locale: 'zh-CN' });
    await page.goto(`${pier.url}/settings/forwarding`);
    const row = page.getByTestId('uncertain-forward').filter({ hasText: token });
    await row.waitFor();
    expect(await page.getByTestId('uncertain-forwards').textContent()).toContain('结果未知的转发');
    expect(await row.textContent()).toContain(forwardTarget);
    await row.getByTestId('uncertain-mark-sent').click();
    const confirm = row.getByTestId('uncertain-confirm');
    expect(await confirm.textContent()).toContain('Pier 不会再发送');
    await shot('82-uncertain-forward-confirm-zh-CN');
    await confirm.getByTestId('uncertain-confirm-yes').click();
    await row.waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('uncertain-forwards').textContent()).toContain('已记录你的决定');
    await shot('83-uncertain-forward-decided-zh-CN');

    const states = await pier.workspace.db
      .selectFrom('forwarding_deliveries')
      .select('state')
      .where('target', '=', forwardTarget)
      .execute();
    expect(states.map((d) => d.state)).toEqual(['sent']);
    const records = await audits('forwarding.uncertain_marked_sent');
    expect(records).toHaveLength(1);
    expect(JSON.parse(records[0]?.details ?? '{}')).toMatchObject({ target: forwardTarget, external: true });
    // Nothing was sent again.
    await mailDeliveredSoFar(forwardTarget);
    expect(await findMail(forwardTarget, 'INBOX', token)).toHaveLength(1);
  }, 120_000);
});
