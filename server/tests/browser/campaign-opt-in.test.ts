// Settings → Campaigns → Double opt-in as an admin sees it (decision 0059), in English at 1440 px and
// in Chinese at 390 px: a list imported with double opt-in whose confirmation mails went out over the
// bench's Postfix, one member confirmed by the real link's POST, one awaiting, one suppressed; the
// member states and the proof of consent on the page; double opt-in turned on for another list by the
// page's toggle. Screenshots in test-output/screenshots/ (look at them).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importListCsv, suppressAddress } from '../../src/modules/campaigns/index.js';
import { OPT_IN_TOKEN_TTL_MS, signOptInToken } from '../../src/modules/campaigns/opt-in-token.js';
import { launchChromium, signInInBrowser } from '../support/browser.js';
import { addMarketingMailbox, NEWSLETTER, startCampaignPier } from '../support/campaigns.js';
import type { TestDatabase } from '../support/databases.js';
import { waitFor } from '../support/wait.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const boss = { email: 'boss@acme.test', name: 'Boss', password: 'correct horse battery staple' };

describe('double opt-in on the campaigns page', () => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startCampaignPier>>['pier'];
  let browser: Browser;
  const tag = `oi${Date.now().toString(36)}`;
  const who = { yes: `buyer+${tag}y@customer.test`, wait: `buyer+${tag}w@customer.test`, gone: `buyer+${tag}g@customer.test` };

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    ({ database, pier } = await startCampaignPier('sqlite', [NEWSLETTER]));
    expect((await pier.api().post('/api/setup', boss)).status).toBe(201);
    const { db } = pier.workspace;
    const mailbox = await addMarketingMailbox(pier.workspace);
    await suppressAddress(db, { address: who.gone, reason: 'unsubscribed', campaignId: null, detail: null, now: pier.clock.now() });
    const csv = [
      'email,name,company,country',
      `${who.yes},Anna,Berlin LED,DE`,
      `${who.wait},王伟,深圳照明,CN`,
      `${who.gone},Gone,Gone Ltd,GB`,
    ].join('\n');
    const common = { consentSource: 'Website form', consentDate: '2026-12-01', actorId: null, now: pier.clock.now() };
    await importListCsv(db, { name: 'Website sign-ups', csv, doubleOptInMailboxId: mailbox.id, ...common });
    await importListCsv(db, { name: 'Canton Fair 2026', csv: `email\nfair+${tag}@customer.test`, ...common });
    await waitFor(
      async () => {
        const rows = await db
          .selectFrom('campaign_list_members')
          .select('opt_in_mail_state')
          .where('opt_in_state', '=', 'pending')
          .execute();
        return rows.length === 3 && rows.every((r) => r.opt_in_mail_state === 'sent' || r.opt_in_mail_state === 'suppressed')
          ? true
          : undefined;
      },
      'the confirmation mails to go out',
      30_000,
    );
    const member = await db
      .selectFrom('campaign_list_members')
      .select(['opt_in_id', 'opt_in_sent_at'])
      .where('address', '=', who.yes)
      .executeTakeFirstOrThrow();
    const token = signOptInToken(
      pier.workspace.unsubscribeKey,
      member.opt_in_id ?? '',
      Number(member.opt_in_sent_at) + OPT_IN_TOKEN_TTL_MS,
    );
    const confirmed = await fetch(`${pier.url}/confirm-subscription/${token}`, {
      method: 'POST',
      headers: { 'user-agent': 'Mozilla/5.0 test' },
    });
    expect(confirmed.status).toBe(200);
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  for (const view of [
    { locale: 'en' as const, width: 1440, confirmed: 'Confirmed', pending: 'Awaiting confirmation', suppressed: 'Suppressed: not mailed' },
    { locale: 'zh-CN' as const, width: 390, confirmed: '已确认', pending: '待确认', suppressed: '已屏蔽：未发邮件' },
  ]) {
    it(`shows each member's state and proof, and turns double opt-in on for a list (${view.locale}, ${view.width} px)`, async () => {
      const page = await signInInBrowser(browser, pier.url, boss, { locale: view.locale, viewport: { width: view.width, height: 900 } });
      try {
        await page.goto(`${pier.url}/settings/campaigns`);
        const section = page.getByTestId('campaign-opt-in');
        await section.waitFor();
        await section.locator('#opt-in-list').selectOption({ label: 'Website sign-ups' });
        const members = page.getByTestId('opt-in-members');
        await members.waitFor();
        const yes = members.locator('tr', { hasText: who.yes });
        expect(await yes.textContent()).toContain(view.confirmed);
        expect(await yes.textContent()).toContain('127.0.0.1');
        const wait = members.locator('tr', { hasText: who.wait });
        expect(await wait.textContent()).toContain(view.pending);
        // Sent minutes ago: no resend yet (an hour apart).
        expect(await wait.getByTestId('member-resend').isDisabled()).toBe(true);
        expect(await members.locator('tr', { hasText: who.gone }).textContent()).toContain(view.suppressed);
        expect(await page.getByTestId('opt-in-enabled').isChecked()).toBe(true);
        await section.screenshot({ path: path.join(screenshots, `campaign-opt-in-${view.locale}-${view.width}.png`) });
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        if (view.locale === 'en') {
          // The page's toggle: the fair list asks new members from now on.
          await section.locator('#opt-in-list').selectOption({ label: 'Canton Fair 2026' });
          await page.getByTestId('opt-in-enabled').check();
          await section.locator('#opt-in-mailbox').selectOption({ label: `Acme News <${NEWSLETTER}>` });
          // The first Save: the double opt-in form's (the sign-up form's own follows, decision 0071).
          await section.getByRole('button', { name: 'Save' }).first().click();
          await waitFor(
            async () =>
              (
                await pier.workspace.db
                  .selectFrom('campaign_lists')
                  .select('double_opt_in')
                  .where('name', '=', 'Canton Fair 2026')
                  .executeTakeFirst()
              )?.double_opt_in === 1 || undefined,
            'the setting to be saved',
            10_000,
          );
          // The member already there stays as it was (not asked).
          expect(await page.getByTestId('opt-in-members').textContent()).toContain('Not asked');
        }
      } finally {
        await page.context().close();
      }
    });
  }
});
