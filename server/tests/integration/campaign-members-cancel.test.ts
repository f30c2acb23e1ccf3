import type { AuditPage } from '@pier/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SENDING_LEASE_MS } from '../../src/modules/campaigns/cancel.js';
import { suppressAddress } from '../../src/modules/campaigns/index.js';
import { campaignRoles } from '../support/campaigns.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { startTestPier } from '../support/pier.js';
import { runCli } from '../support/pier-process.js';
import { waitFor } from '../support/wait.js';

const boss = { email: 'boss@acme.test', name: 'Boss', password: 'correct horse battery staple' };
const DAY = 86_400_000;

type Member = { address: string; name: string | null; company: string | null; status: string; suppressionReason: string | null };
type Members = {
  members: Member[];
  total: number;
  offset: number;
  limit: number;
  statuses: Record<'subscribed' | 'pending' | 'unsubscribed' | 'suppressed', number>;
  counts: { none: number; pending: number; confirmed: number };
};
type Counts = { state: string; recipients: number; pending: number; sent: number; cancelled: number; uncertain: number };

/**
 * Decision 0068 (issue 21): a list's members paged and searched on the server with counts by status;
 * one contact added by hand with its consent, a suppressed address refused with the reason; a
 * scheduled or paused campaign cancelled (API and CLI, audited), a recipient claimed at cancel time
 * left to its run and, when that run died, marked uncertain after the lease — never sent twice.
 * Agents (of info@, or managing newsletter@ itself) see no member and change nothing.
 */
describe.each(engines)('campaign list members and cancel on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let admin: ApiClient;
  let auditor: ApiClient;
  const agents: ApiClient[] = [];
  let marketingId = '';
  let listId = '';

  const members = async (query = '') => {
    const response = await admin.get<Members>(`/api/campaign-lists/${listId}/members${query}`);
    expect(response.status).toBe(200);
    return response.body;
  };
  const audit = async (action: string) => (await admin.get<AuditPage>(`/api/audit?action=${action}`)).body.items;
  const queue = async (subject: string, sendAt: number) => {
    const queued = await admin.post<{ campaign: string; recipients: number }>('/api/campaigns', {
      mailboxId: marketingId,
      listId,
      subject,
      html: '<p>Hi {{name}}</p>',
      text: 'Hi {{name}}',
      sendAt,
    });
    expect(queued.status).toBe(200);
    return queued.body;
  };
  const recipientStates = async (campaignId: string) =>
    (
      await pier.workspace.db
        .selectFrom('campaign_recipients')
        .select(['address', 'state'])
        .where('campaign_id', '=', campaignId)
        .orderBy('address')
        .execute()
    ).map((r) => r.state);

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database, { PIER_PUBLIC_URL: 'https://pier.acme.test' });
    admin = pier.api();
    expect((await admin.post('/api/setup', boss)).status).toBe(201);
    const { db } = pier.workspace;
    const roles = await campaignRoles(pier);
    marketingId = roles.marketingId;
    auditor = roles.auditor;
    agents.push(...roles.agents);
    // 120 trade-fair leads; a German company spelt in capitals, a Chinese one, a percent sign in a name.
    const rows = Array.from({ length: 120 }, (_, i) => {
      const n = String(i).padStart(3, '0');
      const company = i === 7 ? 'MÜLLER Werkzeuge GmbH' : i === 8 ? '宁波工具有限公司' : `Customer ${i % 9} Ltd`;
      return `lead${n}@fair.test,${i === 9 ? '100% Buyer' : `Buyer ${n}`},${company},DE,Canton Fair 2026 form,2026-10-15`;
    });
    const imported = await admin.post<{ listId: string; imported: number }>('/api/campaign-lists/import', {
      name: 'Canton Fair 2026',
      csv: ['email,name,company,country,consent_source,consent_date', ...rows].join('\n'),
    });
    expect(imported.body.imported).toBe(120);
    listId = imported.body.listId;
    const now = pier.clock.now();
    await suppressAddress(db, { address: 'lead003@fair.test', reason: 'unsubscribed', campaignId: null, detail: null, now });
    await suppressAddress(db, { address: 'lead004@fair.test', reason: 'hard_bounce', campaignId: null, detail: null, now });
    await suppressAddress(db, { address: 'lead005@fair.test', reason: 'complaint', campaignId: null, detail: null, now });
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  it('pages the members on the server with counts by status of the whole list', async () => {
    const first = await members();
    expect(first.total).toBe(120);
    expect(first.members).toHaveLength(50);
    expect(first.members[0]?.address).toBe('lead000@fair.test');
    expect(first.statuses).toEqual({ subscribed: 117, pending: 0, unsubscribed: 1, suppressed: 2 });
    expect(first.counts).toEqual({ none: 120, pending: 0, confirmed: 0 });
    const last = await members('?offset=100&limit=50');
    expect(last.members.map((m) => m.address)).toEqual(Array.from({ length: 20 }, (_, i) => `lead${100 + i}@fair.test`));
    expect(first.members.find((m) => m.address === 'lead003@fair.test')).toMatchObject({
      status: 'unsubscribed',
      suppressionReason: 'unsubscribed',
    });
    expect(first.members.find((m) => m.address === 'lead004@fair.test')).toMatchObject({
      status: 'suppressed',
      suppressionReason: 'hard_bounce',
    });
    const suppressed = await members('?status=suppressed');
    expect(suppressed.members.map((m) => m.address)).toEqual(['lead004@fair.test', 'lead005@fair.test']);
    expect(suppressed.total).toBe(2);
    // The status counts are the whole list's, whatever the filter.
    expect(suppressed.statuses.subscribed).toBe(117);
    expect((await admin.get(`/api/campaign-lists/${listId}/members?limit=500`)).status).toBe(400);
    expect((await admin.get(`/api/campaign-lists/${listId}/members?status=gone`)).status).toBe(400);
  });

  it('finds members by address, name or company, folded and with LIKE wildcards taken literally', async () => {
    expect((await members('?q=lead11')).members.map((m) => m.address)).toEqual(
      Array.from({ length: 10 }, (_, i) => `lead${110 + i}@fair.test`),
    );
    expect((await members(`?q=${encodeURIComponent('müller')}`)).members.map((m) => m.address)).toEqual(['lead007@fair.test']);
    expect((await members(`?q=${encodeURIComponent('宁波')}`)).members.map((m) => m.address)).toEqual(['lead008@fair.test']);
    expect((await members(`?q=${encodeURIComponent('100%')}`)).members.map((m) => m.address)).toEqual(['lead009@fair.test']);
    expect((await members(`?q=${encodeURIComponent('%')}`)).total).toBe(1);
    const both = await members(`?q=${encodeURIComponent('Buyer 00')}&status=unsubscribed`);
    expect(both.members.map((m) => m.address)).toEqual(['lead003@fair.test']);
    expect(both.total).toBe(1);
  });

  it('adds one contact with its consent; refuses a suppressed address with the reason, a duplicate, and no consent', async () => {
    const added = await admin.post(`/api/campaign-lists/${listId}/members`, {
      address: ' Anna.Schmidt@Hanse-Import.de ',
      name: 'Anna Schmidt',
      company: 'Hanse Import',
      country: 'de',
      consentSource: 'Business card, Canton Fair booth 12.1',
      consentDate: '2026-10-16',
    });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({ address: 'anna.schmidt@hanse-import.de', status: 'subscribed' });
    expect((await members('?q=hanse')).members).toMatchObject([
      { address: 'anna.schmidt@hanse-import.de', name: 'Anna Schmidt', company: 'Hanse Import', status: 'subscribed' },
    ]);
    const [record] = await audit('campaign.member_added');
    expect(record?.details).toMatchObject({
      address: 'anna.schmidt@hanse-import.de',
      consentSource: 'Business card, Canton Fair booth 12.1',
      consentAt: Date.parse('2026-10-16'),
      via: 'api',
    });

    const again = await admin.post(`/api/campaign-lists/${listId}/members`, {
      address: 'anna.schmidt@hanse-import.de',
      consentSource: 'again',
      consentDate: '2026-10-17',
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'campaign.member_exists' } });

    // An unsubscribed address stays unsubscribed: a new list does not put it back either.
    const other = await admin.post<{ listId: string }>('/api/campaign-lists/import', {
      name: 'Website',
      csv: 'email,consent_source,consent_date\nsomeone@site.test,web form,2026-11-01\n',
    });
    const refused = await admin.post<{ error: { code: string; message: string; details: { reason: string; since: string } } }>(
      `/api/campaign-lists/${other.body.listId}/members`,
      { address: 'LEAD003@fair.test', consentSource: 'phone call', consentDate: '2026-11-02' },
    );
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('campaign.address_suppressed');
    expect(refused.body.error.details.reason).toBe('unsubscribed');
    expect(refused.body.error.message).toContain('unsubscribed since');
    expect(
      await pier.workspace.db.selectFrom('campaign_list_members').select('address').where('address', '=', 'lead003@fair.test').execute(),
    ).toHaveLength(1);

    for (const bad of [
      { address: 'x@site.test', consentSource: '', consentDate: '2026-11-02' },
      { address: 'x@site.test', consentSource: 'form', consentDate: 'yesterday' },
      { address: 'x@site.test', consentSource: 'form', consentDate: '2099-01-01' },
      { address: 'not an address', consentSource: 'form', consentDate: '2026-11-02' },
      { address: 'x@site.test', consentSource: 'form' },
    ]) {
      const response = await admin.post(`/api/campaign-lists/${other.body.listId}/members`, bad);
      expect(response.status).toBe(400);
    }
    const segment = await admin.post<{ id: string }>('/api/campaign-lists', { name: 'Germans', segment: { countries: ['DE'] } });
    expect(
      (
        await admin.post(`/api/campaign-lists/${segment.body.id}/members`, {
          address: 'y@site.test',
          consentSource: 'f',
          consentDate: '2026-11-02',
        })
      ).status,
    ).toBe(409);
    expect((await admin.get(`/api/campaign-lists/${segment.body.id}/members`)).status).toBe(409);
  });

  it('adds a contact to a double opt-in list as pending: counted apart, no campaign reaches it', async () => {
    const list = await admin.post<{ listId: string }>('/api/campaign-lists/import', {
      name: 'Newsletter sign-ups',
      csv: 'email,consent_source,consent_date\nbuyer+signup-old@customer.test,web form,2026-11-01\n',
      doubleOptInMailboxId: marketingId,
    });
    const added = await admin.post(`/api/campaign-lists/${list.body.listId}/members`, {
      address: 'buyer+signup-new@customer.test',
      consentSource: 'phone call',
      consentDate: '2026-11-03',
    });
    expect(added.body).toEqual({ address: 'buyer+signup-new@customer.test', status: 'pending' });
    const view = (await admin.get<Members>(`/api/campaign-lists/${list.body.listId}/members`)).body;
    expect(view.statuses).toEqual({ subscribed: 0, pending: 2, unsubscribed: 0, suppressed: 0 });
    expect(view.counts.pending).toBe(2);
  });

  it('cancels a scheduled campaign: nothing is sent, the counts say so, audited; the CLI cancels a paused one', async () => {
    const scheduled = await queue('Autumn catalogue', pier.clock.now() + DAY);
    expect(scheduled.recipients).toBe(118);
    const status = await admin.get<{ counts: Counts }>(`/api/campaigns/${scheduled.campaign}`);
    expect(status.body.counts).toMatchObject({ state: 'sending', recipients: 118, pending: 118, sent: 0, cancelled: 0 });
    const cancelled = await admin.post<Counts>(`/api/campaigns/${scheduled.campaign}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ state: 'cancelled', recipients: 118, pending: 0, sent: 0, cancelled: 118 });
    expect((await admin.post(`/api/campaigns/${scheduled.campaign}/cancel`)).status).toBe(409);
    expect((await admin.post(`/api/campaigns/${scheduled.campaign}/resume`)).status).toBe(409);
    expect((await admin.post('/api/campaigns/no-such-campaign/cancel')).status).toBe(404);
    // The day passes: the queued run finds the campaign cancelled and sends nothing.
    pier.clock.advance(DAY + 60_000);
    await waitFor(
      async () =>
        (await pier.workspace.db
          .selectFrom('jobs')
          .select('id')
          .where('name', '=', 'campaign.send')
          .where('state', '=', 'queued')
          .executeTakeFirst()) === undefined || undefined,
      'the scheduled run to have run',
    );
    expect(new Set(await recipientStates(scheduled.campaign))).toEqual(new Set(['cancelled']));
    const [record] = (await audit('campaign.cancelled')).filter((r) => r.targetId === scheduled.campaign);
    expect(record?.details).toMatchObject({ subject: 'Autumn catalogue', from: 'sending', cancelled: 118, inFlight: 0, via: 'api' });
    expect(record?.mailboxId).toBe(marketingId);

    const paused = await queue('Winter offer', pier.clock.now() + DAY);
    expect((await admin.post(`/api/campaigns/${paused.campaign}/pause`)).status).toBe(200);
    const cli = await runCli(database, ['campaign', 'cancel', paused.campaign]);
    expect(JSON.parse(cli.stdout)).toMatchObject({ state: 'cancelled', pending: 0, cancelled: 118, sent: 0 });
    const status2 = JSON.parse((await runCli(database, ['campaign', 'status', paused.campaign])).stdout);
    // The contract's keys are all still there, `cancelled` added.
    expect(Object.keys(status2)).toEqual(
      expect.arrayContaining(['campaign', 'state', 'recipients', 'pending', 'sent', 'delivered', 'bounced', 'failed', 'uncertain']),
    );
    expect(
      (await audit('campaign.cancelled')).some((r) => r.targetId === paused.campaign && (r.details as { via?: string }).via === 'cli'),
    ).toBe(true);
    await expect(runCli(database, ['campaign', 'cancel', paused.campaign])).rejects.toMatchObject({
      stderr: expect.stringContaining('cancelled'),
    });
  }, 120_000); // four CLI processes, each a cold start on a loaded bench

  it('leaves a recipient claimed at cancel time to its run; a dead run’s claim turns uncertain after the lease, never resent', async () => {
    const campaign = await queue('Spring fair', pier.clock.now() + DAY);
    const { db } = pier.workspace;
    // A run claimed lead000 (pending → sending, committed before its SMTP session) and already sent lead001.
    for (const [address, state] of [
      ['lead000@fair.test', 'sending'],
      ['lead001@fair.test', 'sent'],
    ] as const)
      await db
        .updateTable('campaign_recipients')
        .set({ state, attempts: 1, sent_at: pier.clock.now() })
        .where('campaign_id', '=', campaign.campaign)
        .where('address', '=', address)
        .execute();
    const cancelled = await admin.post<Counts>(`/api/campaigns/${campaign.campaign}/cancel`);
    expect(cancelled.body).toMatchObject({ state: 'cancelled', pending: 1, sent: 1, cancelled: 116 });
    // A run's claim that lost to the cancel sends nothing: the conditional update finds no pending row.
    const late = await db
      .updateTable('campaign_recipients')
      .set({ state: 'sending' })
      .where('campaign_id', '=', campaign.campaign)
      .where('address', '=', 'lead002@fair.test')
      .where('state', '=', 'pending')
      .executeTakeFirst();
    expect(Number(late.numUpdatedRows)).toBe(0);
    // That run died: after the lease a run marks its claim uncertain (not resent), and sends nothing else.
    pier.clock.advance(SENDING_LEASE_MS + 1000);
    const counts = await waitFor(async () => {
      const now = (await admin.get<{ counts: Counts }>(`/api/campaigns/${campaign.campaign}`)).body.counts;
      return now.uncertain === 1 ? now : undefined;
    }, 'the claim of the dead run to be marked uncertain');
    expect(counts).toMatchObject({ state: 'cancelled', pending: 0, sent: 1, uncertain: 1, cancelled: 116 });
  });

  it('shows agents of info@, or of newsletter@ itself, no member and lets them add or cancel nothing; auditors read', async () => {
    const campaign = await queue('Agents test', pier.clock.now() + DAY);
    for (const agent of agents) {
      const tried = [
        await agent.get(`/api/campaign-lists/${listId}/members`),
        await agent.get(`/api/campaign-lists/${listId}/members?q=lead`),
        await agent.post(`/api/campaign-lists/${listId}/members`, {
          address: 'z@site.test',
          consentSource: 'f',
          consentDate: '2026-11-02',
        }),
        await agent.post(`/api/campaigns/${campaign.campaign}/cancel`),
        await agent.post('/api/campaigns/no-such-campaign/cancel'),
      ];
      for (const response of tried) {
        expect(response.status).toBe(403);
        const body = JSON.stringify(response.body);
        for (const leak of ['fair.test', 'lead', 'Buyer', 'MÜLLER', 'subscribed', 'statuses', 'total', 'Agents test', 'recipients'])
          expect(body).not.toContain(leak);
      }
    }
    expect((await admin.get<{ counts: Counts }>(`/api/campaigns/${campaign.campaign}`)).body.counts.state).toBe('sending');
    expect(
      await pier.workspace.db.selectFrom('campaign_list_members').select('address').where('address', '=', 'z@site.test').execute(),
    ).toEqual([]);
    expect((await auditor.get<Members>(`/api/campaign-lists/${listId}/members?q=lead00`)).body.total).toBe(10);
    expect(
      (
        await auditor.post(`/api/campaign-lists/${listId}/members`, {
          address: 'z@site.test',
          consentSource: 'f',
          consentDate: '2026-11-02',
        })
      ).status,
    ).toBe(403);
    expect((await auditor.post(`/api/campaigns/${campaign.campaign}/cancel`)).status).toBe(403);
  });
});
