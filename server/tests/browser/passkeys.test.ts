import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type Browser, type BrowserContext, type CDPSession, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/modules/audit/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { chromiumArgs } from '../support/chromium.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { testEnv } from '../support/env.js';
import { startTestPier } from '../support/pier.js';
import { ageStepUp } from '../support/step-up.js';
import { TEST_PASSWORD } from '../support/users.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const user = { email: 'zhao.min@acme.test', name: '赵敏', password: TEST_PASSWORD };

/**
 * Passkeys as the second factor, with the real WebAuthn ceremony: Chromium's virtual
 * authenticator (CDP WebAuthn domain) makes and signs the credentials, the server verifies
 * them with @simplewebauthn/server. Nothing is mocked. WebAuthn needs a secure context and
 * a domain as RP ID, so the browser opens Pier at http://localhost:PORT (loopback).
 */
describe('passkeys in Chromium with a virtual authenticator', () => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let cdp: CDPSession;
  let base: string;
  let userId: string;

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    database = await createTestDatabase('sqlite');
    pier = await startTestPier(database);
    base = pier.url.replace('127.0.0.1', 'localhost');
    userId = (await createAccount(pier.workspace.db, { ...user, role: 'admin' })).id;
    browser = await chromium.launch({ executablePath: testEnv('PIER_TEST_CHROMIUM'), args: chromiumArgs });
    context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
  });
  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  const shot = (p: Page, name: string) => p.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
  const addAuthenticator = async () =>
    (
      await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: {
          protocol: 'ctap2',
          transport: 'usb',
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
          automaticPresenceSimulation: true,
        },
      })
    ).authenticatorId;
  const records = async (action: string) =>
    pier.workspace.db.selectFrom('audit_log').selectAll().where('action', '=', action).where('target_id', '=', userId).execute();

  async function signInWithPassword() {
    await page.goto(`${base}/login`);
    await page.getByTestId('login-email').fill(user.email);
    await page.getByTestId('login-password').fill(user.password);
    await page.getByTestId('login-submit').click();
  }

  let first: string;

  it('enrols a passkey instead of an authenticator app at the first sign-in, with recovery codes', async () => {
    first = await addAuthenticator();
    await signInWithPassword();
    await page.getByTestId('passkey-enrol').waitFor();
    await shot(page, 'passkeys-01-enrol-en');
    await page.getByTestId('passkey-enrol').click();
    await page.getByTestId('recovery-codes').waitFor();
    expect(await page.getByTestId('recovery-codes').locator('li').count()).toBe(10);
    await page.getByTestId('recovery-codes-done').click();
    await page.getByTestId('inbox-shell').waitFor();

    const stored = await pier.workspace.db.selectFrom('passkeys').selectAll().where('user_id', '=', userId).execute();
    expect(stored).toHaveLength(1);
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId: first });
    expect(credentials.map((c) => c.credentialId.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'))).toEqual([
      stored[0]?.credential_id,
    ]);
    const enrolled = await records('user.two_factor_enrolled');
    expect(enrolled.map((r) => [r.actor_id, JSON.parse(r.details).method])).toEqual([[userId, 'passkey']]);
  });

  it('signs in with the passkey as the second factor; a session owing it can read nothing before', async () => {
    await page.getByTestId('logout-button').click();
    await page.getByTestId('login-form').waitFor();
    await signInWithPassword();
    await page.getByTestId('passkey-verify').waitFor();
    const owing = await page.evaluate(async () => (await fetch('/api/conversations')).status);
    expect(owing).toBe(403);
    await shot(page, 'passkeys-02-verify-en');
    await page.getByTestId('passkey-verify').click();
    await page.getByTestId('inbox-shell').waitFor();
    const lastLogin = await pier.workspace.db
      .selectFrom('login_records')
      .select('result')
      .where('user_id', '=', userId)
      .orderBy('at', 'desc')
      .executeTakeFirstOrThrow();
    expect(lastLogin.result).toBe('success');
    const used = await pier.workspace.db.selectFrom('passkeys').select(['last_used_at', 'counter']).executeTakeFirstOrThrow();
    expect(used.last_used_at).not.toBeNull();
  });

  it('lists, renames and adds passkeys on My security, and removes one after a step-up answered by a passkey', async () => {
    await page.getByTestId('security-link').click();
    await page.getByTestId('passkey-row').first().waitFor();
    await page.getByTestId('passkey-rename').click();
    await page.getByTestId('passkey-name-input').fill('YubiKey 5C');
    await page.getByTestId('passkey-rename-save').click();
    await page.getByTestId('passkey-name').getByText('YubiKey 5C').waitFor();

    // A second key in another authenticator (the first one would be excluded as already registered).
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: first });
    const second = await addAuthenticator();
    await page.getByTestId('passkey-add').click(); // the sign-in a minute ago is a fresh step-up
    await expect.poll(() => page.getByTestId('passkey-row').count()).toBe(2);
    expect((await records('user.passkey_added')).length).toBe(1);
    expect(await page.getByTestId('two-factor-methods').textContent()).toContain('2 passkeys');
    await shot(page, 'passkeys-03-security-en');

    // Eleven minutes later the step-up is stale: removing asks for password + passkey again.
    await ageStepUp(pier.workspace.db, userId);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByTestId('passkey-remove').nth(1).click();
    await page.getByTestId('step-up-dialog').waitFor();
    await page.getByTestId('step-up-password').fill(user.password);
    await shot(page, 'passkeys-04-step-up-en');
    await page.getByTestId('step-up-passkey').click();
    await page.getByTestId('step-up-dialog').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('passkey-row').count()).toBe(1);
    expect(await page.getByTestId('passkey-name').textContent()).toBe('YubiKey 5C');
    const removed = await records('user.passkey_removed');
    expect(removed.map((r) => [r.actor_id, JSON.parse(r.details).name])).toEqual([[userId, 'Passkey']]);

    // The remaining key is in the authenticator that was removed: signing in with the new one fails cleanly.
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: second });
    expect((await verifyAuditChain(pier.workspace.db)).ok).toBe(true);
  });

  it('shows the passkey step in Chinese for a zh browser', async () => {
    const zh = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const zhPage = await zh.newPage();
    await zhPage.goto(`${base}/login`);
    await zhPage.getByTestId('login-email').fill(user.email);
    await zhPage.getByTestId('login-password').fill(user.password);
    await zhPage.getByTestId('login-submit').click();
    await zhPage.getByTestId('passkey-verify').waitFor();
    expect(await zhPage.getByTestId('passkey-verify').textContent()).toBe('使用通行密钥');
    await shot(zhPage, 'passkeys-05-verify-zh');
    await zh.close();
  });
});
