import { mkdirSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailbox } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTeam } from '../../src/modules/triage/index.js';
import { signInInBrowser } from '../support/browser-sign-in.js';
import { chromiumArgs } from '../support/chromium.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { testEnv } from '../support/env.js';
import { startTestPier } from '../support/pier.js';
import { ageStepUp } from '../support/step-up.js';
import { nextCode } from '../support/two-factor.js';
import { TEST_PASSWORD as password } from '../support/users.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const boss = { email: 'boss@acme.test', name: '陈总', password, role: 'super_admin' as const };

/** The users page of the settings area: what an admin does there, and what an auditor only sees. */
describe('admin users page in Chromium', () => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let browser: Browser;
  let page: Page;
  const ids: Record<string, string> = {};

  async function signIn(p: Page, email: string) {
    await signInInBrowser(p, pier.url, { email, password }, `${pier.url}/login`);
  }
  const shot = (p: Page, name: string) => p.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
  const row = (email: string) => page.locator(`[data-testid="user-row"][data-email="${email}"]`);
  const role = async (email: string) =>
    (await pier.workspace.db.selectFrom('users').select('role').where('email', '=', email).executeTakeFirstOrThrow()).role;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    database = await createTestDatabase('sqlite');
    pier = await startTestPier(database);
    const { db } = pier.workspace;
    ids.boss = (await createAccount(db, boss)).id;
    for (const [email, name, r] of [
      ['second@acme.test', 'Second Boss', 'super_admin'],
      ['third@acme.test', 'Third Boss', 'super_admin'],
      ['li.na@acme.test', '李娜', 'agent'],
      ['audit@acme.test', 'Auditor Wu', 'auditor'],
    ] as const) {
      ids[email] = (await createAccount(db, { email, name, password, role: r })).id;
    }
    browser = await chromium.launch({ executablePath: testEnv('PIER_TEST_CHROMIUM'), args: chromiumArgs });
    page = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1360, height: 900 } })).newPage();
    await signIn(page, boss.email);
  });
  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  it('lists users with role, two-step state, last sign-in and status, and warns about three super admins', async () => {
    // Li Na signs in once (API): she has an authenticator and a session.
    expect((await pier.api().post('/api/auth/login', { email: 'li.na@acme.test', password })).status).toBe(200);
    await page.getByTestId('settings-link').click();
    await page.getByTestId('settings-nav-users').click();
    await page.getByTestId('users-page').waitFor();
    await expect.poll(() => page.getByTestId('user-row').count()).toBe(5);
    await page.getByTestId('users-super-admin-warning').waitFor();
    expect(await row('li.na@acme.test').getByTestId('user-two-factor').textContent()).toBe('Authenticator app');
    expect(await row('audit@acme.test').getByTestId('user-two-factor').textContent()).toBe('Not set up');
    expect(await row('audit@acme.test').textContent()).toContain('Never');
    // Your own row has no actions: nobody deactivates or demotes themselves here.
    expect(await row(boss.email).getByTestId('user-deactivate').count()).toBe(0);
    await shot(page, 'users-01-list-en');
  });

  it('invites a colleague and shows the one-time link when no system mailbox can send it', async () => {
    await page.getByTestId('user-invite-open').click();
    await page.getByTestId('user-invite-email').fill('new.hire@acme.test');
    await page.getByTestId('user-invite-name').fill('New Hire');
    await page.getByTestId('user-invite-role').selectOption('agent');
    await page.getByTestId('user-invite-submit').click();
    await page.getByTestId('user-link-panel').waitFor();
    expect(await page.getByTestId('user-link').inputValue()).toMatch(/\/invitation#token=/);
    // No public address yet: the link is only for copying, and the page says why.
    expect(await page.getByTestId('user-link-panel').textContent()).toContain('Pier has no public address');
    expect(await page.getByTestId('public-address').textContent()).toContain('not emailed');
    await shot(page, 'users-02-invited-en');
    await page.getByTestId('user-link-close').click();
    expect(await row('new.hire@acme.test').getByTestId('user-status').textContent()).toBe('Invited');
  });

  it('lets the super admin set the public address, and builds the next link from it', async () => {
    await page.getByTestId('public-address-edit').click();
    expect(await page.getByTestId('public-address-input').inputValue()).toBe(pier.url);
    await page.getByTestId('public-address-input').fill('https://pier.acme.test');
    await page.getByTestId('public-address-save').click();
    await expect.poll(() => page.getByTestId('public-address-value').textContent()).toBe('https://pier.acme.test');
    await shot(page, 'users-02b-public-address-en');
    await row('li.na@acme.test').getByTestId('user-password-link').click();
    await page.getByTestId('user-link-panel').waitFor();
    expect(await page.getByTestId('user-link').inputValue()).toMatch(/^https:\/\/pier\.acme\.test\/reset-password#token=/);
    expect(await page.getByTestId('user-link-panel').textContent()).toContain('no mailbox was chosen to send it');
    await page.getByTestId('user-link-close').click();
  });

  it('changes a role after a step-up when the last check is older than ten minutes', async () => {
    await ageStepUp(pier.workspace.db, ids.boss ?? '');
    await row('li.na@acme.test').getByTestId('user-role').selectOption('admin');
    await page.getByTestId('step-up-dialog').waitFor();
    await page.getByTestId('step-up-password').fill(password);
    await page.getByTestId('step-up-code').fill(nextCode(pier.url, boss.email));
    await page.getByTestId('step-up-submit').click();
    await page.getByTestId('users-flash').getByText('Role of 李娜 changed.').waitFor();
    expect(await role('li.na@acme.test')).toBe('admin');
  });

  it('signs a user out everywhere, resets their two-step sign-in, deactivates and reactivates them', async () => {
    const li = row('li.na@acme.test');
    page.on('dialog', (dialog) => void dialog.accept());
    await li.getByTestId('user-revoke-sessions').click();
    await page.getByTestId('users-flash').getByText('李娜 signed out of 1 sessions.').waitFor();
    await li.getByTestId('user-reset-two-factor').click();
    await page.getByTestId('users-flash').getByText('Two-step sign-in of 李娜 reset.').waitFor();
    await expect.poll(async () => li.getByTestId('user-two-factor').textContent()).toBe('Not set up');
    // Two open conversations assigned to her, one of them in team Export.
    const { db } = pier.workspace;
    await createMailbox(db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' });
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort ?? 0, secure: false, ignoreTLS: true });
    await smtp.sendMail({ from: 'buyer@customer.test', to: 'sales@acme.test', subject: 'RFQ one', text: 'Please quote.' });
    await smtp.sendMail({ from: 'other@customer.test', to: 'sales@acme.test', subject: 'RFQ two', text: 'Please quote.' });
    smtp.close();
    const team = await createTeam(db, { name: 'Export', memberIds: [] });
    await db
      .updateTable('conversations')
      .set({ assignee_id: ids['li.na@acme.test'] ?? null })
      .execute();
    await db.updateTable('conversations').set({ team_id: team.id }).where('subject', '=', 'RFQ one').execute();
    // Deactivating first shows the count by team, then hands them to the colleague chosen.
    await li.getByTestId('user-deactivate').click();
    const dialog = page.getByTestId('deactivate-dialog');
    await expect.poll(async () => dialog.getByTestId('deactivate-count').textContent()).toContain('李娜 has 2 open conversations:');
    const counted = await dialog.getByTestId('deactivate-count').textContent();
    expect(counted).toContain('1 in team Export');
    expect(counted).toContain('1 without a team');
    await dialog.getByTestId('deactivate-to-colleague').check();
    await dialog.getByTestId('deactivate-colleague').selectOption({ label: 'Second Boss (second@acme.test)' });
    await shot(page, 'users-03-deactivate-dialog-en');
    await dialog.getByTestId('deactivate-submit').click();
    await page
      .getByTestId('users-flash')
      .getByText('李娜 deactivated: 2 conversations handed over, 0 back in the queue; 0 customers moved.')
      .waitFor();
    await expect.poll(async () => li.getByTestId('user-status').textContent()).toBe('Deactivated');
    expect(
      (await db.selectFrom('conversations').select('assignee_id').execute()).every((c) => c.assignee_id === ids['second@acme.test']),
    ).toBe(true);
    await shot(page, 'users-03-deactivated-en');
    await li.getByTestId('user-reactivate').click();
    await expect.poll(async () => li.getByTestId('user-status').textContent()).toBe('Active');
    page.removeAllListeners('dialog');
  });

  it('shows the page in Chinese', async () => {
    await page.getByTestId('language-switch').selectOption('zh-CN');
    await page.getByText('超级管理员人数超过工作区上限', { exact: false }).waitFor();
    await shot(page, 'users-04-list-zh');
    await page.getByTestId('language-switch').selectOption('en');
  });

  it('lets an auditor open the settings area read-only: audit log, forwarding, reports and users, no buttons', async () => {
    const auditorPage = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1360, height: 900 } })).newPage();
    await signIn(auditorPage, 'audit@acme.test');
    await auditorPage.getByTestId('settings-link').click();
    await auditorPage.waitForURL(/\/settings\/audit$/);
    await auditorPage.getByTestId('settings-nav-users').waitFor();
    expect(await auditorPage.getByTestId('settings-nav-mailboxes').count()).toBe(0);
    expect(await auditorPage.getByTestId('settings-nav-forwarding').count()).toBe(1);
    expect(await auditorPage.getByTestId('settings-nav-report').count()).toBe(1);
    await auditorPage.getByTestId('settings-nav-users').click();
    await auditorPage.getByTestId('users-read-only').waitFor();
    await expect.poll(() => auditorPage.getByTestId('user-row').count()).toBe(6);
    for (const control of [
      'user-invite-open',
      'user-role',
      'user-deactivate',
      'user-reactivate',
      'user-reset-two-factor',
      'user-revoke-sessions',
      'user-password-link',
    ]) {
      expect(await auditorPage.getByTestId(control).count(), control).toBe(0);
    }
    await shot(auditorPage, 'users-05-auditor-en');
    // The mailbox screens are not theirs: the route sends them back to the audit log.
    await auditorPage.goto(`${pier.url}/settings/mailboxes`);
    await auditorPage.waitForURL(/\/settings\/audit$/);
    await auditorPage.context().close();
  });
});
