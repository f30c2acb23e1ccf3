import type { AuditPage } from '@pier/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderForRecipient } from '../../src/modules/campaigns/mail.js';
import { createMailbox, grantMailboxAccess } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { addMarketingMailbox, ingestCustomerMail } from '../support/campaigns.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { startTestPier } from '../support/pier.js';
import { runCli } from '../support/pier-process.js';

const boss = { email: 'boss@acme.test', name: 'Boss', password: 'correct horse battery staple' };
const DAY = 86_400_000;

type Audience = { matching: number; suppressed: number; recipients: number; sample: { address: string }[] };
type Lists = { lists: { id: string; name: string; kind: string; segment: Record<string, unknown> | null; members: number }[] };
type Links = { campaign: string; links: { url: string; uniqueClicks: number; totalClicks: number }[] | null };

/**
 * Decision 0060 (issue 21): a saved segment is edited (renamed, rules replaced, its audience counted
 * again) and deleted, never while a campaign goes to it, audited; segments by the company's tags and
 * by who owns someone at the company; clicks per tracked link. Agents — of another mailbox, or
 * managing newsletter@ itself — see and change nothing, and their answers carry no customer data.
 */
describe.each(engines)('campaign segment editing and link clicks on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let admin: ApiClient;
  const agents: ApiClient[] = [];
  let salesId = '';
  let liId = '';
  let wangId = '';
  let marketingId = '';

  const mail = (from: string, receivedAt: number) => ingestCustomerMail(pier.workspace, { mailboxId: salesId, from, receivedAt });
  const contactOf = async (address: string) =>
    pier.workspace.db.selectFrom('contacts').select(['id', 'company_id']).where('address', '=', address).executeTakeFirstOrThrow();
  const preview = async (segment: Record<string, unknown>) => {
    const response = await admin.post<Audience>('/api/campaign-lists/segment-preview', { segment });
    expect(response.status).toBe(200);
    return response.body.sample.map((s) => s.address);
  };
  const lists = async () => (await admin.get<Lists>('/api/campaign-lists')).body.lists;
  const audit = async (action: string) => (await admin.get<AuditPage>(`/api/audit?action=${action}`)).body.items;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database);
    admin = pier.api();
    expect((await admin.post('/api/setup', boss)).status).toBe(201);
    const { db } = pier.workspace;
    salesId = (await createMailbox(db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' })).id;
    const infoId = (await createMailbox(db, { address: 'info@acme.test', displayName: 'Info', purpose: 'sales' })).id;
    marketingId = (await addMarketingMailbox(pier.workspace)).id;
    liId = (await createAccount(db, { email: 'li@acme.test', name: '李娜', password: 'agent password 1', role: 'agent' })).id;
    wangId = (await createAccount(db, { email: 'wang@acme.test', name: '王强', password: 'agent password 2', role: 'agent' })).id;
    // Li works info@ only; Wang manages newsletter@ itself: neither is an admin, so neither touches segments.
    await grantMailboxAccess(db, liId, infoId, 'reply');
    await grantMailboxAccess(db, wangId, marketingId, 'manage');
    for (const [email, password] of [
      ['li@acme.test', 'agent password 1'],
      ['wang@acme.test', 'agent password 2'],
    ] as const) {
      const client = pier.api();
      expect((await client.post('/api/auth/login', { email, password })).status).toBe(200);
      agents.push(client);
    }

    const now = Date.now();
    await mail('Zhang Wei <zhang@ningbo-tools.cn>', now - DAY);
    await mail('Chen Jing <chen@ningbo-tools.cn>', now - 3 * DAY);
    await mail('Jürgen Müller <juergen@hanse-import.de>', now - 5 * DAY);
    await mail('Old Customer <old@quiet-trading.co.uk>', now - 40 * DAY);
    // Li owns Zhang (not Chen, a colleague at the same company); Wang owns the British customer.
    const zhang = await contactOf('zhang@ningbo-tools.cn');
    expect((await admin.patch(`/api/customers/contacts/${zhang.id}`, { ownerId: liId })).status).toBe(200);
    expect(
      (await admin.patch(`/api/customers/contacts/${(await contactOf('old@quiet-trading.co.uk')).id}`, { ownerId: wangId })).status,
    ).toBe(200);
    // Company tags, on the company, not on its people.
    expect((await admin.patch(`/api/customers/companies/${zhang.company_id}`, { tags: ['Distributor', '展会2026'] })).status).toBe(200);
    const hanse = await contactOf('juergen@hanse-import.de');
    expect((await admin.patch(`/api/customers/companies/${hanse.company_id}`, { tags: ['Distributor-EU'] })).status).toBe(200);
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  it("segments by the company's tags and by who owns someone at the company", async () => {
    expect(await preview({ companyTags: ['Distributor'] })).toEqual(['chen@ningbo-tools.cn', 'zhang@ningbo-tools.cn']);
    expect(await preview({ companyTags: ['展会2026', 'Distributor-EU'] })).toEqual([
      'chen@ningbo-tools.cn',
      'juergen@hanse-import.de',
      'zhang@ningbo-tools.cn',
    ]);
    // A company tag is not a contact tag.
    expect(await preview({ tags: ['Distributor'] })).toEqual([]);
    // The customer's own owner: Zhang only; "their company's": Chen too, a colleague at Li's customer.
    expect(await preview({ owners: [liId] })).toEqual(['zhang@ningbo-tools.cn']);
    expect(await preview({ companyOwners: [liId] })).toEqual(['chen@ningbo-tools.cn', 'zhang@ningbo-tools.cn']);
    expect(await preview({ companyOwners: [wangId] })).toEqual(['old@quiet-trading.co.uk']);
    expect(await preview({ companyOwners: [liId], contactedWithinDays: 2 })).toEqual(['zhang@ningbo-tools.cn']);
  });

  it('renames a segment and replaces its rules, counted again and audited; names stay unique', async () => {
    const saved = await admin.post<{ id: string }>('/api/campaign-lists', {
      name: 'Ningbo',
      segment: { companyDomains: ['ningbo-tools.cn'] },
    });
    expect(saved.status).toBe(200);
    await admin.post('/api/campaign-lists', { name: 'Taken', segment: {} });
    const edited = await admin.patch(`/api/campaign-lists/${saved.body.id}`, {
      name: '  Distributors  ',
      segment: { companyTags: ['Distributor', 'Distributor-EU'] },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toEqual({
      id: saved.body.id,
      name: 'Distributors',
      segment: { companyTags: ['Distributor', 'Distributor-EU'] },
      matching: 3,
      suppressed: 0,
      recipients: 3,
    });
    expect((await admin.patch(`/api/campaign-lists/${saved.body.id}`, { name: 'Again' })).body).toMatchObject({
      name: 'Again',
      segment: { companyTags: ['Distributor', 'Distributor-EU'] },
      matching: 3,
    });
    const listed = (await lists()).find((l) => l.id === saved.body.id);
    expect(listed).toMatchObject({
      name: 'Again',
      kind: 'segment',
      segment: { companyTags: ['Distributor', 'Distributor-EU'] },
      members: 3,
    });

    const clash = await admin.patch(`/api/campaign-lists/${saved.body.id}`, { name: 'Taken' });
    expect(clash.status).toBe(409);
    expect(JSON.stringify(clash.body)).toContain('Taken');
    expect((await admin.patch('/api/campaign-lists/no-such-list', { name: 'x' })).status).toBe(404);
    expect((await admin.patch(`/api/campaign-lists/${saved.body.id}`, {})).status).toBe(400);
    // A static list is not a segment: its members carry consent records.
    const imported = await admin.post<{ listId: string }>('/api/campaign-lists/import', {
      name: 'Fair leads',
      csv: 'email,consent_source,consent_date\nbuyer@fair.test,Canton Fair form,2026-10-15\n',
    });
    expect((await admin.patch(`/api/campaign-lists/${imported.body.listId}`, { name: 'Other' })).status).toBe(409);
    expect((await admin.request('DELETE', `/api/campaign-lists/${imported.body.listId}`)).status).toBe(409);

    const records = (await audit('campaign.segment_updated')).filter((r) => r.targetId === saved.body.id);
    expect(records.map((r) => r.details)).toContainEqual(
      expect.objectContaining({
        before: { name: 'Ningbo', segment: { companyDomains: ['ningbo-tools.cn'] } },
        after: { name: 'Distributors', segment: { companyTags: ['Distributor', 'Distributor-EU'] } },
        via: 'api',
      }),
    );
    expect(records.length).toBe(2);
  });

  it('shows agents of another mailbox, or of newsletter@ itself, nothing and lets them change nothing', async () => {
    const segment = (await lists()).find((l) => l.name === 'Again');
    if (!segment) throw new Error('the segment of the previous test');
    for (const agent of agents) {
      const tried = [
        await agent.patch(`/api/campaign-lists/${segment.id}`, { name: 'Mine', segment: {} }),
        await agent.request('DELETE', `/api/campaign-lists/${segment.id}`),
        await agent.get(`/api/campaign-lists/${segment.id}/preview`),
        await agent.post('/api/campaign-lists/segment-preview', { segment: { companyOwners: [liId] } }),
        await agent.get('/api/campaign-lists'),
        await agent.get('/api/campaigns'),
      ];
      for (const response of tried) {
        expect(response.status).toBe(403);
        const body = JSON.stringify(response.body);
        for (const leak of ['@ningbo-tools', 'juergen', 'quiet-trading', 'Distributor', 'Again', 'matching', 'segment'])
          expect(body).not.toContain(leak);
      }
    }
    expect((await lists()).find((l) => l.id === segment.id)).toMatchObject({
      name: 'Again',
      segment: { companyTags: ['Distributor', 'Distributor-EU'] },
    });
    expect((await audit('campaign.segment_')).every((r) => r.actorId !== liId && r.actorId !== wangId)).toBe(true);
  });

  it('refuses to delete a segment a sending or paused campaign goes to, deletes an unused one, audited', async () => {
    const segment = (await lists()).find((l) => l.name === 'Again');
    if (!segment) throw new Error('the segment of the earlier test');
    // Scheduled for tomorrow: queued ("sending"), nothing leaves during the test.
    const queued = await admin.post<{ campaign: string; recipients: number }>('/api/campaigns', {
      mailboxId: marketingId,
      listId: segment.id,
      subject: 'Autumn catalogue',
      html: '<p>Hi {{name}}</p>',
      text: 'Hi {{name}}',
      sendAt: Date.now() + DAY,
    });
    expect(queued.body.recipients).toBe(3);
    const refused = await admin.request<{ message: string }>('DELETE', `/api/campaign-lists/${segment.id}`);
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toContain('“Autumn catalogue” (sending)');
    expect((await admin.post(`/api/campaigns/${queued.body.campaign}/pause`)).status).toBe(200);
    const stillRefused = await admin.request('DELETE', `/api/campaign-lists/${segment.id}`);
    expect(stillRefused.status).toBe(409);
    expect(JSON.stringify(stillRefused.body)).toContain('(paused)');
    // The CLI says the same, and fails.
    await expect(runCli(database, ['campaign', 'delete-segment', 'Again'])).rejects.toMatchObject({
      stderr: expect.stringContaining('cannot be deleted while a campaign goes to it'),
    });
    expect((await lists()).some((l) => l.id === segment.id)).toBe(true);

    const spare = await admin.post<{ id: string }>('/api/campaign-lists', { name: 'Spare', segment: { countries: ['GB'] } });
    const gone = await admin.request('DELETE', `/api/campaign-lists/${spare.body.id}`);
    expect(gone.status).toBe(200);
    expect(gone.body).toEqual({ deleted: true });
    expect((await lists()).some((l) => l.id === spare.body.id)).toBe(false);
    expect((await admin.request('DELETE', `/api/campaign-lists/${spare.body.id}`)).status).toBe(404);
    const [record] = (await audit('campaign.segment_deleted')).filter((r) => r.targetId === spare.body.id);
    expect(record?.details).toMatchObject({ name: 'Spare', segment: { countries: ['GB'] }, via: 'api' });
    expect(record?.actorId).not.toBeNull();
  });

  it('edits and deletes a segment through the CLI', async () => {
    await runCli(database, ['campaign', 'save-segment', '--name', 'Li accounts', '--company-owner', 'li@acme.test']);
    const edited = await runCli(database, [
      'campaign',
      'edit-segment',
      'Li accounts',
      '--rename',
      'Wang accounts',
      '--company-owner',
      'wang@acme.test',
    ]);
    expect(JSON.parse(edited.stdout)).toMatchObject({ name: 'Wang accounts', matching: 1, recipients: 1 });
    expect((await lists()).find((l) => l.name === 'Wang accounts')?.segment).toEqual({ companyOwners: [wangId] });
    const deleted = await runCli(database, ['campaign', 'delete-segment', 'Wang accounts']);
    expect(JSON.parse(deleted.stdout)).toMatchObject({ name: 'Wang accounts', deleted: true });
    expect((await lists()).some((l) => l.name === 'Wang accounts')).toBe(false);
    expect((await audit('campaign.segment_deleted')).some((r) => (r.details as { via?: string }).via === 'cli')).toBe(true);
  });

  it('counts clicks per tracked link: unique and total, links nobody clicked at 0', async () => {
    const segment = await admin.post<{ id: string }>('/api/campaign-lists', {
      name: 'Ningbo only',
      segment: { companyDomains: ['ningbo-tools.cn'] },
    });
    const html = [
      `<p>Hi {{name}}, <a href='https://shop.acme.test/led?a=1&amp;b=2'>LED panels</a>,`,
      `<a href=https://shop.acme.test/catalogue.pdf>catalogue</a>,`,
      `<a href="https://shop.acme.test/fair">fair</a>,`,
      `<a href="mailto:sales@acme.test">mail us</a>, <a href="tel:+862155550100">call</a>, <a href="#top">top</a></p>`,
      `<p><a href="{{unsubscribe_url}}">Unsubscribe</a></p>`,
    ].join('');
    const queued = await admin.post<{ campaign: string; recipients: number }>('/api/campaigns', {
      mailboxId: marketingId,
      listId: segment.body.id,
      subject: 'LED panels',
      html,
      text: 'Hi {{name}}',
      sendAt: Date.now() + DAY,
      trackClicks: true,
    });
    expect(queued.body.recipients).toBe(2);
    const { db, unsubscribeKey } = pier.workspace;
    const campaign = await db.selectFrom('campaigns').selectAll().where('id', '=', queued.body.campaign).executeTakeFirstOrThrow();
    const recipients = await db
      .selectFrom('campaign_recipients')
      .selectAll()
      .where('campaign_id', '=', campaign.id)
      .orderBy('address')
      .execute();
    // Each recipient's HTML as the mail carries it (the code that builds the MIME).
    const tracked = async (i: number) => {
      const recipient = recipients[i];
      if (!recipient) throw new Error('two recipients');
      const { html: out } = await renderForRecipient(campaign, recipient, { baseUrl: 'https://pier.acme.test', key: unsubscribeKey });
      expect(out).toContain('href="mailto:sales@acme.test"');
      expect(out).toContain('href="tel:+862155550100"');
      expect(out).toContain('href="#top"');
      expect(out).toContain('href="https://pier.acme.test/unsubscribe/');
      return [...out.matchAll(/href="https:\/\/pier\.acme\.test(\/c\?t=[^"]+)"/g)].map((m) => m[1] ?? '');
    };
    const [chenLed, chenCatalogue] = await tracked(0);
    const [zhangLed] = await tracked(1);
    if (!chenLed || !chenCatalogue || !zhangLed) throw new Error('three tracked links a mail');
    // Clicked as a mail reader does: no sign-in, the redirect not followed (shop.acme.test is not there).
    const click = (path: string) => fetch(new URL(path, pier.url), { redirect: 'manual' });
    for (const path of [chenLed, chenLed, chenCatalogue, zhangLed]) expect((await click(path)).status).toBe(302);
    expect((await click(chenLed)).headers.get('location')).toBe('https://shop.acme.test/led?a=1&b=2');

    const links = await admin.get<Links>(`/api/campaigns/${campaign.id}/links`);
    expect(links.status).toBe(200);
    expect(links.body).toEqual({
      campaign: campaign.id,
      links: [
        { url: 'https://shop.acme.test/led?a=1&b=2', uniqueClicks: 2, totalClicks: 4 },
        { url: 'https://shop.acme.test/catalogue.pdf', uniqueClicks: 1, totalClicks: 1 },
        { url: 'https://shop.acme.test/fair', uniqueClicks: 0, totalClicks: 0 },
      ],
    });
    expect((await admin.get<{ counts: { clicked: number } }>(`/api/campaigns/${campaign.id}`)).body.counts.clicked).toBe(2);
    // A campaign that does not track has no link table, not zeros.
    const untracked = await db.selectFrom('campaigns').select('id').where('subject', '=', 'Autumn catalogue').executeTakeFirstOrThrow();
    expect((await admin.get<Links>(`/api/campaigns/${untracked.id}/links`)).body.links).toBeNull();
    for (const agent of agents) {
      const response = await agent.get(`/api/campaigns/${campaign.id}/links`);
      expect(response.status).toBe(403);
      expect(JSON.stringify(response.body)).not.toContain('shop.acme.test');
    }
  });
});
