// What comes back from a campaign, over real Postfix + Dovecot: the unsubscribe link clicked in
// Chromium from the received mail (GET shows a page and changes nothing, the button unsubscribes),
// an RFC 8058 one-click POST, a real Postfix DSN for an address it cannot deliver to (hard bounce),
// a reply (counted, linked to its conversation in newsletter@'s queue), an ARF complaint; then a new
// campaign to the same list mails none of them. Screenshots in test-output/screenshots/.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ConversationDetail } from '@pier/contracts';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignCounts, importListCsv, queueCampaign } from '../../src/modules/campaigns/index.js';
import { createMailbox, grantMailboxAccess } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { launchChromium } from '../support/browser.js';
import { addMarketingMailbox, NEWSLETTER, recipientOf, startCampaignPier } from '../support/campaigns.js';
import { engines, type TestDatabase } from '../support/databases.js';
import { deliver } from '../support/mail-server.js';
import { waitForMail } from '../support/outbox.js';
import { waitFor } from '../support/wait.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const customer = 'buyer@customer.test';

describe.each(engines)('campaign feedback on %s', (engine) => {
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

  it('unsubscribe in Chromium and by one-click POST, a Postfix DSN, a reply and a complaint: all counted, none mailed again', async () => {
    const { db } = pier.workspace;
    const tag = `fb${engine}${Date.now().toString(36)}`;
    const who = {
      clicker: `buyer+${tag}u@customer.test`,
      oneClick: `buyer+${tag}o@customer.test`,
      replier: `buyer+${tag}r@customer.test`,
      gone: `gone+${tag}@customer.test`,
      refused: `nobody-${tag}@nowhere.test`,
    };
    const mailbox = await addMarketingMailbox(pier.workspace);
    pier.rescanMailboxes();
    const now = pier.clock.now();
    const csv = ['email,name,company', ...Object.values(who).map((a, i) => `${a},Buyer ${i},Customer GmbH`)].join('\n');
    const imported = await importListCsv(db, {
      name: tag,
      csv,
      consentSource: 'Canton Fair 2026',
      consentDate: '2026-10-15',
      actorId: null,
      now,
    });
    expect(imported).toMatchObject({ imported: 5, refused: [] });
    const html =
      '<p>Dear {{name}},</p><p>news from {{company}}: <a href="https://shop.example/led?a=1&b=2">catalogue</a>.</p><p><a href="{{unsubscribe_url}}">Unsubscribe</a></p>';
    const queued = await queueCampaign(db, {
      mailbox,
      list: { name: tag },
      subject: `${tag} news`,
      html,
      text: 'Dear {{name}},\nnews: https://shop.example/led?a=1&b=2\n',
      trackClicks: true,
      actorId: null,
      now,
    });
    expect(queued.recipients).toBe(5);
    const mails = await waitForMail(customer, 'INBOX', tag, 3, 30_000);
    const byTo = new Map(mails.map((m) => [recipientOf(m), m]));
    const clickerMail = byTo.get(who.clicker);
    const replierMail = byTo.get(who.replier);
    const oneClickMail = byTo.get(who.oneClick);
    if (!clickerMail || !replierMail || !oneClickMail) throw new Error(`mails missing: ${[...byTo.keys()].join(', ')}`);

    // Headers of RFC 2369 / 8058, and the merge fields filled.
    const unfolded = clickerMail.raw.toString().replace(/\r?\n[ \t]+/g, ' ');
    expect(unfolded).toMatch(
      /^List-Unsubscribe: <http:\/\/127\.0\.0\.1:\d+\/unsubscribe\/[\w-]+\.[\w-]+>, <mailto:newsletter@acme\.test\?subject=unsubscribe%20[\w.-]+>/m,
    );
    expect(unfolded).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    expect(clickerMail.parsed.html).toContain('Dear Buyer 0,');
    expect(clickerMail.parsed.text).toContain('Dear Buyer 0,');
    expect(clickerMail.parsed.replyTo?.text).toBe(NEWSLETTER);

    // Click tracking (asked for here; off by default): the catalogue link goes through Pier's signed
    // redirect, twice clicked by one recipient = one who clicked; the text keeps the link as written.
    const tracked = /href="([^"]+)"[^>]*>catalogue</.exec(clickerMail.parsed.html || '')?.[1] ?? '';
    expect(tracked.startsWith(`${baseUrl}/c?t=`)).toBe(true);
    expect(clickerMail.parsed.text).toContain('https://shop.example/led?a=1&b=2');
    for (let i = 0; i < 2; i++) {
      const hop = await fetch(tracked, { redirect: 'manual' });
      expect(hop.status).toBe(302);
      expect(hop.headers.get('location')).toBe('https://shop.example/led?a=1&b=2');
    }
    const forgedClick = await fetch(`${tracked.slice(0, -4)}AAAA`, { redirect: 'manual' });
    expect(forgedClick.status).toBe(404);
    expect((await campaignCounts(db, queued.campaign)).clicked).toBe(1);

    // What the public endpoint tells: nothing for a forged token, the masked address for a real one.
    const forged = await fetch(`${baseUrl}/unsubscribe/AAAA.BBBB`);
    expect(forged.status).toBe(404);
    const forgedBody = await forged.text();
    expect(forgedBody).not.toMatch(/@customer\.test|nowhere|newsletter/);

    // The link clicked in Chromium from the mail as received.
    const mailView = await browser.newPage({ viewport: { width: 390, height: 700 } });
    try {
      await mailView.setContent(clickerMail.parsed.html || '');
      // Links in mail open a new tab (target=_blank from the outgoing wall), as in a webmail.
      const [page] = await Promise.all([mailView.waitForEvent('popup'), mailView.getByRole('link', { name: 'Unsubscribe' }).click()]);
      await page.waitForSelector('#unsubscribe');
      const confirm = await page.content();
      expect(confirm).toContain('b***@customer.test');
      expect(confirm).not.toContain(who.clicker);
      await page.screenshot({ path: path.join(screenshots, `campaign-unsubscribe-confirm-${engine}.png`) });
      // Opening the page changed nothing (link scanners open every link).
      expect(
        await db.selectFrom('campaign_suppressions').selectAll().where('address', '=', who.clicker).executeTakeFirst(),
      ).toBeUndefined();
      await page.click('#unsubscribe');
      await page.waitForSelector('#done');
      await page.screenshot({ path: path.join(screenshots, `campaign-unsubscribe-done-${engine}.png`) });
    } finally {
      await mailView.context().close();
    }
    expect(await db.selectFrom('campaign_suppressions').select('reason').where('address', '=', who.clicker).executeTakeFirst()).toEqual({
      reason: 'unsubscribed',
    });
    const audit = await db.selectFrom('audit_log').select(['action', 'details']).where('action', '=', 'campaign.unsubscribed').execute();
    expect(audit).toHaveLength(1);
    expect(String(audit[0]?.details)).toContain(who.clicker);

    // RFC 8058 one-click: a provider's POST, no cookie, no CSRF token.
    const oneClickUrl =
      /<(http[^>]+)>/.exec(
        String(
          oneClickMail.raw
            .toString()
            .replace(/\r?\n[ \t]+/g, ' ')
            .match(/^List-Unsubscribe: .*$/m)?.[0],
        ),
      )?.[1] ?? '';
    // The page in the reader's language (Accept-Language), styled by its own stylesheet (the CSP allows no inline style).
    const zhPage = await fetch(oneClickUrl, { headers: { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' } });
    const zhHtml = await zhPage.text();
    expect(zhHtml).toContain('<html lang="zh-CN">');
    expect(zhHtml).toContain('停止 <strong>Acme News</strong> 向 <strong>b***@customer.test</strong> 发送邮件？');
    expect(zhHtml).not.toContain(who.oneClick);
    expect(zhPage.headers.get('vary')).toMatch(/accept-language/i);
    const enHtml = await (await fetch(oneClickUrl, { headers: { 'accept-language': 'de-DE,en;q=0.5' } })).text();
    expect(enHtml).toContain('<html lang="en">');
    expect(enHtml).toContain('Stop the mails from <strong>Acme News</strong>');
    const css = await fetch(`${baseUrl}/unsubscribe.css`);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    expect(await css.text()).toContain('.card');
    const posted = await fetch(oneClickUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(posted.status).toBe(200);
    expect(await db.selectFrom('campaign_suppressions').select('reason').where('address', '=', who.oneClick).executeTakeFirst()).toEqual({
      reason: 'unsubscribed',
    });

    // Postfix took gone+…@customer.test, Dovecot has no such user: Postfix's DSN comes back to newsletter@, Pier syncs it and suppresses the address.
    const bounced = await waitFor(
      async () => db.selectFrom('campaign_suppressions').selectAll().where('address', '=', who.gone).executeTakeFirst(),
      'the DSN to suppress the address',
      60_000,
    );
    expect(bounced).toMatchObject({ reason: 'hard_bounce', campaign_id: queued.campaign });
    expect(bounced?.detail).toMatch(/^5\.1\.1/);
    const dsn = await db
      .selectFrom('campaign_events')
      .select(['kind', 'conversation_id'])
      .where('address', '=', who.gone)
      .executeTakeFirst();
    expect(dsn?.kind).toBe('hard_bounce');
    expect(dsn?.conversation_id).toBeTruthy();
    // Refused at RCPT TO by the server itself (5.1.1): a hard bounce too, without a DSN.
    expect(await db.selectFrom('campaign_suppressions').select('reason').where('address', '=', who.refused).executeTakeFirst()).toEqual({
      reason: 'hard_bounce',
    });

    // A reply lands in newsletter@'s queue, linked to the campaign.
    const campaignMessageId = String(replierMail.parsed.messageId);
    await deliver({
      from: who.replier,
      to: NEWSLETTER,
      subject: `Re: ${tag} news`,
      text: 'Please send the catalogue.',
      inReplyTo: campaignMessageId,
      references: [campaignMessageId],
    });
    const reply = await waitFor(
      async () =>
        db
          .selectFrom('campaign_events')
          .selectAll()
          .where('kind', '=', 'reply')
          .where('campaign_id', '=', queued.campaign)
          .executeTakeFirst(),
      'the reply to be linked',
      60_000,
    );
    const held = await db
      .selectFrom('conversation_mailboxes')
      .select('mailbox_id')
      .where('conversation_id', '=', reply.conversation_id ?? '')
      .execute();
    expect(held.map((h) => h.mailbox_id)).toEqual([mailbox.id]);
    // Not in info@'s queue: an agent of info@ only gets "not found", and nothing of the campaign.
    const info = await createMailbox(db, { address: 'info@acme.test', displayName: 'Info', purpose: 'inquiry' });
    const newsAgent = await createAccount(db, {
      email: `news-${tag}@acme.test`,
      name: 'News',
      password: 'agent password 1',
      role: 'agent',
    });
    const infoAgent = await createAccount(db, {
      email: `info-${tag}@acme.test`,
      name: 'Info',
      password: 'agent password 2',
      role: 'agent',
    });
    await grantMailboxAccess(db, newsAgent.id, mailbox.id, 'reply');
    await grantMailboxAccess(db, infoAgent.id, info.id, 'reply');
    const asNews = pier.api();
    expect((await asNews.post('/api/auth/login', { email: `news-${tag}@acme.test`, password: 'agent password 1' })).status).toBe(200);
    const asInfo = pier.api();
    expect((await asInfo.post('/api/auth/login', { email: `info-${tag}@acme.test`, password: 'agent password 2' })).status).toBe(200);
    // The conversation view marks the reply with the campaign it answers.
    const view = await asNews.get<ConversationDetail>(`/api/conversations/${reply.conversation_id}`);
    expect(view.status).toBe(200);
    const replyItem = view.body.timeline.find((item) => item.kind === 'message' && item.direction === 'in');
    expect(replyItem).toMatchObject({ campaign: { id: queued.campaign, subject: `${tag} news` } });
    const hidden = await asInfo.get(`/api/conversations/${reply.conversation_id}`);
    expect(hidden.status).toBe(404);
    expect(JSON.stringify(hidden.body)).not.toMatch(new RegExp(`${tag} news|${queued.campaign}|customer\\.test`));
    const infoQueue = await asInfo.get(`/api/conversations?mailboxId=${info.id}`);
    expect(infoQueue.status).toBe(200);
    expect(JSON.stringify(infoQueue.body)).not.toContain(`Re: ${tag} news`);
    const campaignsAsInfo = await asInfo.get(`/api/campaigns/${queued.campaign}`);
    expect(campaignsAsInfo.status).toBe(403);
    expect(JSON.stringify(campaignsAsInfo.body)).not.toMatch(/customer\.test|news/);

    // An ARF complaint about the same mail suppresses the address.
    await deliver({
      from: 'fbl@provider.test',
      to: NEWSLETTER,
      subject: 'Abuse report',
      envelope: { from: 'fbl@provider.test', to: [NEWSLETTER] },
      raw: [
        `From: fbl@provider.test`,
        `To: ${NEWSLETTER}`,
        'Subject: Abuse report',
        `Message-ID: <arf-${tag}@provider.test>`,
        'MIME-Version: 1.0',
        'Content-Type: multipart/report; report-type=feedback-report; boundary="arf"',
        '',
        '--arf',
        'Content-Type: text/plain',
        '',
        'This is an email abuse report.',
        '--arf',
        'Content-Type: message/feedback-report',
        '',
        'Feedback-Type: abuse',
        'Version: 1',
        `Original-Rcpt-To: rfc822; ${who.replier}`,
        '',
        '--arf',
        'Content-Type: text/rfc822-headers',
        '',
        `From: Acme News <${NEWSLETTER}>`,
        `Message-ID: ${campaignMessageId}`,
        '',
        '--arf--',
        '',
      ].join('\r\n'),
    });
    await waitFor(
      async () =>
        db
          .selectFrom('campaign_suppressions')
          .selectAll()
          .where('address', '=', who.replier)
          .where('reason', '=', 'complaint')
          .executeTakeFirst(),
      'the complaint to suppress the address',
      60_000,
    );

    const counts = await campaignCounts(db, queued.campaign);
    expect(counts).toMatchObject({
      recipients: 5,
      sent: 4,
      failed: 1,
      bounced: 2,
      delivered: 3,
      unsubscribed: 2,
      replied: 1,
      complained: 1,
      clicked: 1,
      opened: null,
    });

    // No campaign overrides the suppression list: the same list again mails nobody.
    const again = await queueCampaign(db, {
      mailbox,
      list: { name: tag },
      subject: `${tag} again`,
      html,
      text: 'again',
      actorId: null,
      now: pier.clock.now(),
    });
    expect(again).toMatchObject({ recipients: 0, suppressed: 5 });
  }, 240_000);
});
