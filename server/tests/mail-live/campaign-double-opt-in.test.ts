// Double opt-in over real Postfix + Dovecot (issue 21, decision 0059): a list imported by the CLI
// with double opt-in; the confirmation mails arrive in the recipients' Dovecot mailbox (none to a
// suppressed address); the link from the received mail opened in Chromium shows a page and changes
// nothing until the button is pressed; the click is recorded (time, IP, user agent) and audited; a
// campaign by the CLI contract then reaches only the confirmed members and says how many it left
// out; forged and expired links get a clear page that names nothing; a resend is rate-limited.
// Screenshots in test-output/screenshots/.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resendConfirmation } from '../../src/modules/campaigns/opt-in.js';
import { OPT_IN_TOKEN_TTL_MS, signOptInToken } from '../../src/modules/campaigns/opt-in-token.js';
import { launchChromium } from '../support/browser.js';
import { addMarketingMailbox, confirmLinkIn, NEWSLETTER, recipientOf, startCampaignPier } from '../support/campaigns.js';
import { engines, type TestDatabase } from '../support/databases.js';
import { findMail, mailDeliveredSoFar, waitForMail } from '../support/outbox.js';
import { runCli } from '../support/pier-process.js';
import { waitFor } from '../support/wait.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const customer = 'buyer@customer.test';

describe.each(engines)('double opt-in on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startCampaignPier>>['pier'];
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    ({ database, pier, baseUrl } = await startCampaignPier(engine, [customer, NEWSLETTER]));
    browser = await launchChromium();
    mkdirSync(screenshots, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  it('confirmation mails, the click from the received mail, a campaign only to the confirmed, forged and expired links, resend', async () => {
    const { db } = pier.workspace;
    const tag = `doi${engine}${Date.now().toString(36)}`;
    const who = {
      en: `buyer+${tag}e@customer.test`,
      zh: `buyer+${tag}z@customer.test`,
      late: `buyer+${tag}l@customer.test`,
      gone: `buyer+${tag}g@customer.test`,
    };
    await addMarketingMailbox(pier.workspace);
    pier.rescanMailboxes();
    // Unsubscribed from an earlier campaign: no confirmation mail either.
    await runCli(database, ['campaign', 'suppress', who.gone]);

    const csv = path.join(database.dataDir, `${tag}.csv`);
    writeFileSync(
      csv,
      [
        'email,name,company,country,language',
        `${who.en},Anna,Berlin LED GmbH,DE,`,
        `${who.zh},王伟,深圳照明,CN,`,
        `${who.late},Luis,Madrid Luz,ES,en`,
        `${who.gone},Gone,Gone Ltd,GB,`,
      ].join('\n'),
    );
    const imported = await runCli(database, [
      'campaign',
      'import-list',
      '--name',
      tag,
      '--file',
      csv,
      '--consent-source',
      'Website sign-up form',
      '--consent-date',
      '2026-12-01',
      '--double-opt-in',
      NEWSLETTER,
    ]);
    // The suppressed address joins the list but awaits nothing: it is never asked (decision 0072).
    expect(JSON.parse(imported.stdout)).toMatchObject({ imported: 4, refused: [], pendingConfirmation: 3 });

    // One confirmation mail each, in their language, from newsletter@ through Postfix into Dovecot; none to the suppressed address.
    const mails = await waitForMail(customer, 'INBOX', 'Acme News', 3, 30_000);
    await waitFor(
      async () =>
        (await db.selectFrom('campaign_list_members').select('opt_in_mail_state').where('address', '=', who.gone).executeTakeFirst())
          ?.opt_in_mail_state === 'suppressed' || undefined,
      'the suppressed address to be skipped',
      15_000,
    );
    await mailDeliveredSoFar(customer);
    const all = await findMail(customer, 'INBOX', 'Acme News');
    expect(all.map(recipientOf).sort()).toEqual([who.en, who.late, who.zh].sort());
    const byTo = new Map(mails.map((m) => [recipientOf(m), m]));
    const enMail = byTo.get(who.en);
    const zhMail = byTo.get(who.zh);
    const lateMail = byTo.get(who.late);
    if (!enMail || !zhMail || !lateMail) throw new Error(`mails missing: ${[...byTo.keys()].join(', ')}`);
    expect(enMail.parsed.subject).toBe('Please confirm your subscription to Acme News');
    expect(zhMail.parsed.subject).toBe('请确认订阅 Acme News 的邮件');
    expect(enMail.parsed.from?.value[0]?.address).toBe(NEWSLETTER);
    expect(enMail.parsed.replyTo?.text).toBe(NEWSLETTER);
    expect(enMail.raw.toString()).toMatch(/^Auto-Submitted: auto-generated\r?$/m);
    const enLink = confirmLinkIn(enMail.parsed.text);
    expect(enLink.startsWith(`${baseUrl}/confirm-subscription/`)).toBe(true);
    expect(enMail.parsed.html).toContain(enLink);
    expect(enLink).not.toMatch(/customer|buyer/);

    // Before anyone clicks: a campaign would reach nobody.
    const stateOf = (address: string) =>
      db
        .selectFrom('campaign_list_members')
        .select(['opt_in_state', 'confirmed_at', 'confirmed_ip', 'confirmed_user_agent', 'opt_in_mails'])
        .where('address', '=', address)
        .executeTakeFirstOrThrow();

    // The link clicked in Chromium from the mail as received: GET shows the page and records nothing.
    const mailView = await browser.newPage({ viewport: { width: 390, height: 760 } });
    try {
      await mailView.setContent(enMail.parsed.html || '');
      const [page] = await Promise.all([
        mailView.waitForEvent('popup'),
        mailView.getByRole('link', { name: 'Confirm subscription' }).click(),
      ]);
      await page.waitForSelector('#confirm');
      const html = await page.content();
      expect(html).toContain('<html lang="en">');
      expect(html).toContain('b***@customer.test');
      expect(html).not.toContain(who.en);
      expect(html).not.toContain(tag);
      await page.screenshot({ path: path.join(screenshots, `campaign-opt-in-confirm-en-${engine}.png`) });
      expect((await stateOf(who.en)).opt_in_state).toBe('pending');
      await page.click('#confirm');
      await page.waitForSelector('#confirmed');
      await page.screenshot({ path: path.join(screenshots, `campaign-opt-in-done-en-${engine}.png`) });
    } finally {
      await mailView.context().close();
    }
    const confirmed = await stateOf(who.en);
    expect(confirmed.opt_in_state).toBe('confirmed');
    expect(Number(confirmed.confirmed_at)).toBeGreaterThan(0);
    expect(confirmed.confirmed_ip).toBe('127.0.0.1');
    expect(confirmed.confirmed_user_agent).toMatch(/Chrome/);
    const audit = await db.selectFrom('audit_log').select(['details', 'ip']).where('action', '=', 'campaign.opt_in_confirmed').execute();
    expect(audit).toHaveLength(1);
    expect(String(audit[0]?.details)).toContain(who.en);
    expect(audit[0]?.ip).toBe('127.0.0.1');

    // The Chinese member: the page in the mail's language whatever the browser says, confirmed by the button's POST.
    const zhLink = confirmLinkIn(zhMail.parsed.text);
    const zhPage = await fetch(zhLink, { headers: { 'accept-language': 'en-US' } });
    const zhHtml = await zhPage.text();
    expect(zhPage.status).toBe(200);
    expect(zhHtml).toContain('<html lang="zh-CN">');
    expect(zhHtml).toContain('是否同意 <strong>Acme News</strong> 向 <strong>b***@customer.test</strong> 发送邮件？');
    const zhBrowser = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    try {
      await zhBrowser.goto(zhLink);
      await zhBrowser.screenshot({ path: path.join(screenshots, `campaign-opt-in-confirm-zh-${engine}.png`) });
      await zhBrowser.click('#confirm');
      await zhBrowser.waitForSelector('#confirmed');
      expect(await zhBrowser.textContent('#confirmed')).toContain('将收到');
      await zhBrowser.screenshot({ path: path.join(screenshots, `campaign-opt-in-done-zh-${engine}.png`) });
    } finally {
      await zhBrowser.context().close();
    }
    expect((await stateOf(who.zh)).opt_in_state).toBe('confirmed');
    // A second click changes nothing and audits nothing more.
    expect((await fetch(zhLink, { method: 'POST' })).status).toBe(200);
    expect(await db.selectFrom('audit_log').select('id').where('action', '=', 'campaign.opt_in_confirmed').execute()).toHaveLength(2);

    // Forged tokens: one 404 page that names nothing, in either language.
    const [id, expiry, mac] = enLink.split('/').pop()?.split('.') ?? [];
    for (const forged of [
      `${baseUrl}/confirm-subscription/AAAA.BBBB.CCCC`,
      `${baseUrl}/confirm-subscription/${id}.${(Number.parseInt(expiry ?? '0', 36) + OPT_IN_TOKEN_TTL_MS).toString(36)}.${mac}`,
      `${baseUrl}/confirm-subscription/${id}.${expiry}.${mac?.slice(0, -3)}AAA`,
    ]) {
      for (const method of ['GET', 'POST']) {
        const answer = await fetch(forged, { method });
        expect(answer.status).toBe(404);
        const body = await answer.text();
        expect(body).toContain('Link not valid');
        expect(body).not.toMatch(/customer\.test|newsletter|Acme|b\*\*\*/);
      }
    }

    // A campaign by the CLI contract: only the two confirmed; the two still pending left out, the one awaiting confirmation
    // said so (the other is suppressed: it awaits nothing, decision 0072).
    const html = path.join(database.dataDir, `${tag}.html`);
    const text = path.join(database.dataDir, `${tag}.txt`);
    writeFileSync(html, '<p>Dear {{name}},</p><p>our new LED panels.</p>');
    writeFileSync(text, 'Dear {{name}},\nour new LED panels.\n');
    const sent = await runCli(database, [
      'campaign',
      'send',
      '--mailbox',
      NEWSLETTER,
      '--list',
      tag,
      '--subject',
      `${tag} news`,
      '--html-file',
      html,
      '--text-file',
      text,
    ]);
    const queued = JSON.parse(sent.stdout) as { campaign: string; recipients: number };
    expect(Object.keys(queued)).toEqual(['campaign', 'recipients']);
    expect(queued.recipients).toBe(2);
    expect(sent.stderr).toContain(`1 member(s) of ${tag} not sent: double opt-in not confirmed yet`);
    const campaignMails = await waitForMail(customer, 'INBOX', `${tag} news`, 2, 30_000);
    await waitFor(
      async () =>
        (await db.selectFrom('campaigns').select('state').where('id', '=', queued.campaign).executeTakeFirst())?.state === 'done' ||
        undefined,
      'the campaign to be done',
      30_000,
    );
    await mailDeliveredSoFar(customer);
    expect((await findMail(customer, 'INBOX', `${tag} news`)).map(recipientOf).sort()).toEqual([who.en, who.zh].sort());
    expect(campaignMails.map(recipientOf)).not.toContain(who.late);

    // Resend: refused within the hour; after it, one more mail (and one only) to the pending member.
    await expect(
      resendConfirmation(db, {
        listId: (await listIdOf(tag)) ?? '',
        address: who.late,
        actor: { actorId: null, via: 'cli' },
        now: pier.clock.now(),
      }),
    ).rejects.toMatchObject({ code: 'campaign.opt_in_too_soon' });
    pier.clock.advance(3_600_000 + 1000);
    const resent = await resendConfirmation(db, {
      listId: (await listIdOf(tag)) ?? '',
      actor: { actorId: null, via: 'cli' },
      now: pier.clock.now(),
    });
    expect(resent).toEqual({ queued: 1, skipped: 1 }); // the suppressed one is never mailed
    await waitFor(async () => (await stateOf(who.late)).opt_in_mails === 2 || undefined, 'the second confirmation mail', 30_000);
    const lateMails = (await waitForMail(customer, 'INBOX', 'Acme News', 4, 30_000)).filter((m) => recipientOf(m) === who.late);
    expect(lateMails).toHaveLength(2);

    // Eight days on, the first mail's link has expired: a clear page, nothing confirmed, nothing named.
    pier.clock.advance(8 * 86_400_000);
    const firstLink = confirmLinkIn(lateMail.parsed.text);
    for (const method of ['GET', 'POST']) {
      const expired = await fetch(firstLink, { method });
      expect(expired.status).toBe(410);
      const body = await expired.text();
      expect(body).toContain('Link expired');
      expect(body).not.toMatch(/customer\.test|b\*\*\*/);
    }
    expect((await stateOf(who.late)).opt_in_state).toBe('pending');
    // A token signed with the right key for a past time is refused the same way (the expiry is signed, not trusted).
    const optInId = (
      await db.selectFrom('campaign_list_members').select('opt_in_id').where('address', '=', who.late).executeTakeFirstOrThrow()
    ).opt_in_id as string;
    const past = signOptInToken(pier.workspace.unsubscribeKey, optInId, pier.clock.now() - 1);
    expect((await fetch(`${baseUrl}/confirm-subscription/${past}`, { method: 'POST' })).status).toBe(410);
    expect((await stateOf(who.late)).opt_in_state).toBe('pending');
  }, 240_000);

  async function listIdOf(name: string) {
    return (await pier.workspace.db.selectFrom('campaign_lists').select('id').where('name', '=', name).executeTakeFirst())?.id;
  }
});
