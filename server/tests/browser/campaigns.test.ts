// Settings → Campaigns as an admin sees it, in English and Chinese at 1440 and 390 px: a campaign
// sent over the bench's Postfix with its counts (the state on one line), the lists, a suppressed
// address, a segment built with its live count and saved, then edited; a refused delete of a segment
// in use; a tracking campaign's clicks per link; the public unsubscribe page; then a customer's reply
// to the campaign, synced from Dovecot, shown in the conversation view with the campaign it answers.
// Screenshots in test-output/screenshots/ (look at them).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignCounts, createSegmentList, importListCsv, queueCampaign, suppressAddress } from '../../src/modules/campaigns/index.js';
import { renderForRecipient } from '../../src/modules/campaigns/mail.js';
import { signUnsubscribeToken } from '../../src/modules/campaigns/tokens.js';
import { launchChromium, signInInBrowser } from '../support/browser.js';
import { addMarketingMailbox, NEWSLETTER, startCampaignPier } from '../support/campaigns.js';
import type { TestDatabase } from '../support/databases.js';
import { deliver } from '../support/mail-server.js';
import { waitFor } from '../support/wait.js';

const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
/** The settings page scrolls inside its panel, not the document: bring `target` to the top, then take the viewport. */
async function shoot(page: Page, target: Locator, file: string) {
  await target.evaluate((el) => el.scrollIntoView({ block: 'start', inline: 'start' }));
  await page.screenshot({ path: path.join(screenshots, file) });
}

const boss = { email: 'boss@acme.test', name: 'Boss', password: 'correct horse battery staple' };

describe('campaigns page', () => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startCampaignPier>>['pier'];
  let browser: Browser;
  const tag = `ui${Date.now().toString(36)}`;
  const replier = `buyer+${tag}1@customer.test`;
  let replyConversation = '';
  let trackedCampaign = '';
  let unsubscribePath = '';
  const longLink =
    'https://shop.acme.test/products/led-panels/2026/spring-collection?utm_source=newsletter&utm_medium=email&utm_campaign=canton-fair';

  beforeAll(async () => {
    mkdirSync(screenshots, { recursive: true });
    ({ database, pier } = await startCampaignPier('sqlite', [NEWSLETTER]));
    expect((await pier.api().post('/api/setup', boss)).status).toBe(201);
    const { db } = pier.workspace;
    const mailbox = await addMarketingMailbox(pier.workspace);
    pier.rescanMailboxes();
    const csv = [
      'email,name,company',
      `buyer+${tag}1@customer.test,Anna,Berlin Lights GmbH`,
      `buyer+${tag}2@customer.test,王伟,深圳光电`,
    ].join('\n');
    await importListCsv(db, {
      name: 'Canton Fair 2026',
      csv,
      consentSource: 'Fair form',
      consentDate: '2026-10-15',
      actorId: null,
      now: Date.now(),
    });
    await suppressAddress(db, { address: 'former@customer.test', reason: 'unsubscribed', campaignId: null, detail: null, now: Date.now() });
    const queued = await queueCampaign(db, {
      mailbox,
      list: { name: 'Canton Fair 2026' },
      subject: `New LED panels ${tag}`,
      html: '<p>Dear {{name}},</p>',
      text: 'Dear {{name}},',
      actorId: null,
      now: Date.now(),
    });
    await waitFor(
      async () => ((await campaignCounts(db, queued.campaign)).sent === 2 ? true : undefined),
      'the campaign to go out',
      30_000,
    );
    // Anna answers the campaign: the reply reaches newsletter@ (Reply-To) and is synced from Dovecot.
    const sentTo = await db
      .selectFrom('campaign_recipients')
      .select('message_id_header')
      .where('campaign_id', '=', queued.campaign)
      .where('address', '=', replier)
      .executeTakeFirstOrThrow();
    await deliver({
      from: `Anna <${replier}>`,
      to: NEWSLETTER,
      subject: `Re: New LED panels ${tag}`,
      text: 'Please send the catalogue with prices.',
      inReplyTo: sentTo.message_id_header,
      references: [sentTo.message_id_header],
    });
    const reply = await waitFor(
      async () =>
        db
          .selectFrom('campaign_events')
          .select('conversation_id')
          .where('kind', '=', 'reply')
          .where('campaign_id', '=', queued.campaign)
          .executeTakeFirst(),
      'the reply to be linked to the campaign',
      60_000,
    );
    replyConversation = reply.conversation_id ?? '';
    // The customer who replied is a contact now; the admin tags them for the segment builder.
    const admin = pier.api();
    expect((await admin.post('/api/auth/login', { email: boss.email, password: boss.password })).status).toBe(200);
    const contact = await db.selectFrom('contacts').select('id').where('address', '=', replier).executeTakeFirstOrThrow();
    expect((await admin.patch(`/api/customers/contacts/${contact.id}`, { tags: ['Fair 2026'] })).status).toBe(200);
    // Decision 0060: a tracking campaign (due tomorrow, so it stays queued) whose links two recipients
    // clicked through /c, and a segment a queued campaign goes to (its delete is refused).
    const tracked = await queueCampaign(db, {
      mailbox,
      list: { name: 'Canton Fair 2026' },
      subject: `Spring catalogue ${tag}`,
      html: `<p>Dear {{name}}, see <a href='https://shop.acme.test/led-panels'>the panels</a>, <a href=${longLink.replaceAll('&', '&amp;')}>the collection</a> and <a href="https://shop.acme.test/fair">the fair</a>.</p><p><a href="mailto:sales@acme.test">Mail us</a></p>`,
      text: 'Dear {{name}}',
      sendAt: Date.now() + 86_400_000,
      trackClicks: true,
      actorId: null,
      now: Date.now(),
    });
    trackedCampaign = tracked.campaign;
    const campaignRow = await db.selectFrom('campaigns').selectAll().where('id', '=', tracked.campaign).executeTakeFirstOrThrow();
    const recipients = await db
      .selectFrom('campaign_recipients')
      .selectAll()
      .where('campaign_id', '=', tracked.campaign)
      .orderBy('address')
      .execute();
    const clicks: string[] = [];
    for (const [i, recipient] of recipients.entries()) {
      const { html } = await renderForRecipient(campaignRow, recipient, { baseUrl: pier.url, key: pier.workspace.unsubscribeKey });
      const links = [...html.matchAll(/href="([^"]*\/c\?t=[^"]+)"/g)].map((m) => m[1] ?? '');
      // The first recipient clicks the panels twice and the collection once; the second the panels once.
      clicks.push(...(i === 0 ? [links[0], links[0], links[1]] : [links[0]]).map(String));
    }
    for (const url of clicks) expect((await fetch(url, { redirect: 'manual' })).status).toBe(302);
    unsubscribePath = `/unsubscribe/${signUnsubscribeToken(pier.workspace.unsubscribeKey, recipients[1]?.id ?? '')}`;
    const busy = await createSegmentList(db, { name: 'Busy segment', segment: { tags: ['Fair 2026'] }, actorId: null, now: Date.now() });
    await queueCampaign(db, {
      mailbox,
      list: { id: busy.id },
      subject: `Fair follow-up ${tag}`,
      html: '<p>Dear {{name}},</p>',
      text: 'Dear {{name}},',
      sendAt: Date.now() + 86_400_000,
      actorId: null,
      now: Date.now(),
    });
    browser = await launchChromium();
  }, 150_000);

  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  const en = {
    locale: 'en' as const,
    sent: 'Sent',
    suppressed: 'Unsubscribed',
    count: '1 match',
    none: '0 match',
    inUse: 'cannot be deleted while a campaign goes to it',
    unique: 'Unique clicks',
    badge: 'Reply to campaign',
  };
  const zh = {
    locale: 'zh-CN' as const,
    sent: '已发送',
    suppressed: '已退订',
    count: '符合 1 人',
    none: '符合 0 人',
    inUse: '无法删除',
    unique: '独立点击',
    badge: '群发邮件的回复',
  };
  for (const view of [
    { ...en, width: 1440 },
    { ...zh, width: 390 },
    { ...en, width: 390 },
    { ...zh, width: 1440 },
  ]) {
    it(`shows the campaign with its counts, the list and the suppression list (${view.locale}, ${view.width} px)`, async () => {
      const page = await signInInBrowser(browser, pier.url, boss, { locale: view.locale, viewport: { width: view.width, height: 900 } });
      try {
        await page.goto(`${pier.url}/settings/campaigns`);
        const table = page.getByTestId('campaigns-table');
        await table.waitFor();
        expect(await table.textContent()).toContain(`New LED panels ${tag}`);
        expect(await table.locator('thead').textContent()).toContain(view.sent);
        expect(await page.getByTestId('campaign-lists').textContent()).toContain('Canton Fair 2026');
        const suppressions = page.getByTestId('campaign-suppressions');
        await suppressions.waitFor();
        expect(await suppressions.textContent()).toContain(view.suppressed);
        // The state is one line (发送中 wrapped a character a line at 390 px).
        const stateLines = await page
          .getByTestId('campaign-state')
          .first()
          .evaluate((cell) => {
            const range = document.createRange();
            range.selectNodeContents(cell);
            return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
          });
        expect(stateLines).toBe(1);
        // A segment: the live count and first recipient as the tag is typed, then saved as a list.
        const builder = page.getByTestId('segment-builder');
        await builder.locator('#segment-tags').fill('Fair 2026');
        await page.getByTestId('segment-count').filter({ hasText: view.count }).waitFor();
        expect(await page.getByTestId('segment-sample').textContent()).toContain(replier);
        await builder.locator('#segment-name').fill(`Fair ${view.locale} ${view.width}`);
        await page.getByTestId('segment-save').click();
        await page
          .getByTestId('campaign-lists')
          .filter({ hasText: `Fair ${view.locale} ${view.width}` })
          .waitFor();
        // The page itself never scrolls sideways; wide tables scroll inside their frame.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        expect(overflow).toBeLessThanOrEqual(0);
        await page.screenshot({ path: path.join(screenshots, `campaigns-${view.locale}-${view.width}.png`), fullPage: true });

        // Editing the saved segment: its rules in the form, a live count, renamed and saved (decision 0060).
        await page
          .getByTestId('campaign-lists')
          .locator('tr', { hasText: `Fair ${view.locale} ${view.width}` })
          .getByTestId('segment-edit')
          .click();
        const editor = page.getByTestId('segment-editor');
        expect(await editor.locator('#segment-edit-tags').inputValue()).toBe('Fair 2026');
        await editor.locator('#segment-edit-countries').fill('CN');
        await page.getByTestId('segment-edit-count').filter({ hasText: view.none }).waitFor();
        await editor.locator('#segment-edit-countries').fill('');
        await page.getByTestId('segment-edit-count').filter({ hasText: view.count }).waitFor();
        await editor.locator('#segment-edit-name').fill(`Fair ${view.locale} ${view.width} VIP`);
        await shoot(page, editor.locator('#segment-edit-name'), `segment-editor-${view.locale}-${view.width}.png`);
        await page.getByTestId('segment-edit-save').click();
        await page
          .getByTestId('campaign-lists')
          .filter({ hasText: `Fair ${view.locale} ${view.width} VIP` })
          .waitFor();
        await editor.waitFor({ state: 'detached' });
        // Deleting a segment a queued campaign goes to is refused, in the reader's language.
        page.once('dialog', (dialog) => void dialog.accept());
        const busyRow = page.getByTestId('campaign-lists').locator('tr', { hasText: 'Busy segment' });
        await busyRow.getByTestId('segment-delete').click();
        const refusal = page.getByTestId('segment-delete-error');
        await refusal.waitFor();
        expect(await refusal.textContent()).toContain(view.inUse);
        expect(await refusal.textContent()).toContain(`Fair follow-up ${tag}`);
        await shoot(page, page.getByTestId('campaign-lists'), `campaign-lists-${view.locale}-${view.width}.png`);
        // Clicks per link of the tracking campaign.
        await page.locator(`#campaign-${trackedCampaign}`).getByTestId('campaign-links-toggle').click();
        const linksTable = page.getByTestId('campaign-links-table');
        await linksTable.waitFor();
        const rows = await linksTable
          .locator('tbody tr')
          .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
        expect(rows).toEqual([
          ['https://shop.acme.test/led-panels', '2', '3'],
          [longLink, '1', '1'],
          ['https://shop.acme.test/fair', '0', '0'],
        ]);
        expect(await page.getByTestId('campaign-links').textContent()).toContain(view.unique);
        expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(
          0,
        );
        await shoot(page, page.getByTestId('campaign-links'), `campaign-links-${view.locale}-${view.width}.png`);

        // The public unsubscribe page (GET changes nothing), in the browser's language.
        await page.goto(`${pier.url}${unsubscribePath}`);
        expect(await page.locator('body').textContent()).toContain('b***@customer.test');
        await page.screenshot({ path: path.join(screenshots, `unsubscribe-${view.locale}-${view.width}.png`) });

        // The reply, in the conversation view: a badge names the campaign it answers.
        await page.goto(`${pier.url}/?c=${replyConversation}`);
        const badge = page.getByTestId('campaign-reply');
        await badge.waitFor();
        expect(await badge.textContent()).toContain(view.badge);
        expect(await badge.textContent()).toContain(`New LED panels ${tag}`);
        await page.screenshot({ path: path.join(screenshots, `campaign-reply-${view.locale}-${view.width}.png`) });
      } finally {
        await page.context().close();
      }
    }, 180_000);
  }
});
