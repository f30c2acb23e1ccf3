import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailbox, grantMailboxAccess } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { addMarketingMailbox, ingestCustomerMail, NEWSLETTER } from '../support/campaigns.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { startTestPier } from '../support/pier.js';
import { runCli } from '../support/pier-process.js';
import { waitFor } from '../support/wait.js';

const boss = { email: 'boss@acme.test', name: 'Boss', password: 'correct horse battery staple' };
const DAY = 86_400_000;

type Audience = {
  matching: number;
  suppressed: number;
  recipients: number;
  sample: { address: string; name: string | null; company: string | null; country: string | null }[];
};

/**
 * Issue 21 (decision 0058): segments of the customers by tag, country, company, owner, last contact
 * and language, with a live count and preview; a saved segment is a campaign's audience by its name
 * (the CLI's `--list NAME`), and the suppression list always wins. An agent sees no segment data.
 */
describe.each(engines)('campaign segments on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let admin: ApiClient;
  let agent: ApiClient;
  let salesId = '';
  let liId = '';

  const mail = (from: string, body: string, receivedAt: number) =>
    ingestCustomerMail(pier.workspace, { mailboxId: salesId, from, body, receivedAt });
  const contactId = async (address: string) =>
    (await pier.workspace.db.selectFrom('contacts').select('id').where('address', '=', address).executeTakeFirstOrThrow()).id;
  const preview = async (segment: Record<string, unknown>) => {
    const response = await admin.post<Audience>('/api/campaign-lists/segment-preview', { segment });
    expect(response.status).toBe(200);
    return response.body;
  };
  const addresses = (a: Audience) => a.sample.map((s) => s.address);

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database);
    admin = pier.api();
    expect((await admin.post('/api/setup', boss)).status).toBe(201);
    const { db } = pier.workspace;
    salesId = (await createMailbox(db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' })).id;
    await addMarketingMailbox(pier.workspace);
    liId = (await createAccount(db, { email: 'li@acme.test', name: '李娜', password: 'agent password 1', role: 'agent' })).id;
    await grantMailboxAccess(db, liId, salesId, 'reply');
    agent = pier.api();
    expect((await agent.post('/api/auth/login', { email: 'li@acme.test', password: 'agent password 1' })).status).toBe(200);

    const now = Date.now();
    await mail(
      '李伟 <li.wei@ningbo-tools.cn>',
      '您好，我们想订购五百件扳手，请尽快报价并告知交货期。谢谢！我们下个月还有一批新的订单需要确认。',
      now - 2 * DAY,
    );
    await mail(
      'Jürgen Müller <juergen@hanse-import.de>',
      'Guten Tag, wir möchten gerne fünfhundert Schraubenschlüssel bestellen. Bitte schicken Sie uns ein Angebot mit Lieferzeit und Preisen.',
      now - 5 * DAY,
    );
    await mail(
      'Anna Berg <anna@hanse-import.de>',
      'Hello, could you please send us your latest catalogue and the price list for the new LED panels? We would like to order soon.',
      now - 10 * DAY,
    );
    await mail(
      'Old Customer <old@quiet-trading.co.uk>',
      'Hello, thank you for the shipment last year, everything arrived in good order and our customers are happy with it.',
      now - 400 * DAY,
    );
    // The language of each sender's latest mail is detected by the mail-facts subscriber, after storing.
    await waitFor(async () => {
      const rows = await db.selectFrom('messages').select('language').where('language', 'is not', null).execute();
      return rows.length >= 3 ? rows : undefined;
    }, 'the languages of the mail to be detected');
    expect(
      (await admin.patch(`/api/customers/contacts/${await contactId('li.wei@ningbo-tools.cn')}`, { tags: ['VIP', '展会'], ownerId: liId }))
        .status,
    ).toBe(200);
    expect((await admin.patch(`/api/customers/contacts/${await contactId('juergen@hanse-import.de')}`, { tags: ['VIP'] })).status).toBe(
      200,
    );
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  it('counts and previews a segment by tag, owner, country, company, language and last contact', async () => {
    expect(addresses(await preview({}))).toEqual([
      'anna@hanse-import.de',
      'juergen@hanse-import.de',
      'li.wei@ningbo-tools.cn',
      'old@quiet-trading.co.uk',
    ]);
    expect(addresses(await preview({ tags: ['VIP'] }))).toEqual(['juergen@hanse-import.de', 'li.wei@ningbo-tools.cn']);
    expect(addresses(await preview({ tags: ['展会'] }))).toEqual(['li.wei@ningbo-tools.cn']);
    // A tag is matched whole: "VI" is not "VIP".
    expect((await preview({ tags: ['VI'] })).matching).toBe(0);
    expect(addresses(await preview({ owners: [liId] }))).toEqual(['li.wei@ningbo-tools.cn']);
    expect(addresses(await preview({ owners: ['none'], tags: ['VIP'] }))).toEqual(['juergen@hanse-import.de']);
    expect(addresses(await preview({ countries: ['DE'] }))).toEqual(['anna@hanse-import.de', 'juergen@hanse-import.de']);
    expect(addresses(await preview({ companyDomains: ['HANSE-import.de'] }))).toEqual(['anna@hanse-import.de', 'juergen@hanse-import.de']);
    expect(addresses(await preview({ languages: ['zh'] }))).toEqual(['li.wei@ningbo-tools.cn']);
    expect(addresses(await preview({ languages: ['de', 'en'], countries: ['DE'] }))).toEqual([
      'anna@hanse-import.de',
      'juergen@hanse-import.de',
    ]);
    expect(addresses(await preview({ contactedWithinDays: 7 }))).toEqual(['juergen@hanse-import.de', 'li.wei@ningbo-tools.cn']);
    expect(addresses(await preview({ quietForDays: 365 }))).toEqual(['old@quiet-trading.co.uk']);
    const one = await preview({ tags: ['展会'] });
    expect(one).toEqual({
      matching: 1,
      suppressed: 0,
      recipients: 1,
      sample: [{ address: 'li.wei@ningbo-tools.cn', name: '李伟', company: expect.any(String), country: 'CN' }],
    });
  });

  it('saves a segment that a campaign goes to by name, and the suppression list always wins', async () => {
    const saved = await admin.post<{ id: string }>('/api/campaign-lists', { name: 'VIP customers', segment: { tags: ['VIP'] } });
    expect(saved.status).toBe(200);
    // One namespace for lists and segments: the name says which audience `--list NAME` means.
    expect((await admin.post('/api/campaign-lists', { name: 'VIP customers', segment: { countries: ['DE'] } })).status).toBe(409);
    expect((await admin.post('/api/campaign-suppressions', { address: 'Juergen@hanse-import.de' })).status).toBe(200);

    const live = await preview({ tags: ['VIP'] });
    expect(live).toMatchObject({ matching: 2, suppressed: 1, recipients: 1 });
    expect(addresses(live)).toEqual(['li.wei@ningbo-tools.cn']);
    const stored = await admin.get<Audience>(`/api/campaign-lists/${saved.body.id}/preview`);
    expect(stored.body).toMatchObject({ matching: 2, suppressed: 1, recipients: 1 });
    const lists = await admin.get<{ lists: { name: string; kind: string; members: number; suppressed: number; recipients: number }[] }>(
      '/api/campaign-lists',
    );
    expect(lists.body.lists).toContainEqual(
      expect.objectContaining({ name: 'VIP customers', kind: 'segment', members: 2, suppressed: 1, recipients: 1 }),
    );

    // The CLI saves a segment too (owner by email, the pool as "none") and reports its size now.
    const cliSaved = await runCli(database, ['campaign', 'save-segment', '--name', 'Pool in DE', '--owner', 'none', '--country', 'de']);
    expect(JSON.parse(cliSaved.stdout)).toMatchObject({ name: 'Pool in DE', matching: 2, suppressed: 1, recipients: 1 });
    const byOwner = await runCli(database, ['campaign', 'save-segment', '--name', 'Li', '--owner', 'li@acme.test', '--language', 'zh']);
    expect(JSON.parse(byOwner.stdout)).toMatchObject({ matching: 1, recipients: 1 });

    // The contract: `campaign send --list NAME` with a segment's name; the suppressed address gets no row.
    const html = `${database.dataDir}/seg.html`;
    const text = `${database.dataDir}/seg.txt`;
    const { writeFile } = await import('node:fs/promises');
    await writeFile(html, '<p>Dear {{name}},</p><p>news.</p>');
    await writeFile(text, 'Dear {{name}},\nnews.\n');
    // Due in a day: the test reads the queued rows, it does not send.
    const sent = await runCli(database, [
      'campaign',
      'send',
      '--mailbox',
      NEWSLETTER,
      '--list',
      'VIP customers',
      '--subject',
      'Spring news',
      '--html-file',
      html,
      '--text-file',
      text,
      '--local-time',
      new Date(Date.now() - 3_600_000).toISOString().slice(11, 16),
      '--company-time-zone',
      'UTC',
    ]);
    const queued = JSON.parse(sent.stdout) as { campaign: string; recipients: number };
    expect(queued.recipients).toBe(1);
    const rows = await pier.workspace.db
      .selectFrom('campaign_recipients')
      .select(['address', 'name'])
      .where('campaign_id', '=', queued.campaign)
      .execute();
    expect(rows).toEqual([{ address: 'li.wei@ningbo-tools.cn', name: '李伟' }]);
    await runCli(database, ['campaign', 'pause', queued.campaign]);
  });

  it('shows an agent no segment, count or address', async () => {
    const tried = [
      await agent.post('/api/campaign-lists/segment-preview', { segment: { tags: ['VIP'] } }),
      await agent.get('/api/campaign-lists'),
    ];
    for (const response of tried) {
      expect(response.status).toBe(403);
      const body = JSON.stringify(response.body);
      expect(body).not.toContain('li.wei@');
      expect(body).not.toContain('VIP');
      expect(body).not.toContain('matching');
    }
    const list = await admin.get<{ lists: { id: string }[] }>('/api/campaign-lists');
    const one = await agent.get(`/api/campaign-lists/${list.body.lists[0]?.id}/preview`);
    expect(one.status).toBe(403);
    expect(JSON.stringify(one.body)).not.toContain('@');
  });
});
