// The public sign-up form over real Postfix + Dovecot (issue 21, decision 0071), on SQLite and
// PostgreSQL: a visitor signs up in Chromium on the public page; the confirmation mail arrives in the
// visitor's Dovecot mailbox; its link, clicked in Chromium, subscribes the member (consent source,
// date and IP kept). An address that is suppressed, subscribed already or pending gets the very same
// page and no mail; a pending one gets another mail only six hours on. The honeypot, the validation,
// the rate limits per address and per IP, a form that is off; bodies checked for what they leak.
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importListCsv, suppressAddress } from '../../src/modules/campaigns/index.js';
import { SIGNUP_RESEND_MS, setSignupForm } from '../../src/modules/campaigns/signup.js';
import { SIGNUP_PER_ADDRESS, SIGNUP_PER_IP, SIGNUP_WINDOW_MS } from '../../src/modules/campaigns/signup-limits.js';
import { launchChromium } from '../support/browser.js';
import { addMarketingMailbox, confirmLinkIn, NEWSLETTER, postSignup, recipientOf, startCampaignPier } from '../support/campaigns.js';
import { engines, type TestDatabase } from '../support/databases.js';
import { findMail, mailDeliveredSoFar, waitForMail } from '../support/outbox.js';

const customer = 'buyer@customer.test';
const screenshots = path.join(process.env.PIER_TEST_OUTPUT ?? 'test-output', 'screenshots');
const admin = { actorId: null, via: 'cli' } as const;

describe.each(engines)('public sign-up form on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startCampaignPier>>['pier'];
  let baseUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    ({ database, pier, baseUrl } = await startCampaignPier(engine, [customer, NEWSLETTER]));
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await pier?.stop();
    await database?.drop();
  });

  it('signs up in Chromium, confirms from the received mail, and answers every other case with the same page and no mail', async () => {
    const { db } = pier.workspace;
    const tag = `su${engine}${Date.now().toString(36)}`;
    const who = {
      fresh: `buyer+${tag}n@customer.test`,
      late: `buyer+${tag}l@customer.test`,
      gone: `buyer+${tag}g@customer.test`,
      sub: `buyer+${tag}s@customer.test`,
      bot: `buyer+${tag}b@customer.test`,
    };
    const listName = `Website ${tag}`;
    const mailbox = await addMarketingMailbox(pier.workspace);
    pier.rescanMailboxes();
    const now = pier.clock.now();
    await suppressAddress(db, { address: who.gone, reason: 'unsubscribed', campaignId: null, detail: null, now });
    const { listId } = await importListCsv(db, {
      name: listName,
      csv: `email,name\n${who.sub},Sub`,
      consentSource: 'Canton Fair 2026',
      consentDate: '2026-10-15',
      actorId: null,
      now,
    });
    // Off by default: no slug, no page.
    const before = await db.selectFrom('campaign_lists').selectAll().where('id', '=', listId).executeTakeFirstOrThrow();
    expect(before.signup_enabled).toBe(0);
    const list = await setSignupForm(db, { listId, enabled: true, mailboxId: mailbox.id, actor: admin });
    const slug = list.signup_slug ?? '';
    expect(slug).toMatch(/^[\w-]{16}$/);

    // The visitor on the public page, in Chromium, phone width.
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 390, height: 800 } });
    const page = await context.newPage();
    let thanksText = '';
    try {
      await page.goto(`${baseUrl}/subscribe/${slug}?lang=en`);
      expect(await page.locator('h1').textContent()).toBe('Subscribe to Acme News');
      expect(await page.content()).not.toContain(listName);
      await page.fill('#email', who.fresh);
      await page.fill('#name', 'Anna Schmidt');
      await page.click('#subscribe');
      await page.waitForSelector('#thanks');
      thanksText = (await page.locator('main').innerHTML()) ?? '';
      await page.screenshot({ path: path.join(screenshots, `campaign-signup-thanks-en-390-${engine}.png`) });
    } finally {
      await context.close();
    }
    expect(thanksText).toContain('Check your inbox');

    // The same page, byte for byte, for a pending, a subscribed and a suppressed address, and a bot.
    const thanks = await postSignup(baseUrl, slug, { email: who.late });
    for (const email of [who.fresh, who.sub, who.gone, who.late]) {
      const again = await postSignup(baseUrl, slug, { email });
      expect(again).toEqual(thanks);
    }
    expect(await postSignup(baseUrl, slug, { email: who.bot, url: 'http://cheap-pills.example' })).toEqual(thanks);
    expect(thanks.status).toBe(200);
    expect(thanks.body).toContain(thanksText);
    for (const leak of [tag, listName, 'suppress', 'already', 'pending', NEWSLETTER, 'Acme News']) expect(thanks.body).not.toContain(leak);

    // Two confirmation mails (fresh, late): none to the suppressed, the subscribed or the bot's address, none twice.
    await waitForMail(customer, 'INBOX', 'Acme News', 2, 30_000);
    await mailDeliveredSoFar(customer);
    const mails = await findMail(customer, 'INBOX', 'Acme News');
    expect(mails.map(recipientOf).sort()).toEqual([who.fresh, who.late].sort());
    const members = await db.selectFrom('campaign_list_members').selectAll().where('list_id', '=', listId).orderBy('address').execute();
    expect(members.map((m) => m.address).sort()).toEqual([who.fresh, who.late, who.sub].sort());
    const fresh = members.find((m) => m.address === who.fresh);
    expect(fresh).toMatchObject({
      name: 'Anna Schmidt',
      consent_source: 'Sign-up form',
      signup_ip: '127.0.0.1',
      opt_in_state: 'pending',
      opt_in_language: 'en',
      opt_in_mails: 1,
    });
    expect(Number(fresh?.consent_at)).toBeGreaterThanOrEqual(now);
    expect(members.find((m) => m.address === who.sub)).toMatchObject({ consent_source: 'Canton Fair 2026', opt_in_state: null });

    // The link from the received mail, clicked in Chromium: the page, then the button subscribes.
    const freshMail = mails.find((m) => recipientOf(m) === who.fresh);
    const link = confirmLinkIn(freshMail?.parsed.text);
    expect(link.startsWith(`${baseUrl}/confirm-subscription/`)).toBe(true);
    const confirmContext = await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 900 } });
    try {
      const mailView = await confirmContext.newPage();
      await mailView.setContent(freshMail?.parsed.html || '');
      const [confirmPage] = await Promise.all([
        mailView.waitForEvent('popup'),
        mailView.getByRole('link', { name: 'Confirm subscription' }).click(),
      ]);
      await confirmPage.waitForSelector('#confirm');
      await confirmPage.click('#confirm');
      await confirmPage.waitForSelector('#confirmed');
    } finally {
      await confirmContext.close();
    }
    const confirmed = await db.selectFrom('campaign_list_members').selectAll().where('address', '=', who.fresh).executeTakeFirstOrThrow();
    expect(confirmed).toMatchObject({ opt_in_state: 'confirmed', confirmed_ip: '127.0.0.1', consent_source: 'Sign-up form' });
    // Confirmed = subscribed: signing up again changes nothing and sends nothing.
    expect(await postSignup(baseUrl, slug, { email: who.fresh })).toEqual(thanks);

    // Audited with what happened; the bot's submission is not (nothing happened).
    const audits = await db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('action', 'like', 'campaign.signup%')
      .orderBy('seq')
      .execute();
    const outcomes = audits
      .filter((a) => a.action === 'campaign.signup')
      .map((a) => JSON.parse(String(a.details)) as Record<string, unknown>);
    expect(audits[0]?.action).toBe('campaign.signup_enabled');
    expect(outcomes.map((o) => [o.address, o.outcome])).toEqual([
      [who.fresh, 'added'],
      [who.late, 'added'],
      [who.fresh, 'pending_not_resent'],
      [who.sub, 'already_subscribed'],
      [who.gone, 'suppressed'],
      [who.late, 'pending_not_resent'],
      [who.fresh, 'already_subscribed'],
    ]);
    expect(JSON.stringify(outcomes)).not.toContain(who.bot);

    // Six hours on, the pending address asking again gets one more mail (and only one).
    pier.clock.advance(SIGNUP_RESEND_MS + 60_000);
    expect(await postSignup(baseUrl, slug, { email: who.late })).toEqual(thanks);
    expect(await postSignup(baseUrl, slug, { email: who.late })).toEqual(thanks);
    await waitForMail(customer, 'INBOX', 'Acme News', 3, 30_000);
    await mailDeliveredSoFar(customer);
    expect((await findMail(customer, 'INBOX', 'Acme News')).map(recipientOf).filter((a) => a === who.late)).toHaveLength(2);

    // Bad input: a clear 400 on the form, what was typed kept and escaped.
    const bad = await postSignup(baseUrl, slug, { email: 'not-an-email', name: '<script>alert(1)</script>' });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('Enter a valid email address, such as name@company.com.');
    expect(bad.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(bad.body).not.toContain('<script>alert');
    const long = await postSignup(baseUrl, slug, { email: `${'a'.repeat(250)}@customer.test`, name: 'n'.repeat(101), lang: 'zh-CN' });
    expect(long.status).toBe(400);
    expect(long.body).toContain('邮箱地址最多 254 个字符。');
    expect(long.body).toContain('姓名最多 100 个字符。');

    // Rate limits, a fresh hour: per address (on any list), then per IP.
    pier.clock.advance(SIGNUP_WINDOW_MS + 1);
    for (let i = 0; i < SIGNUP_PER_ADDRESS; i++) expect((await postSignup(baseUrl, slug, { email: who.gone })).status).toBe(200);
    const limited = await postSignup(baseUrl, slug, { email: who.gone });
    expect(limited.status).toBe(429);
    expect(limited.body).toContain('Too many sign-ups from here');
    expect(limited.body).not.toContain(tag);
    for (let i = SIGNUP_PER_ADDRESS + 1; i < SIGNUP_PER_IP; i++) expect((await postSignup(baseUrl, slug, { email: 'x' })).status).toBe(400);
    expect((await postSignup(baseUrl, slug, { email: `buyer+${tag}x@customer.test` })).status).toBe(429);
    expect(
      await db.selectFrom('campaign_list_members').select('address').where('address', '=', `buyer+${tag}x@customer.test`).execute(),
    ).toEqual([]);

    // Off: the page and the pasted form answer "not available", as an unknown form does, naming nothing.
    await setSignupForm(db, { listId, enabled: false, actor: admin });
    const off = await fetch(`${baseUrl}/subscribe/${slug}`);
    const unknown = await fetch(`${baseUrl}/subscribe/AAAAAAAAAAAAAAAA`);
    expect(off.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(await off.text()).toBe(await unknown.text());
    expect((await postSignup(baseUrl, slug, { email: who.late })).status).toBe(404);
  }, 180_000);
});
