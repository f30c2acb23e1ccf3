import { SESSION_COOKIE } from '@pier/contracts';
import type { BrowserContext, Page } from 'playwright-core';
import { createApiClient } from './http-client.js';
import { nextCode, rememberAuthenticator } from './two-factor.js';

/**
 * Signs `user` in for a test about what comes after sign-in, and opens `url` (the app's start page
 * by default) on the inbox. The password and second factor go through the API, as the web app sends
 * them (http-client.ts enrols or answers the authenticator like a user with a phone), and the
 * session cookies are handed to the page's browser context: ~1 s and a few page loads less per
 * sign-in than typing on the login page. The login page, enrolment and the code step in the browser
 * are the subject of first-run, accounts-security and passkeys, and are walked through in audit-log,
 * reading-bidi and rules (finishSecondFactorInBrowser).
 */
export async function signInInBrowser(page: Page, baseUrl: string, user: { email: string; password: string }, url = baseUrl) {
  await addSessionCookies(page.context(), baseUrl, user);
  await page.goto(url);
  await page.getByTestId('inbox-shell').waitFor();
}

/** Signs in through the API and gives the browser context the session and CSRF cookies. */
export async function addSessionCookies(context: BrowserContext, baseUrl: string, user: { email: string; password: string }) {
  const api = createApiClient(baseUrl);
  const signedIn = await api.post<{ secondFactor?: string }>('/api/auth/login', { email: user.email, password: user.password });
  if (signedIn.status !== 200 || !api.cookies.has(SESSION_COOKIE)) {
    throw new Error(`sign-in of ${user.email} through the API failed: ${signedIn.status} ${JSON.stringify(signedIn.body)}`);
  }
  await context.addCookies(
    [...api.cookies].map(([name, value]) => ({
      name,
      value,
      url: baseUrl,
      httpOnly: name === SESSION_COOKIE,
      sameSite: 'Strict' as const,
    })),
  );
}

/**
 * After the password step in the browser, does what a user with a phone does:
 * enrols an authenticator (reading the key shown under the QR code) when the
 * workspace asks for one, or types the current code. Codes come from the same
 * authenticator store as the API client's, so both can sign the same user in.
 */
export async function finishSecondFactorInBrowser(page: Page, baseUrl: string, email: string): Promise<'enrolled' | 'verified'> {
  const enrol = page.getByTestId('totp-secret');
  const verify = page.getByTestId('second-factor-form');
  await enrol.or(verify).first().waitFor();
  if (await verify.isVisible()) {
    await page.getByTestId('second-factor-code').fill(nextCode(baseUrl, email));
    await page.getByTestId('second-factor-submit').click();
    await verify.waitFor({ state: 'detached' });
    return 'verified';
  }
  const secret = ((await enrol.textContent()) ?? '').replace(/\s+/g, '');
  rememberAuthenticator(baseUrl, email, secret);
  await page.getByTestId('totp-code').fill(nextCode(baseUrl, email));
  await page.getByTestId('totp-submit').click();
  await page.getByTestId('recovery-codes').waitFor();
  const codes = await page.getByTestId('recovery-codes').locator('li').allTextContents();
  if (codes.length !== 10) throw new Error(`expected 10 recovery codes on the page, found ${codes.length}`);
  rememberAuthenticator(
    baseUrl,
    email,
    secret,
    codes.map((c) => c.trim()),
  );
  await page.getByTestId('recovery-codes-done').click();
  await page.getByTestId('recovery-codes-panel').waitFor({ state: 'detached' });
  return 'enrolled';
}
