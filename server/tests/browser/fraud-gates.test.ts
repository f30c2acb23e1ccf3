import { mkdirSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantMailboxAccess } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { signInInBrowser } from '../support/browser-sign-in.js';
import { chromiumArgs } from '../support/chromium.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { testEnv } from '../support/env.js';
import { emptyMailboxes } from '../support/mail-server.js';
import { waitForMail } from '../support/outbox.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD as password } from '../support/users.js';
import { addTestImapMailbox } from '../support/workspace.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const customer = 'buyer2@customer.test';

describe('fraud gates in the browser: closing needs a phone call, a colleague approves payment details', () => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let browser: Browser;
  const subject = `Neue Bankverbindung ${Date.now().toString(36)}`;
  let conversationId = '';
  let mailboxId = '';

  async function signIn(email: string, locale: string): Promise<Page> {
    const page = await (await browser.newContext({ locale, viewport: { width: 1360, height: 1000 } })).newPage();
    page.on('pageerror', (error) => console.error('pageerror', error.stack));
    await signInInBrowser(page, pier.url, { email, password });
    return page;
  }

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    database = await createTestDatabase('sqlite');
    pier = await startTestPier(database);
    const { db } = pier.workspace;
    await emptyMailboxes('support@acme.test');
    await emptyMailboxes(customer);
    const support = await addTestImapMailbox(pier.workspace, 'support@acme.test');
    mailboxId = support.id;
    await db
      .insertInto('fraud_mailbox_settings')
      .values({ mailbox_id: support.id, second_approver: 1, updated_by: null, updated_at: Date.now() })
      .execute();
    for (const [email, name] of [
      ['li.wei@acme.test', 'Li Wei'],
      ['zhang@acme.test', '张伟'],
    ] as const) {
      const user = await createAccount(db, { email, name, password, role: 'agent' });
      await grantMailboxAccess(db, user.id, support.id, 'reply');
    }
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort ?? 0, secure: false, ignoreTLS: true });
    await smtp.sendMail({
      from: `"Anna Schmidt" <${customer}>`,
      to: 'support@acme.test',
      subject,
      text: 'Hallo,\n\nunsere Bankverbindung hat sich geändert. Bitte überweisen Sie ab sofort auf:\nIBAN: GB29 NWBK 6016 1331 9268 19\n\nGrüße\nAnna',
    });
    smtp.close();
    for (;;) {
      const row = await db.selectFrom('fraud_assessments').select('conversation_id').executeTakeFirst();
      if (row) {
        conversationId = row.conversation_id;
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    browser = await chromium.launch({ executablePath: testEnv('PIER_TEST_CHROMIUM'), args: chromiumArgs });
  });
  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  it('refuses to close before a recorded call, takes the number from the record, then closes; the approver approves', async () => {
    const page = await signIn('li.wei@acme.test', 'en-US');
    const shot = (name: string) => page.screenshot({ path: path.join(screenshots, `fraud-gates-${name}-en.png`), fullPage: true });
    await page.getByTestId('view-unassigned').click();
    await page.getByTestId('conversation-item').filter({ hasText: subject }).click();
    const panel = page.getByTestId('conversation-pane');
    await panel.getByTestId('fraud-banner').waitFor();
    await panel.getByTestId('triage-toolbar').getByTestId('triage-assign').waitFor();

    // Close: refused, and the toolbar says why.
    await panel.getByTestId('triage-status').selectOption('closed');
    await panel.getByText('record the call in the red warning above first').waitFor();
    await shot('close-refused');
    expect(
      await pier.workspace.db.selectFrom('conversations').select('status').where('id', '=', conversationId).executeTakeFirst(),
    ).toEqual({
      status: 'open',
    });

    // No number on record yet: Li adds the one from the contract, in the banner.
    await panel.getByTestId('fraud-no-number').waitFor();
    await panel.getByTestId('fraud-contacts').locator(`[data-address="${customer}"]`).getByTestId('contact-phone-edit').click();
    await panel.getByTestId('contact-phone-input').fill('12345');
    await panel.getByTestId('contact-phone-save').click();
    await panel.getByText('not a valid phone number').waitFor();
    await panel.getByTestId('contact-phone-input').fill('+49 40 1234 5678');
    await panel.getByTestId('contact-phone-save').click();
    await panel.getByTestId('fraud-phone-form').waitFor();
    // The header shows the number too.
    await expect.poll(() => panel.getByTestId('customer-phone').textContent()).toContain('+494012345678');

    // The call: confirmed.
    await panel.getByTestId('fraud-phone-submit').click();
    await expect.poll(() => panel.getByTestId('fraud-phone-status').textContent()).toContain('A phone call after the latest warning');
    await panel.getByTestId('triage-status').selectOption('closed');
    await expect
      .poll(
        async () =>
          (await pier.workspace.db.selectFrom('conversations').select('status').where('id', '=', conversationId).executeTakeFirst())
            ?.status,
      )
      .toBe('closed');
    await shot('confirmed-closed');

    // Li answers with our bank details (through the API, like the composer); the mailbox wants a second approver.
    const api = pier.api();
    expect((await api.post('/api/auth/login', { email: 'li.wei@acme.test', password })).status).toBe(200);
    const queued = await api.post<{ id: string; state: string }>('/api/outbox', {
      mailboxId,
      mode: 'reply',
      conversationId,
      to: [customer],
      subject: `Re: ${subject}`,
      html: '<p>Our account: IBAN DE89 3704 0044 0532 0130 00</p>',
      force: true,
    });
    expect(queued).toMatchObject({ status: 202, body: { state: 'awaiting_approval' } });
    await page.reload();
    await panel.getByTestId('fraud-approvals').waitFor();
    await expect.poll(() => panel.getByTestId('fraud-approvals').textContent()).toContain('a colleague must approve');
    expect(await panel.getByTestId('fraud-approve').count()).toBe(0);
    await page.context().close();

    // 张伟 approves, in Chinese.
    const zhang = await signIn('zhang@acme.test', 'zh-CN');
    await zhang.goto(`${pier.url}/?view=closed&c=${conversationId}`);
    const pane = zhang.getByTestId('conversation-pane');
    await pane.getByTestId('fraud-approvals').waitFor();
    await expect.poll(() => pane.getByTestId('fraud-approvals').textContent()).toContain('含付款信息');
    await zhang.screenshot({ path: path.join(screenshots, 'fraud-gates-approval-zh-CN.png'), fullPage: true });
    await pane.getByTestId('fraud-approve').click();
    await expect.poll(() => pane.getByTestId('fraud-approval-decision').textContent()).toContain('张伟');
    const [received] = await waitForMail(customer, 'INBOX', `Re: ${subject}`);
    expect(received?.parsed.text).toContain('DE89');
    await zhang.screenshot({ path: path.join(screenshots, 'fraud-gates-approved-zh-CN.png'), fullPage: true });
    await zhang.context().close();
  });
});
