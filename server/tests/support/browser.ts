import { type Browser, chromium, type Page } from 'playwright-core';
import { signInInBrowser as signInPage } from './browser-sign-in.js';
import { chromiumArgs } from './chromium.js';
import { testEnv } from './env.js';

/** Debian's Chromium from the test bench, headless and off the network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: testEnv('PIER_TEST_CHROMIUM'), args: chromiumArgs });
}

export type BrowserUser = { email: string; password: string };

/**
 * A new browser context signed in as `user` (through the API, see browser-sign-in.ts), on the inbox.
 * `locale` picks the app language before the first page load.
 */
export async function signInInBrowser(
  browser: Browser,
  baseUrl: string,
  user: BrowserUser,
  options: { locale?: 'en' | 'zh-CN'; viewport?: { width: number; height: number }; timezoneId?: string } = {},
): Promise<Page> {
  const locale = options.locale ?? 'en';
  const context = await browser.newContext({
    locale: locale === 'en' ? 'en-US' : 'zh-CN',
    viewport: options.viewport ?? { width: 1440, height: 900 },
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
  });
  const page = await context.newPage();
  await page.addInitScript((l) => {
    // Init scripts also run in the mail frames.
    if (window.top === window) localStorage.setItem('pier.locale', l);
  }, locale);
  page.on('pageerror', (error) => console.error(`pageerror (${user.email})`, error.stack));
  await signInPage(page, baseUrl, user);
  return page;
}
