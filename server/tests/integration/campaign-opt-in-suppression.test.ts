// The suppression list wins over double opt-in (issue 21, decision 0059), in the order it happens:
// confirmation mails go out over the bench's Postfix; then one address unsubscribes by the one-click
// link of another list's campaign, one hard-bounces, one that had confirmed unsubscribes too; their
// old confirmation links, clicked afterwards, confirm nothing and say only that no mails will be sent.
// No campaign, confirmation mail, resend or re-import reaches them again.
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suppressAddress } from '../../src/modules/campaigns/index.js';
import {
  addMarketingMailbox,
  confirmLinkIn,
  NEWSLETTER,
  queueCampaignByCli,
  recipientOf,
  startCampaignPier,
} from '../support/campaigns.js';
import { engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { findMail, mailDeliveredSoFar, waitForMail } from '../support/outbox.js';
import { runCli } from '../support/pier-process.js';
import { waitFor } from '../support/wait.js';

const boss = { email: 'boss@acme.test', name: 'Boss', password: 'correct horse battery staple' };
const customer = 'buyer@customer.test';
type Mail = Awaited<ReturnType<typeof findMail>>[number];
const unsubscribeLinkIn = (m: Mail | undefined) =>
  /^List-Unsubscribe: <(http:\/\/[^>]+)>/m.exec(m?.raw.toString().replace(/\r?\n[ \t]+/g, ' ') ?? '')?.[1] ?? '';

describe.each(engines)('double opt-in and the suppression list on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startCampaignPier>>['pier'];
  let admin: ApiClient;

  beforeAll(async () => {
    ({ database, pier } = await startCampaignPier(engine, [customer]));
    admin = pier.api();
    expect((await admin.post('/api/setup', boss)).status).toBe(201);
    await addMarketingMailbox(pier.workspace);
  });

  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  it('an old confirmation link of an unsubscribed or bounced address confirms nothing, and nothing mails it again', async () => {
    const { db } = pier.workspace;
    const tag = `sup${engine}${Date.now().toString(36)}`;
    const who = {
      unsub: `buyer+${tag}u@customer.test`,
      bounce: `buyer+${tag}b@customer.test`,
      late: `buyer+${tag}l@customer.test`,
      kept: `buyer+${tag}k@customer.test`,
    };
    const stateOf = (address: string) =>
      db
        .selectFrom('campaign_list_members')
        .select(['opt_in_state', 'opt_in_mail_state', 'opt_in_mails', 'confirmed_at'])
        .where('list_id', '=', listId)
        .where('address', '=', address)
        .executeTakeFirstOrThrow();
    const confirmations = () => db.selectFrom('audit_log').select('details').where('action', '=', 'campaign.opt_in_confirmed').execute();

    // 1. Opt-in requested: four addresses imported by the CLI into a list with double opt-in.
    const csv = `${database.dataDir}/${tag}.csv`;
    await writeFile(
      csv,
      ['email,name,country', `${who.unsub},Una,DE`, `${who.bounce},Bo,CN`, `${who.late},Lea,DE`, `${who.kept},Kim,DE`].join('\n'),
    );
    const common = ['--consent-source', 'Website form', '--consent-date', '2026-12-01'];
    await runCli(database, ['campaign', 'import-list', '--name', tag, '--file', csv, ...common, '--double-opt-in', NEWSLETTER]);
    const listId = (await db.selectFrom('campaign_lists').select('id').where('name', '=', tag).executeTakeFirstOrThrow()).id;
    const mails = await waitForMail(customer, 'INBOX', 'Acme News', 4, 30_000);
    const link = Object.fromEntries(
      Object.entries(who).map(([k, address]) => [k, confirmLinkIn(mails.find((m) => recipientOf(m) === address)?.parsed.text)]),
    ) as Record<keyof typeof who, string>;
    for (const l of Object.values(link)) expect(l).toMatch(/\/confirm-subscription\//);
    // Two confirm now, by the button's POST.
    for (const k of ['late', 'kept'] as const) expect((await fetch(link[k], { method: 'POST' })).status).toBe(200);
    expect((await stateOf(who.late)).opt_in_state).toBe('confirmed');
    expect(await confirmations()).toHaveLength(2);

    // 2. Meanwhile a campaign of another (single opt-in) list reaches `unsub` and `late`, who unsubscribe
    // by its one-click link (RFC 8058 POST); `bounce` hard-bounces (what a DSN's reading records).
    const fair = await queueCampaignByCli(database, { list: `${tag}fair`, addresses: [who.unsub, who.late], subject: `${tag} fair` });
    expect(fair.parsed.recipients).toBe(2);
    const fairMails = await waitForMail(customer, 'INBOX', `${tag} fair`, 2, 30_000);
    for (const address of [who.unsub, who.late]) {
      const url = unsubscribeLinkIn(fairMails.find((m) => recipientOf(m) === address));
      const answer = await fetch(url, { method: 'POST', body: 'List-Unsubscribe=One-Click' });
      expect(answer.status).toBe(200);
    }
    await suppressAddress(db, {
      address: who.bounce,
      reason: 'hard_bounce',
      campaignId: null,
      detail: '550 5.1.1 no such user',
      now: pier.clock.now(),
    });
    const suppressed = await db.selectFrom('campaign_suppressions').select(['address', 'reason']).execute();
    expect(suppressed.filter((s) => s.address.includes(tag)).sort((a, b) => a.address.localeCompare(b.address))).toEqual(
      [
        { address: who.unsub, reason: 'unsubscribed' },
        { address: who.late, reason: 'unsubscribed' },
        { address: who.bounce, reason: 'hard_bounce' },
      ].sort((a, b) => a.address.localeCompare(b.address)),
    );

    // 3. The old confirmation links are clicked: the page says no mails will be sent, in the mail's
    // language, and names nothing (no sender, address, list or reason); GET and POST confirm nothing.
    for (const k of ['unsub', 'bounce', 'late'] as const) {
      for (const method of ['GET', 'POST']) {
        const answer = await fetch(link[k], { method, headers: { 'accept-language': 'en-US' } });
        expect(answer.status).toBe(200);
        const body = await answer.text();
        expect(body).toContain(k === 'bounce' ? '不会发送邮件' : 'No mails will be sent');
        expect(body).not.toMatch(/<form|<button|customer\.test|b\*\*\*|Acme|newsletter|unsubscribed|bounce|退订|退信/i);
        expect(body).not.toContain(tag);
      }
    }
    expect(await stateOf(who.unsub)).toMatchObject({ opt_in_state: 'pending', confirmed_at: null });
    expect(await stateOf(who.bounce)).toMatchObject({ opt_in_state: 'pending', confirmed_at: null });
    expect(await confirmations()).toHaveLength(2);
    // The one still subscribed keeps the usual page.
    expect(await (await fetch(link.kept)).text()).toContain('Subscription confirmed');

    // 4. Nothing reaches them: a campaign to the list goes to `kept` alone; a re-import of the CSV
    // (the CLI's campaign send imports again) changes no member's state and queues no mail.
    const sent = await queueCampaignByCli(database, { list: tag, addresses: Object.values(who), subject: `${tag} news` });
    expect(sent.parsed.recipients).toBe(1);
    const recipients = await db
      .selectFrom('campaign_recipients')
      .select('address')
      .where('campaign_id', '=', sent.parsed.campaign)
      .execute();
    expect(recipients.map((r) => r.address)).toEqual([who.kept]);
    for (const address of [who.unsub, who.bounce]) expect((await stateOf(address)).opt_in_mail_state).not.toBe('queued');
    // A second campaign of the other list, its CSV imported again: nobody (both unsubscribed).
    expect(
      (await queueCampaignByCli(database, { list: `${tag}fair`, addresses: [who.unsub, who.late], subject: `${tag} again` })).parsed
        .recipients,
    ).toBe(0);

    // Re-requesting the confirmation mail (an hour on): refused for one suppressed address, none for all.
    pier.clock.advance(3_600_000 + 1000);
    const one = await admin.post<{ message: string }>(`/api/campaign-lists/${listId}/opt-in/resend`, { address: who.unsub });
    expect(one.status).toBe(429);
    expect(JSON.stringify(one.body)).toContain('suppression list');
    const all = await admin.post<{ queued: number; skipped: number }>(`/api/campaign-lists/${listId}/opt-in/resend`, {});
    expect(all.body).toEqual({ queued: 0, skipped: 2 });

    // An address suppressed before it is imported into a list with double opt-in gets no confirmation mail.
    const gone = `buyer+${tag}g@customer.test`;
    await runCli(database, ['campaign', 'suppress', gone]);
    await writeFile(csv, ['email,name', `${gone},Gone`].join('\n'));
    await runCli(database, ['campaign', 'import-list', '--name', tag, '--file', csv, ...common]);
    expect(await stateOf(gone)).toMatchObject({ opt_in_state: 'pending', opt_in_mail_state: 'suppressed', opt_in_mails: 0 });

    // And no mail went to any of them after the suppression: the news went to `kept` only.
    await waitFor(
      async () =>
        (await db.selectFrom('campaigns').select('state').where('id', '=', sent.parsed.campaign).executeTakeFirst())?.state === 'done' ||
        undefined,
      'the campaign to be done',
      30_000,
    );
    await mailDeliveredSoFar(customer);
    expect((await findMail(customer, 'INBOX', `${tag} news`)).map(recipientOf)).toEqual([who.kept]);
    expect(await findMail(customer, 'INBOX', `${tag} again`)).toHaveLength(0);
    expect((await findMail(customer, 'INBOX', 'Acme News')).filter((m) => recipientOf(m) === gone)).toHaveLength(0);
    expect((await stateOf(who.unsub)).opt_in_mails).toBe(1);
  }, 240_000);
});
