import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ContactDetail, ContactList, CsvImportResult, CustomerTimeline } from '@pier/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestMail } from '../../src/modules/conversations/index.js';
import { createMailbox, grantMailboxAccess, loadOwnAddresses } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { startTestPier } from '../support/pier.js';
import { runCli } from '../support/pier-process.js';
import { waitFor } from '../support/wait.js';

const boss = { email: 'boss@acme.test', name: 'Boss', password: 'correct horse battery staple' };
const DAY = 86_400_000;

/**
 * Issue 19 (decision 0048): the customers directory on both engines — search in Chinese and with
 * non-ASCII case, edit and ownership rules, a timeline that shows an agent only the conversations
 * of the mailboxes they may read (response bodies read for leaks), merge, the handover in the
 * deactivation, the pool sweep on the movable clock through the worker, and the CSV CLI contract.
 */
describe.each(engines)('customers on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let admin: ApiClient;
  let li: ApiClient;
  let wang: ApiClient;
  const ids = {} as Record<'li' | 'wang' | 'sales' | 'accounting' | 'liwei' | 'juergen', string>;
  let n = 0;

  async function mail(m: { from: string; to: string; subject: string; body: string }, mailbox: 'sales' | 'accounting') {
    const { db, blobs, engine: e, messageIds, recordReopened, teamActivity } = pier.workspace;
    const ctx = { engine: e, ownAddresses: await loadOwnAddresses(db), messageIds, recordReopened, teamActivity };
    const raw = [
      `Message-ID: <c${++n}-${Math.random().toString(36).slice(2)}@x.test>`,
      `From: ${m.from}`,
      `To: ${m.to}`,
      `Subject: ${m.subject}`,
      `Date: ${new Date(pier.clock.now()).toUTCString()}`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      m.body,
      '',
    ].join('\r\n');
    await ingestMail({ db, blobs, ctx }, { raw: Buffer.from(raw), mailboxIds: [ids[mailbox]], source: 'imap' });
  }
  const contactId = async (address: string) =>
    (await pier.workspace.db.selectFrom('contacts').select('id').where('address', '=', address).executeTakeFirstOrThrow()).id;
  const search = async (client: ApiClient, q: string) =>
    (await client.get<ContactList>(`/api/customers/contacts?q=${encodeURIComponent(q)}`)).body.items.map((c) => c.address);

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database);
    admin = pier.api();
    expect((await admin.post('/api/setup', boss)).status).toBe(201);
    const { db } = pier.workspace;
    ids.sales = (await createMailbox(db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' })).id;
    ids.accounting = (await createMailbox(db, { address: 'accounting@acme.test', displayName: 'Accounting', purpose: 'accounting' })).id;
    ids.li = (await createAccount(db, { email: 'li@acme.test', name: '李娜', password: 'agent password 1', role: 'agent' })).id;
    ids.wang = (await createAccount(db, { email: 'wang@acme.test', name: '王芳', password: 'agent password 2', role: 'agent' })).id;
    await grantMailboxAccess(db, ids.li, ids.sales, 'reply');
    await grantMailboxAccess(db, ids.wang, ids.sales, 'reply');
    li = pier.api();
    expect((await li.post('/api/auth/login', { email: 'li@acme.test', password: 'agent password 1' })).status).toBe(200);
    wang = pier.api();
    expect((await wang.post('/api/auth/login', { email: 'wang@acme.test', password: 'agent password 2' })).status).toBe(200);
    await mail({ from: '李伟 <li.wei@ningbo-tools.cn>', to: 'sales@acme.test', subject: '询价：扳手 500 件', body: '请报价' }, 'sales');
    await mail(
      { from: '李伟 <li.wei@ningbo-tools.cn>', to: 'accounting@acme.test', subject: 'Invoice SECRET-ACCT-42', body: 'IBAN secret' },
      'accounting',
    );
    await mail({ from: 'Jürgen Müller <juergen@hanse-import.de>', to: 'sales@acme.test', subject: 'Order 7', body: 'Hallo' }, 'sales');
    ids.liwei = await contactId('li.wei@ningbo-tools.cn');
    ids.juergen = await contactId('juergen@hanse-import.de');
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  it('finds customers by Chinese name, by domain, and by a non-ASCII name in another case', async () => {
    expect(await search(li, '李伟')).toEqual(['li.wei@ningbo-tools.cn']);
    expect(await search(li, 'NINGBO-tools')).toEqual(['li.wei@ningbo-tools.cn']);
    // SQLite's lower() folds ASCII only: "MÜLLER" finds "Müller" because the text is folded in JavaScript.
    expect(await search(li, 'MÜLLER')).toEqual(['juergen@hanse-import.de']);
    expect(await search(li, '100%')).toEqual([]);
    const companies = await li.get<{ items: { domain: string; contacts: number }[] }>('/api/customers/companies?q=hanse');
    expect(companies.body.items).toEqual([expect.objectContaining({ domain: 'hanse-import.de', contacts: 1 })]);
  });

  it('lets an agent claim a customer from the pool and edit it; a colleague may not edit it then', async () => {
    const claimed = await li.patch<ContactDetail>(`/api/customers/contacts/${ids.liwei}`, {
      ownerId: ids.li,
    });
    expect(claimed.status).toBe(200);
    const edited = await li.patch<ContactDetail>(`/api/customers/contacts/${ids.liwei}`, {
      country: 'CN',
      phones: [{ phone: '0574 8888 1234', label: '办公室' }],
      tags: ['VIP', '展会'],
      customFields: { Incoterms: 'FOB 宁波' },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      owner: { id: ids.li, name: '李娜' },
      phones: [{ phone: '+8657488881234', label: '办公室', verified: false }],
      tags: ['VIP', '展会'],
      customFields: { Incoterms: 'FOB 宁波' },
    });
    expect(await search(wang, '574 8888 1234')).toEqual(['li.wei@ningbo-tools.cn']);
    expect((await wang.patch(`/api/customers/contacts/${ids.liwei}`, { name: 'x' })).status).toBe(403);
    expect((await wang.patch(`/api/customers/contacts/${ids.liwei}`, { ownerId: ids.wang })).status).toBe(409);
    const mine = await li.get<ContactList>('/api/customers/contacts?owner=me&tag=VIP');
    expect(mine.body.items.map((c) => c.address)).toEqual(['li.wei@ningbo-tools.cn']);
    expect((await li.get<ContactList>('/api/customers/contacts?owner=none')).body.items.map((c) => c.address)).toEqual([
      'juergen@hanse-import.de',
    ]);
    expect((await li.post(`/api/customers/contacts/${ids.liwei}/notes`, { body: '春季广交会见过面' })).status).toBe(201);
  });

  it("records an admin's claim from the pool as a claim, a return to the pool as a release, and giving it to someone as an assignment", async () => {
    await mail({ from: 'Olga <olga@baltic-tools.lv>', to: 'sales@acme.test', subject: 'Catalogue', body: 'Please send it' }, 'sales');
    const olga = await contactId('olga@baltic-tools.lv');
    const { db } = pier.workspace;
    const bossId = (await db.selectFrom('users').select('id').where('email', '=', boss.email).executeTakeFirstOrThrow()).id;
    for (const ownerId of [bossId, null, ids.li, null]) {
      pier.clock.advance(60_000); // the timeline is newest first: one change a minute keeps their order
      expect((await admin.patch(`/api/customers/contacts/${olga}`, { ownerId })).status).toBe(200);
    }
    const timeline = await admin.get<CustomerTimeline>(`/api/customers/contacts/${olga}/timeline`);
    const owners = timeline.body.items.flatMap((i) => (i.kind === 'owner' ? [{ owner: i.owner, reason: i.reason, actor: i.actor }] : []));
    expect(owners.reverse()).toEqual([
      { owner: 'Boss', reason: 'claimed', actor: 'Boss' },
      { owner: null, reason: 'released', actor: 'Boss' },
      { owner: '李娜', reason: 'assigned', actor: 'Boss' },
      { owner: null, reason: 'released', actor: 'Boss' },
    ]);
    const audited = await db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'customer.owner_changed')
      .where('target_id', '=', olga)
      .orderBy('seq')
      .execute();
    expect(audited.map((a) => JSON.parse(a.details).reason)).toEqual(['claimed', 'released', 'assigned', 'released']);
  });

  it('shows an agent only the conversations of mailboxes they may read in a timeline', async () => {
    for (const url of [
      `/api/customers/contacts/${ids.liwei}/timeline`,
      `/api/customers/companies/${await companyOf(ids.liwei)}/timeline`,
    ]) {
      const asLi = await li.get<CustomerTimeline>(url);
      expect(asLi.status).toBe(200);
      const text = JSON.stringify(asLi.body);
      expect(text).toContain('询价：扳手 500 件');
      expect(text).not.toContain('SECRET-ACCT');
      expect(text).not.toContain('accounting@');
      expect(asLi.body.items.map((i) => i.kind)).toEqual(expect.arrayContaining(['conversation', 'note', 'owner']));
      const asBoss = JSON.stringify((await admin.get<CustomerTimeline>(url)).body);
      expect(asBoss).toContain('SECRET-ACCT-42');
    }
  });

  it('merges a duplicate: it leaves the directory and its mail joins the kept contact’s timeline', async () => {
    await mail({ from: '李伟 <liwei.ningbo@gmail.com>', to: 'sales@acme.test', subject: 'From my gmail', body: 'hi' }, 'sales');
    const dup = await contactId('liwei.ningbo@gmail.com');
    const merged = await li.post('/api/customers/merge', { keepId: ids.liwei, mergeIds: [dup] });
    expect(merged.body).toEqual({ kept: ids.liwei, merged: 1 });
    expect(await search(li, '李伟')).toEqual(['li.wei@ningbo-tools.cn']);
    expect(await search(li, 'liwei.ningbo@gmail')).toEqual(['li.wei@ningbo-tools.cn']);
    const timeline = await li.get<CustomerTimeline>(`/api/customers/contacts/${ids.liwei}/timeline`);
    expect(JSON.stringify(timeline.body)).toContain('From my gmail');
    expect((await li.get<ContactDetail>(`/api/customers/contacts/${dup}`)).body.id).toBe(ids.liwei);
  });

  it('hands a departing agent’s customers and open conversations to a colleague in the deactivation, audited', async () => {
    const open = await admin.get<{ customers?: number }>(`/api/users/${ids.li}/open-conversations`);
    expect(open.body.customers).toBe(1);
    const result = await admin.post<{ customers?: number }>(`/api/users/${ids.li}/deactivate`, { reassignTo: { userId: ids.wang } });
    expect(result.status).toBe(200);
    expect(result.body.customers).toBe(1);
    const detail = await wang.get<ContactDetail>(`/api/customers/contacts/${ids.liwei}`);
    expect(detail.body.owner).toEqual({ id: ids.wang, name: '王芳' });
    const audit = await pier.workspace.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'user.deactivated')
      .where('target_id', '=', ids.li)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.details)).toMatchObject({ customers: 1 });
    const timeline = await wang.get<CustomerTimeline>(`/api/customers/contacts/${ids.liwei}/timeline`);
    expect(timeline.body.items).toContainEqual(expect.objectContaining({ kind: 'owner', reason: 'handover', owner: '王芳' }));
  });

  it('keeps the CSV contract: contacts export (UTF-8 with BOM) and contacts import by header names', async () => {
    const out = path.join(database.dataDir, 'customers.csv');
    const exported = await runCli(database, ['contacts', 'export', '--to', out]);
    expect(JSON.parse(exported.stdout)).toMatchObject({ file: out });
    const bytes = await readFile(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toContain('li.wei@ningbo-tools.cn,李伟,ningbo-tools.cn');
    expect(text).toContain("'+8657488881234");
    expect(text).toContain('custom:Incoterms');
    const input = path.join(database.dataDir, 'import.csv');
    await writeFile(
      input,
      '\uFEFF邮箱,姓名,公司,国家,电话,标签,负责人,Payment\r\nnew@osaka-trade.co.jp,田中,Osaka Trade,JP,+81 6 1234 5678,新客户,wang@acme.test,T/T\r\nnot-an-address,,,,,,,\r\n',
    );
    const imported = await runCli(database, ['contacts', 'import', input]);
    const result = JSON.parse(imported.stdout) as CsvImportResult;
    expect(result).toEqual({ created: 1, updated: 0, skipped: [{ line: 3, reason: expect.stringContaining('no valid email') }] });
    const found = await admin.get<ContactList>('/api/customers/contacts?q=田中');
    expect(found.body.items).toEqual([
      expect.objectContaining({
        address: 'new@osaka-trade.co.jp',
        company: expect.objectContaining({ name: 'Osaka Trade', domain: 'osaka-trade.co.jp' }),
        country: 'JP',
        tags: ['新客户'],
        owner: { id: ids.wang, name: '王芳' },
      }),
    ]);
    const detail = await admin.get<ContactDetail>(`/api/customers/contacts/${found.body.items[0]?.id}`);
    expect(detail.body.customFields).toEqual({ Payment: 'T/T' });
  });

  it('returns an owned customer without mail to the pool after a notice to its owner (worker, moved clock)', async () => {
    expect((await admin.put('/api/customers/pool-settings', { enabled: true, days: 30, noticeDays: 5 })).status).toBe(200);
    const { db } = pier.workspace;
    pier.clock.advance(26 * DAY);
    const notice = await waitFor(
      async () =>
        db
          .selectFrom('notifications')
          .select('data')
          .where('user_id', '=', ids.wang)
          .where('kind', '=', 'customer_pool_notice')
          .executeTakeFirst(),
      'the pool notice',
    );
    expect(JSON.parse(notice.data)).toMatchObject({ contactId: ids.liwei, address: 'li.wei@ningbo-tools.cn' });
    expect((await db.selectFrom('contacts').select('owner_id').where('id', '=', ids.liwei).executeTakeFirstOrThrow()).owner_id).toBe(
      ids.wang,
    );
    pier.clock.advance(5 * DAY + 60 * 60_000);
    await waitFor(
      async () =>
        (await db.selectFrom('contacts').select('owner_id').where('id', '=', ids.liwei).executeTakeFirstOrThrow()).owner_id === null ||
        undefined,
      'the return to the pool',
    );
    // A month on, the sessions have expired: the history is read from the database.
    const history = await db
      .selectFrom('customer_owner_history')
      .select(['owner_id', 'reason'])
      .where('contact_id', '=', ids.liwei)
      .orderBy('at', 'desc')
      .executeTakeFirstOrThrow();
    expect(history).toEqual({ owner_id: null, reason: 'pool_return' });
    // Both of wang's customers were quiet: 李伟 (handed over) and the contact the CSV import gave him.
    await waitFor(async () => {
      const returned = await db
        .selectFrom('notifications')
        .select('kind')
        .where('user_id', '=', ids.wang)
        .where('kind', '=', 'customer_pool_returned')
        .execute();
      return returned.length === 2 || undefined;
    }, 'both return notices');
  });

  async function companyOf(contact: string) {
    return (await pier.workspace.db.selectFrom('contacts').select('company_id').where('id', '=', contact).executeTakeFirstOrThrow())
      .company_id as string;
  }
});
