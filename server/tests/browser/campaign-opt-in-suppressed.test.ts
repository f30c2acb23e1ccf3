// The double opt-in link of an address suppressed after its confirmation mail went out (issue 21,
// decision 0059), opened in Chromium: the page says plainly that no mails will be sent, in the mail's
// language (English, Chinese), has no button, names no sender, address or reason, and fits 1440 and
// 390 px. Screenshots in test-output/screenshots/ (look at them).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importListCsv, suppressAddress } from '../../src/modules/campaigns/index.js';
import { OPT_IN_TOKEN_TTL_MS, signOptInToken } from '../../src/modules/campaigns/opt-in-token.js';
import { launchChromium } from '../support/browser.js';
import { addMarketingMailbox, NEWSLETTER, startCampaignPier } from '../support/campaigns.js';
import type { TestDatabase } from '../support/databases.js';
import { waitFor } from '../support/wait.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');

describe('the confirmation page of a suppressed address', () => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startCampaignPier>>['pier'];
  let browser: Browser;
  const tag = `ois${Date.now().toString(36)}`;
  const who = { en: `buyer+${tag}e@customer.test`, zh: `buyer+${tag}z@customer.test` };
  const link = { en: '', zh: '' };

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    ({ database, pier } = await startCampaignPier('sqlite', [NEWSLETTER]));
    const { db } = pier.workspace;
    const mailbox = await addMarketingMailbox(pier.workspace);
    const csv = ['email,name,country', `${who.en},Anna,DE`, `${who.zh},王伟,CN`].join('\n');
    await importListCsv(db, {
      name: 'Website sign-ups',
      csv,
      consentSource: 'Website form',
      consentDate: '2026-12-01',
      doubleOptInMailboxId: mailbox.id,
      actorId: null,
      now: pier.clock.now(),
    });
    const members = () =>
      db.selectFrom('campaign_list_members').select(['address', 'opt_in_id', 'opt_in_sent_at', 'opt_in_mail_state']).execute();
    await waitFor(
      async () => (await members()).every((m) => m.opt_in_mail_state === 'sent') || undefined,
      'the confirmation mails to go out',
      30_000,
    );
    // The links as the mails carry them; then one address unsubscribes, the other hard-bounces.
    for (const m of await members()) {
      const token = signOptInToken(pier.workspace.unsubscribeKey, m.opt_in_id ?? '', Number(m.opt_in_sent_at) + OPT_IN_TOKEN_TTL_MS);
      link[m.address === who.en ? 'en' : 'zh'] = `${pier.url}/confirm-subscription/${token}`;
    }
    const now = pier.clock.now();
    await suppressAddress(db, { address: who.en, reason: 'unsubscribed', campaignId: null, detail: null, now });
    await suppressAddress(db, { address: who.zh, reason: 'hard_bounce', campaignId: null, detail: '550 5.1.1', now });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  for (const view of [
    { lang: 'en' as const, width: 1440, title: 'No mails will be sent' },
    { lang: 'en' as const, width: 390, title: 'No mails will be sent' },
    { lang: 'zh' as const, width: 1440, title: '不会发送邮件' },
    { lang: 'zh' as const, width: 390, title: '不会发送邮件' },
  ]) {
    it(`says no mails will be sent and confirms nothing (${view.lang}, ${view.width} px)`, async () => {
      const context = await browser.newContext({
        viewport: { width: view.width, height: 760 },
        locale: view.lang === 'zh' ? 'zh-CN' : 'en',
      });
      try {
        const page = await context.newPage();
        const answer = await page.goto(link[view.lang]);
        expect(answer?.status()).toBe(200);
        expect(await page.textContent('h1')).toBe(view.title);
        expect(await page.locator('html').getAttribute('lang')).toBe(view.lang === 'zh' ? 'zh-CN' : 'en');
        expect(await page.locator('button, form').count()).toBe(0);
        const text = (await page.textContent('body')) ?? '';
        expect(text).not.toMatch(/customer\.test|b\*\*\*|Acme|newsletter|unsubscribed|bounce|退订|退信/i);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        await page.screenshot({ path: path.join(screenshots, `campaign-opt-in-suppressed-${view.lang}-${view.width}.png`) });
      } finally {
        await context.close();
      }
      // Opening it changed nothing, nor would the old form's POST.
      expect((await fetch(link[view.lang], { method: 'POST' })).status).toBe(200);
      const member = await pier.workspace.db
        .selectFrom('campaign_list_members')
        .select('opt_in_state')
        .where('address', '=', who[view.lang])
        .executeTakeFirstOrThrow();
      expect(member.opt_in_state).toBe('pending');
    });
  }
});
