import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from '@pier/contracts';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/modules/security/index.js';
import { invalidateSessionCache } from '../../src/modules/security/session-cache.js';
import { finishSecondFactorInBrowser } from '../support/browser-sign-in.js';
import { chromiumArgs } from '../support/chromium.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { testEnv } from '../support/env.js';
import { startTestPier } from '../support/pier.js';
import { knownAuthenticator, nextCode, rememberAuthenticator } from '../support/two-factor.js';
import { TEST_PASSWORD } from '../support/users.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const admin = { email: 'wang.fang@acme.test', name: '王芳', password: TEST_PASSWORD };
const chromeWindows = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

describe('two-step sign-in and My security in Chromium', () => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    database = await createTestDatabase('sqlite');
    pier = await startTestPier(database);
    await createAccount(pier.workspace.db, { ...admin, role: 'super_admin' });
    browser = await chromium.launch({ executablePath: testEnv('PIER_TEST_CHROMIUM'), args: chromiumArgs });
    page = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  const shot = (p: Page, name: string) => p.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });

  async function signInWithPassword(p: Page) {
    await p.goto(`${pier.url}/login`);
    await p.getByTestId('login-email').fill(admin.email);
    await p.getByTestId('login-password').fill(admin.password);
    await p.getByTestId('login-submit').click();
  }

  it('makes a new user set up two-step sign-in with a QR code before the inbox, then shows recovery codes once', async () => {
    await signInWithPassword(page);
    await page.getByTestId('totp-qr').waitFor();
    expect(await page.getByTestId('totp-qr').getAttribute('src')).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(await page.textContent('body')).toContain('Protect your account with a second step');
    await page.goto(`${pier.url}/settings/mailboxes`); // no way around it
    await page.getByTestId('totp-qr').waitFor();
    await shot(page, 'accounts-01-enrol-en');
    await page.getByTestId('totp-code').fill('000000');
    await page.getByTestId('totp-submit').click();
    await page.getByTestId('enrol-confirm-error').waitFor();
    expect(await page.getByTestId('enrol-confirm-error').textContent()).toMatch(/does not match/);
    await page.reload(); // a fresh key: the helper reads it from the page
    expect(await finishSecondFactorInBrowser(page, pier.url, admin.email)).toBe('enrolled');
    await page.getByTestId('inbox-shell').waitFor();
  });

  it('shows sessions, alerts and sign-in history on My security, and signs out another session', async () => {
    // A second sign-in from abroad, with another browser: a new country and a new device.
    const headers = { [CSRF_HEADER]: 't0k3n', cookie: `${CSRF_COOKIE}=t0k3n`, 'user-agent': chromeWindows };
    const login = await pier.http.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '8.8.8.8', headers, payload: admin });
    const cookie = `${headers.cookie}; ${SESSION_COOKIE}=${login.cookies.find((c) => c.name === SESSION_COOKIE)?.value}`;
    const verified = await pier.http.inject({
      method: 'POST',
      url: '/api/auth/second-factor',
      remoteAddress: '8.8.8.8',
      headers: { ...headers, cookie },
      payload: { code: nextCode(pier.url, admin.email) },
    });
    expect(verified.statusCode).toBe(200);

    await page.getByTestId('security-link').click();
    await page.getByTestId('security-page').waitFor();
    await expect.poll(() => page.getByTestId('session-row').count()).toBe(2);
    await expect.poll(() => page.getByTestId('security-alerts').textContent()).toContain('Sign-in from a new country (United States)');
    expect(await page.getByTestId('security-logins').textContent()).toContain('United States');
    expect(await page.getByTestId('recovery-left').textContent()).toContain('10');
    await shot(page, 'accounts-02-security-en');

    await page.getByTestId('revoke-session').click();
    await expect.poll(() => page.getByTestId('session-row').count()).toBe(1);
    const stillThere = await pier.http.inject({
      method: 'GET',
      url: '/api/session',
      remoteAddress: '8.8.8.8',
      headers: { ...headers, cookie },
    });
    expect(stillThere.statusCode).toBe(401);
  });

  it('asks for password and code again before making new recovery codes when the last check is old', async () => {
    await pier.workspace.db
      .updateTable('sessions')
      .set({ reauth_at: Date.now() - 11 * 60_000 })
      .execute();
    invalidateSessionCache(); // Pier runs in this process; its guard caches sessions for 2 s
    await page.getByTestId('regenerate-recovery-codes').click();
    await page.getByTestId('step-up-dialog').waitFor();
    await shot(page, 'accounts-03-step-up-en');
    await page.getByTestId('step-up-password').fill(admin.password);
    await page.getByTestId('step-up-code').fill(nextCode(pier.url, admin.email));
    await page.getByTestId('step-up-submit').click();
    await page.getByTestId('recovery-codes').waitFor();
    const fresh = (await page.getByTestId('recovery-codes').locator('li').allTextContents()).map((c) => c.trim());
    expect(fresh).toHaveLength(10);
    // The old codes no longer work: the phone keeps the new ones.
    const phone = knownAuthenticator(pier.url, admin.email);
    rememberAuthenticator(pier.url, admin.email, phone?.secret ?? '', fresh);
    await shot(page, 'accounts-04-new-recovery-codes-en');
    await page.getByTestId('recovery-codes-done').click();
  });

  it('asks for the code at the next sign-in, in Chinese for a zh browser', async () => {
    const zh = await (await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } })).newPage();
    await signInWithPassword(zh);
    await zh.getByTestId('second-factor-form').waitFor();
    expect(await zh.textContent('body')).toContain('输入登录验证码');
    await zh.getByTestId('second-factor-code').fill('000000');
    await zh.getByTestId('second-factor-submit').click();
    await zh.getByTestId('second-factor-error').waitFor();
    await shot(zh, 'accounts-05-verify-zh');
    expect(await finishSecondFactorInBrowser(zh, pier.url, admin.email)).toBe('verified');
    await zh.getByTestId('inbox-shell').waitFor();
    await zh.goto(`${pier.url}/security`);
    await zh.getByTestId('security-page').waitFor();
    await expect.poll(() => zh.getByTestId('security-alerts').textContent()).toContain('从新的国家/地区登录');
    await expect.poll(() => zh.getByTestId('security-logins').textContent()).toContain('验证码错误');
    await shot(zh, 'accounts-06-security-zh');
  });

  it('lets an invited user choose a password from the link, in English', async () => {
    const api = pier.api();
    await api.post('/api/auth/login', admin);
    const invite = await api.post<{ link: string }>('/api/users/invitations', { email: 'li.na@acme.test', name: 'Li Na', role: 'agent' });
    const guest = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })).newPage();
    await guest.goto(invite.body.link.replace(/^https?:\/\/[^/]+/, pier.url));
    await guest.getByTestId('token-password-form').waitFor();
    await guest.getByTestId('token-password').fill('password1234');
    await guest.getByTestId('token-password-confirm').fill('password1234');
    await guest.getByTestId('token-password-submit').click();
    await guest.getByTestId('token-password-error').waitFor();
    expect(await guest.getByTestId('token-password-error').textContent()).toMatch(/common password/);
    await shot(guest, 'accounts-07-invitation-en');
    await guest.getByTestId('token-password').fill('li na chooses a sentence');
    await guest.getByTestId('token-password-confirm').fill('li na chooses a sentence');
    await guest.getByTestId('token-password-submit').click();
    expect(await finishSecondFactorInBrowser(guest, pier.url, 'li.na@acme.test')).toBe('enrolled');
    await guest.getByTestId('inbox-shell').waitFor();
  });
});
