import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AuditPage } from '@pier/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordBounce } from '../../src/modules/campaigns/feedback.js';
import { suppressAddress } from '../../src/modules/campaigns/index.js';
import { campaignRoles } from '../support/campaigns.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { startTestPier } from '../support/pier.js';
import { runCli } from '../support/pier-process.js';

const boss = { email: 'boss@acme.test', name: 'Boss', password: 'correct horse battery staple' };
type Suppression = {
  address: string;
  reason: string;
  campaignId: string | null;
  campaignSubject: string | null;
  detail: string | null;
  createdAt: number;
  liftable: boolean;
};
type Suppressions = { suppressions: Suppression[]; total: number; reasons: Record<string, number> };
type Member = {
  address: string;
  name: string | null;
  company: string | null;
  country: string | null;
  language: string | null;
  status: string;
};
type Members = { members: Member[]; total: number; counts: { pending: number }; statuses: Record<string, number> };
type Skipped = { line: number; address: string; outcome: string; reason: string; row?: Record<string, string> };
type ImportResult = {
  listId: string;
  imported: number;
  refused: { line: number; reason: string }[];
  report: { counts: Record<string, number>; skipped: Skipped[] };
};

/**
 * Decision 0072 (issue 21): the suppression list paged and searched with its source campaign; a
 * bounced (or manually suppressed) address lifted with a required note, audited, and soft bounces
 * counted again from the lift; an unsubscribe or a complaint never lifted by an admin. One member
 * edited or removed (the suppression list untouched), audited. A CSV import says per row what
 * happened (API and CLI, skipped rows as CSV). The awaiting-confirmation count leaves out the
 * suppressed. Agents get 403s naming nothing; auditors read.
 */
describe.each(engines)('campaign suppression list and members admin on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let admin: ApiClient;
  let auditor: ApiClient;
  const agents: ApiClient[] = [];
  let marketingId = '';
  let listId = '';
  let campaignId = '';

  const audit = async (action: string) => (await admin.get<AuditPage>(`/api/audit?action=${action}`)).body.items;
  const suppressions = async (query = '') => {
    const response = await admin.get<Suppressions>(`/api/campaign-suppressions${query}`);
    expect(response.status).toBe(200);
    return response.body;
  };
  const members = async (query = '') => (await admin.get<Members>(`/api/campaign-lists/${listId}/members${query}`)).body;
  const importCsv = async (name: string, lines: string[]) => {
    const response = await admin.post<ImportResult>('/api/campaign-lists/import', {
      name,
      csv: ['email,name,company,country,consent_source,consent_date', ...lines].join('\n'),
    });
    expect(response.status).toBe(200);
    return response.body;
  };

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
    const rows = Array.from(
      { length: 12 },
      (_, i) => `lead${String(i).padStart(2, '0')}@fair.test,Buyer ${i},Customer ${i} Ltd,DE,Fair,2026-10-15`,
    );
    listId = (await importCsv('Canton Fair 2026', rows)).listId;
    const queued = await admin.post<{ campaign: string; recipients: number }>('/api/campaigns', {
      mailboxId: marketingId,
      listId,
      subject: 'Autumn LED news',
      html: '<p>Hi {{name}}</p>',
      text: 'Hi {{name}}',
      sendAt: pier.clock.now() + 86_400_000,
    });
    expect(queued.body.recipients).toBe(12);
    campaignId = queued.body.campaign;
    // 60 suppressions, oldest first: 57 bounced by the campaign, one unsubscribed, one complaint, one by hand.
    const start = pier.clock.now() - 100_000;
    for (let i = 0; i < 57; i++)
      await suppressAddress(db, {
        address: `bounce${String(i).padStart(2, '0')}@old.test`,
        reason: 'hard_bounce',
        campaignId,
        detail: '5.1.1 user unknown',
        now: start + i,
      });
    await suppressAddress(db, { address: 'lead00@fair.test', reason: 'unsubscribed', campaignId, detail: null, now: start + 100 });
    await suppressAddress(db, { address: 'lead01@fair.test', reason: 'complaint', campaignId, detail: 'abuse', now: start + 101 });
    await suppressAddress(db, {
      address: 'lead02@fair.test',
      reason: 'manual',
      campaignId: null,
      detail: 'some-user-id',
      now: start + 102,
    });
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  it('pages and searches the suppression list, with the source campaign and whether an admin may lift it', async () => {
    const first = await suppressions();
    expect(first.total).toBe(60);
    expect(first.suppressions).toHaveLength(50);
    expect(first.reasons).toEqual({ unsubscribed: 1, hard_bounce: 57, complaint: 1, manual: 1 });
    // Newest first.
    expect(first.suppressions.slice(0, 3).map((s) => [s.address, s.reason, s.liftable])).toEqual([
      ['lead02@fair.test', 'manual', true],
      ['lead01@fair.test', 'complaint', false],
      ['lead00@fair.test', 'unsubscribed', false],
    ]);
    expect(first.suppressions[0]?.detail).toBeNull(); // a manual entry's detail is a user id, not shown
    expect(first.suppressions[3]).toMatchObject({
      address: 'bounce56@old.test',
      campaignId,
      campaignSubject: 'Autumn LED news',
      detail: '5.1.1 user unknown',
      liftable: true,
    });
    const second = await suppressions('?offset=50');
    expect(second.suppressions.map((s) => s.address)).toEqual(
      Array.from({ length: 10 }, (_, i) => `bounce${String(9 - i).padStart(2, '0')}@old.test`),
    );
    const found = await suppressions('?q=LEAD0');
    expect(found.total).toBe(3);
    expect((await suppressions('?q=bounce1&reason=hard_bounce')).total).toBe(10);
    expect((await suppressions('?reason=unsubscribed')).suppressions.map((s) => s.address)).toEqual(['lead00@fair.test']);
    expect((await suppressions('?q=%25')).total).toBe(0); // a literal %, not "anything"
    expect((await admin.get('/api/campaign-suppressions?reason=nonsense')).status).toBe(400);
  });

  it('lifts a bounced address with a note, audited; never an unsubscribe or a complaint', async () => {
    const noNote = await admin.post<{ error: { code: string } }>('/api/campaign-suppressions/lift', {
      address: 'bounce00@old.test',
      note: '  ',
    });
    expect(noNote.status).toBe(400);
    for (const [address, code, status] of [
      ['lead00@fair.test', 'campaign.suppression_not_liftable', 409],
      ['lead01@fair.test', 'campaign.suppression_not_liftable', 409],
      ['nobody@old.test', 'campaign.not_suppressed', 404],
    ] as const) {
      const refused = await admin.post<{ error: { code: string; message: string } }>('/api/campaign-suppressions/lift', {
        address,
        note: 'the customer asked on the phone',
      });
      expect(refused.status).toBe(status);
      expect(refused.body.error.code).toBe(code);
      if (status === 409) expect(refused.body.error.message).toContain('only their own new confirmed opt-in');
    }
    expect((await suppressions('?q=lead0')).total).toBe(3);
    const lifted = await admin.post<{ address: string; reason: string }>('/api/campaign-suppressions/lift', {
      address: 'Bounce00@old.test',
      note: 'Mailbox full fixed — IT confirmed by phone',
    });
    expect(lifted.status).toBe(200);
    expect(lifted.body).toMatchObject({ address: 'bounce00@old.test', reason: 'hard_bounce' });
    expect((await admin.post('/api/campaign-suppressions/lift', { address: 'lead02@fair.test', note: 'added by mistake' })).status).toBe(
      200,
    );
    expect((await suppressions()).total).toBe(58);
    // A second lift finds nothing to lift.
    expect((await admin.post('/api/campaign-suppressions/lift', { address: 'bounce00@old.test', note: 'again' })).status).toBe(404);
    const record = (await audit('campaign.suppression_lifted')).find((r) => r.targetId === 'bounce00@old.test');
    expect(record?.details).toMatchObject({
      address: 'bounce00@old.test',
      reason: 'hard_bounce',
      campaignId,
      note: 'Mailbox full fixed — IT confirmed by phone',
    });
    const kept = await pier.workspace.db
      .selectFrom('campaign_suppression_lifts')
      .selectAll()
      .where('address', '=', 'bounce00@old.test')
      .execute();
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({
      reason: 'hard_bounce',
      detail: '5.1.1 user unknown',
      note: 'Mailbox full fixed — IT confirmed by phone',
    });
    // lead02 is mailed again by the next campaign; lead00 and lead01 never.
    const next = await admin.post<{ recipients: number; suppressed: number }>('/api/campaigns', {
      mailboxId: marketingId,
      listId,
      subject: 'Winter news',
      html: '<p>Hi</p>',
      text: 'Hi',
      sendAt: pier.clock.now() + 86_400_000,
    });
    expect(next.body).toMatchObject({ recipients: 10, suppressed: 2 });
  });

  it('counts soft bounces towards a new suppression only from the lift on', async () => {
    const { db } = pier.workspace;
    const recipient = await db
      .selectFrom('campaign_recipients')
      .select(['id', 'campaign_id', 'address'])
      .where('campaign_id', '=', campaignId)
      .where('address', '=', 'lead05@fair.test')
      .executeTakeFirstOrThrow();
    const bounce = () =>
      recordBounce(
        db,
        { ...recipient, mailbox_id: marketingId },
        false,
        '4.2.2 mailbox full',
        { conversationId: null, messageId: null },
        pier.clock.now(),
      );
    for (let i = 0; i < 3; i++) {
      pier.clock.advance(1000);
      await bounce();
    }
    expect((await suppressions('?q=lead05')).suppressions[0]).toMatchObject({ reason: 'hard_bounce', liftable: true });
    pier.clock.advance(1000);
    expect((await admin.post('/api/campaign-suppressions/lift', { address: 'lead05@fair.test', note: 'inbox cleaned up' })).status).toBe(
      200,
    );
    pier.clock.advance(1000);
    await bounce();
    expect((await suppressions('?q=lead05')).total).toBe(0); // one soft bounce since the lift, not four
    pier.clock.advance(1000);
    await bounce();
    pier.clock.advance(1000);
    await bounce();
    expect((await suppressions('?q=lead05')).total).toBe(1);
  });

  it('edits a member’s merge fields and language, removes a member without touching the suppression list; both audited', async () => {
    const edited = await admin.patch<Member>(`/api/campaign-lists/${listId}/members/${encodeURIComponent('LEAD03@fair.test')}`, {
      name: ' Anna Müller ',
      company: 'Müller Werkzeuge GmbH',
      country: 'at',
      language: 'en',
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      address: 'lead03@fair.test',
      name: 'Anna Müller',
      company: 'Müller Werkzeuge GmbH',
      country: 'AT',
      language: 'en',
    });
    expect((await members('?q=m%C3%BCller')).members.map((m) => m.address)).toEqual(['lead03@fair.test']);
    const record = (await audit('campaign.member_updated'))[0];
    expect(record?.details).toMatchObject({
      address: 'lead03@fair.test',
      before: { name: 'Buyer 3', company: 'Customer 3 Ltd', country: 'DE' },
      after: { name: 'Anna Müller', company: 'Müller Werkzeuge GmbH', country: 'AT', opt_in_language: 'en' },
    });
    for (const [body, status] of [
      [{ country: 'Germany' }, 400],
      [{ timeZone: 'Mars/Base' }, 400],
      [{ consentSource: 'forged' }, 400],
    ] as const)
      expect((await admin.patch(`/api/campaign-lists/${listId}/members/lead03%40fair.test`, body)).status).toBe(status);
    expect((await admin.patch(`/api/campaign-lists/${listId}/members/nobody%40fair.test`, { name: 'x' })).status).toBe(404);
    // Removing the unsubscribed lead00: it leaves the list, and stays suppressed.
    const removed = await admin.request<{ removed: boolean }>('DELETE', `/api/campaign-lists/${listId}/members/lead00%40fair.test`);
    expect(removed.status).toBe(200);
    expect((await members('?q=lead00')).total).toBe(0);
    expect((await suppressions('?q=lead00')).suppressions.map((s) => s.reason)).toEqual(['unsubscribed']);
    expect((await admin.request('DELETE', `/api/campaign-lists/${listId}/members/lead00%40fair.test`)).status).toBe(404);
    expect((await audit('campaign.member_removed'))[0]?.details).toMatchObject({
      list: 'Canton Fair 2026',
      address: 'lead00@fair.test',
      consentSource: 'Fair',
    });
  });

  it('says per imported row what happened, by API and CLI, with the skipped rows as CSV', async () => {
    const result = await importCsv('Canton Fair 2026', [
      'lead04@fair.test,Buyer 4 renamed,Customer 4 Ltd,DE,Fair,2026-10-15', // line 2: already a member
      'new1@fair.test,New One,New Co,DE,Fair,2026-10-15', // 3: added
      'lead01@fair.test,Complainer,X,DE,Fair,2026-10-15', // 4: suppressed (complaint)
      'not-an-address,Nobody,X,DE,Fair,2026-10-15', // 5: invalid
      'NEW1@fair.test,New One again,New Co,DE,Fair,2026-10-15', // 6: duplicate of line 3
      'new2@fair.test,No Consent,X,DE,,', // 7: invalid (no consent)
      'fresh@old.test,Fresh,X,DE,Fair,2026-10-15', // 8: added
    ]);
    expect(result.report.counts).toEqual({ added: 2, existing: 1, suppressed: 1, invalid: 2, duplicate: 1 });
    expect(result.imported).toBe(4);
    expect(result.refused).toEqual([
      { line: 5, reason: 'no valid email address' },
      { line: 7, reason: 'no consent source and date' },
    ]);
    expect(result.report.skipped.map((s) => [s.line, s.outcome])).toEqual([
      [4, 'suppressed'],
      [5, 'invalid'],
      [6, 'duplicate'],
      [7, 'invalid'],
    ]);
    expect(result.report.skipped[0]?.reason).toContain('complaint since');
    expect(result.report.skipped[2]?.reason).toBe('same address as line 3');
    expect(result.report.skipped[1]?.row).toMatchObject({ email: 'not-an-address', name: 'Nobody' });
    // fresh@old.test is not suppressed: line 8 was added. Suppress it, and the CLI's import says so.
    expect((await members('?q=fresh')).total).toBe(1);
    await suppressAddress(pier.workspace.db, {
      address: 'fresh@old.test',
      reason: 'hard_bounce',
      campaignId: null,
      detail: null,
      now: pier.clock.now(),
    });
    const csvFile = path.join(database.dataDir, 'leads.csv');
    const skippedFile = path.join(database.dataDir, 'skipped.csv');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(
      csvFile,
      [
        'email,name,company,country,consent_source,consent_date',
        'fresh@old.test,"=HYPERLINK(""x"")",X,DE,Fair,2026-10-15',
        'bad,,,,,',
        'new3@fair.test,Three,,CN,Fair,2026-10-15',
      ].join('\n'),
    );
    const cli = await runCli(database, [
      'campaign',
      'import-list',
      '--name',
      'Canton Fair 2026',
      '--file',
      csvFile,
      '--skipped-file',
      skippedFile,
    ]).catch((error: { stdout: string; stderr: string }) => error);
    const printed = JSON.parse(cli.stdout) as ImportResult;
    expect(printed.report.counts).toEqual({ added: 1, existing: 0, suppressed: 1, invalid: 1, duplicate: 0 });
    expect(printed.report.skipped.every((s) => s.row === undefined)).toBe(true);
    expect(cli.stderr).toContain('added 1, already members 0, suppressed (in the list, never mailed) 1, invalid 1');
    const written = await readFile(skippedFile, 'utf8');
    expect(written.startsWith('\ufeffline,outcome,reason,email,name,company,country,consent_source,consent_date\r\n')).toBe(true);
    expect(written).toContain(
      `2,suppressed,"on the suppression list (hard_bounce since ${new Date(pier.clock.now()).toISOString().slice(0, 10)}): in the list, never mailed",fresh@old.test,"'=HYPERLINK(""x"")",X,DE,Fair,2026-10-15`,
    );
    expect(written).toContain('3,invalid,no valid email address,bad');
  });

  it('leaves suppressed members out of the awaiting-confirmation count', async () => {
    const imported = await admin.post<ImportResult & { pendingConfirmation: number }>('/api/campaign-lists/import', {
      name: 'Opt-in fair',
      csv: [
        'email,consent_source,consent_date',
        'a@optin.test,Fair,2026-10-15',
        'b@optin.test,Fair,2026-10-15',
        'c@optin.test,Fair,2026-10-15',
      ].join('\n'),
      doubleOptInMailboxId: marketingId,
    });
    expect(imported.body.pendingConfirmation).toBe(3);
    await suppressAddress(pier.workspace.db, {
      address: 'c@optin.test',
      reason: 'unsubscribed',
      campaignId: null,
      detail: null,
      now: pier.clock.now(),
    });
    const lists = (await admin.get<{ lists: { id: string; unconfirmed: number }[] }>('/api/campaign-lists')).body.lists;
    expect(lists.find((l) => l.id === imported.body.listId)?.unconfirmed).toBe(2);
    const view = (await admin.get<Members>(`/api/campaign-lists/${imported.body.listId}/members`)).body;
    expect(view.counts.pending).toBe(2);
    expect(view.statuses).toMatchObject({ pending: 2, unsubscribed: 1 });
  });

  it('shows agents nothing and lets them change nothing; auditors read the list and change nothing', async () => {
    for (const agent of agents) {
      const tried = [
        await agent.get('/api/campaign-suppressions'),
        await agent.get('/api/campaign-suppressions?q=bounce'),
        await agent.post('/api/campaign-suppressions/lift', { address: 'bounce01@old.test', note: 'n' }),
        await agent.patch(`/api/campaign-lists/${listId}/members/lead04%40fair.test`, { name: 'Hacked' }),
        await agent.request('DELETE', `/api/campaign-lists/${listId}/members/lead04%40fair.test`),
        await agent.request('DELETE', `/api/campaign-lists/${listId}/members/nobody%40fair.test`),
      ];
      for (const response of tried) {
        expect(response.status).toBe(403);
        const body = JSON.stringify(response.body);
        for (const leak of [
          'old.test',
          'fair.test',
          'bounce',
          'lead',
          'Buyer',
          'hard_bounce',
          'total',
          'Autumn',
          'reasons',
          'suppressions',
        ])
          expect(body).not.toContain(leak);
      }
    }
    expect((await auditor.get<Suppressions>('/api/campaign-suppressions?q=bounce01')).body.total).toBe(1);
    expect((await auditor.post('/api/campaign-suppressions/lift', { address: 'bounce01@old.test', note: 'n' })).status).toBe(403);
    expect((await auditor.request('DELETE', `/api/campaign-lists/${listId}/members/lead04%40fair.test`)).status).toBe(403);
    expect((await members('?q=lead04')).members[0]).toMatchObject({ name: 'Buyer 4 renamed' });
    expect((await suppressions('?q=bounce01')).total).toBe(1);
  });
});
