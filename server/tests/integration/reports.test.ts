import type { OperationsReport, StoredReportDto } from '@pier/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportCsv } from '../../src/modules/audit/index.js';
import { ingestMail } from '../../src/modules/conversations/index.js';
import { createMailbox, grantMailboxAccess, loadOwnAddresses } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import type { ApiClient } from '../support/http-client.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD as password } from '../support/users.js';
import { waitFor } from '../support/wait.js';

const at = (iso: string) => Date.parse(iso);
const FROM = at('2026-11-02T00:00:00Z'); // Monday
const TO = at('2026-11-09T00:00:00Z');
const office = [{ start: '09:00', end: '17:00' }];
const allDay = [{ start: '00:00', end: '24:00' }];
const week = (day: typeof office, weekend: typeof office) => ({
  mon: day,
  tue: day,
  wed: day,
  thu: day,
  fri: day,
  sat: weekend,
  sun: weekend,
});

/**
 * A week of mail with known times, ingested as a mailbox sync would (with the server's dates), and
 * the figures worked out by hand. sales@: UTC, Mon–Fri 09:00–17:00; info@: UTC round the clock;
 * the first reply is due in 24 working hours (the default).
 *   S1 sales in Mon 10:00 (.de), reply Mon 12:00 → 2 h, met; team Export, agent Li; then closed
 *   S2 sales in Fri 16:00 (.com), reply Mon 9 Nov 10:00 → Fri 1 h + Mon 1 h = 2 h, met
 *   S3 sales in Mon 09:00 (.es), reply Thu 12:00 → 8 + 8 + 8 + 3 = 27 h, missed
 *   I1 info  in Tue 00:00 (.jp), reply Tue 05:00 → 5 h, met; team Export
 *   I2 info  in Wed 12:00 (.com), no reply → due Thu 12:00, long past: missed
 */
const mails = [
  { key: 'S1', box: 'sales', from: 'hans@firma.de', inAt: '2026-11-02T10:00:00Z', replyAt: '2026-11-02T12:00:00Z' },
  { key: 'S2', box: 'sales', from: 'bob@trading.com', inAt: '2026-11-06T16:00:00Z', replyAt: '2026-11-09T10:00:00Z' },
  { key: 'S3', box: 'sales', from: 'ana@empresa.es', inAt: '2026-11-02T09:00:00Z', replyAt: '2026-11-05T12:00:00Z' },
  { key: 'I1', box: 'info', from: 'ken@shoji.jp', inAt: '2026-11-03T00:00:00Z', replyAt: '2026-11-03T05:00:00Z' },
  { key: 'I2', box: 'info', from: 'amy@import.com', inAt: '2026-11-04T12:00:00Z', replyAt: null },
] as const;

const raw = (lines: string[]) => Buffer.from(`${lines.join('\r\n')}\r\n`);

describe.each(engines)('reports: figures against a hand-computed week on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  const as: Record<'admin' | 'li' | 'auditor', ApiClient> = {} as never;
  const ids: Record<string, string> = {};
  const box: Record<'sales' | 'info', string> = {} as never;
  let li = '';

  const report = async (client: ApiClient) => {
    const res = await client.get<OperationsReport>(`/api/reports/operations?from=${FROM}&to=${TO}&timeZone=UTC`);
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database);
    const ws = pier.workspace;
    await createAccount(ws.db, { email: 'boss@acme.test', name: 'Boss', password, role: 'admin' });
    li = (await createAccount(ws.db, { email: 'li@acme.test', name: 'Li Wei', password, role: 'agent' })).id;
    await createAccount(ws.db, { email: 'audit@acme.test', name: 'Audit', password, role: 'auditor' });
    box.sales = (await createMailbox(ws.db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' })).id;
    box.info = (await createMailbox(ws.db, { address: 'info@acme.test', displayName: 'Info', purpose: 'inquiry' })).id;
    await grantMailboxAccess(ws.db, li, box.sales, 'reply');
    const auditor = (await ws.db.selectFrom('users').select('id').where('email', '=', 'audit@acme.test').executeTakeFirstOrThrow()).id;
    await grantMailboxAccess(ws.db, auditor, box.info, 'read');
    for (const [who, email] of [
      ['admin', 'boss@acme.test'],
      ['li', 'li@acme.test'],
      ['auditor', 'audit@acme.test'],
    ] as const) {
      as[who] = pier.api();
      expect((await as[who].post('/api/auth/login', { email, password })).status).toBe(200);
    }
    expect(
      (
        await as.admin.put(`/api/mailboxes/${box.sales}/business-hours`, {
          businessHours: { timeZone: 'UTC', weekly: week(office, []), holidayCalendar: null, extraDaysOff: [], extraWorkingDays: [] },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await as.admin.put(`/api/mailboxes/${box.info}/business-hours`, {
          businessHours: { timeZone: 'UTC', weekly: week(allDay, allDay), holidayCalendar: null, extraDaysOff: [], extraWorkingDays: [] },
        })
      ).status,
    ).toBe(200);

    const ctx = {
      engine: ws.engine,
      ownAddresses: await loadOwnAddresses(ws.db),
      messageIds: ws.messageIds,
      recordReopened: ws.recordReopened,
      teamActivity: ws.teamActivity,
    };
    for (const m of mails) {
      const address = `${m.box}@acme.test`;
      const mailboxId = box[m.box];
      const stored = await ingestMail(
        { db: ws.db, blobs: ws.blobs, ctx },
        {
          raw: raw([`From: ${m.from}`, `To: ${address}`, `Subject: ${m.key}`, `Message-ID: <${m.key}@customer>`, '', 'Hello.']),
          mailboxIds: [mailboxId],
          source: 'imap',
          receivedAt: at(m.inAt),
        },
      );
      ids[m.key] = stored.conversationId as string;
      if (m.replyAt) {
        await ingestMail(
          { db: ws.db, blobs: ws.blobs, ctx },
          {
            raw: raw([`From: ${address}`, `To: ${m.from}`, `Subject: Re: ${m.key}`, `In-Reply-To: <${m.key}@customer>`, '', 'Answer.']),
            mailboxIds: [mailboxId],
            source: 'imap',
            receivedAt: at(m.replyAt),
          },
        );
      }
    }
    const team = await as.admin.post<{ id: string }>('/api/teams', { name: 'Export' });
    expect(team.status).toBe(201);
    expect((await as.admin.post(`/api/conversations/${ids.S1}/assign`, { assigneeId: li, teamId: team.body.id })).status).toBe(200);
    expect((await as.admin.post(`/api/conversations/${ids.I1}/assign`, { teamId: team.body.id })).status).toBe(200);
    expect((await as.admin.post(`/api/conversations/${ids.S1}/status`, { status: 'closed' })).status).toBe(200);
    // The SLA rows and the sender countries are written by subscribers after ingest.
    await waitFor(async () => {
      const r = await report(as.admin);
      return r.firstReply.overall.conversations === 5 && r.volume.byCountry.length === 4 ? r : undefined;
    }, 'the SLA rows and sender countries of all five mails');
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  it('first replies in working hours and compliance per mailbox, team and overall', async () => {
    const { firstReply } = await report(as.admin);
    const pick = ({ conversations, met, missed, compliance, medianHours, p90Hours }: OperationsReport['firstReply']['overall']) => ({
      conversations,
      met,
      missed,
      compliance,
      medianHours,
      p90Hours,
    });
    expect(pick(firstReply.overall)).toEqual({ conversations: 5, met: 3, missed: 2, compliance: 0.6, medianHours: 2, p90Hours: 27 });
    expect(firstReply.byMailbox.map((f) => [f.name, pick(f)])).toEqual([
      ['info@acme.test', { conversations: 2, met: 1, missed: 1, compliance: 0.5, medianHours: 5, p90Hours: 5 }],
      ['sales@acme.test', { conversations: 3, met: 2, missed: 1, compliance: 2 / 3, medianHours: 2, p90Hours: 27 }],
    ]);
    expect(firstReply.byTeam.map((f) => [f.name, pick(f)])).toEqual([
      ['Export', { conversations: 2, met: 2, missed: 0, compliance: 1, medianHours: 2, p90Hours: 5 }],
    ]);
  });

  it('volume by mailbox, team, agent, country and day; busiest hours; backlog by age', async () => {
    const r = await report(as.admin);
    const counts = (list: { label: string; count: number }[]) => Object.fromEntries(list.map((c) => [c.label, c.count]));
    expect(counts(r.volume.byMailbox)).toEqual({ 'sales@acme.test': 3, 'info@acme.test': 2 });
    expect(counts(r.volume.byTeam)).toEqual({ Export: 2, '': 3 });
    expect(counts(r.volume.byAgent)).toEqual({ 'Li Wei': 1, '': 4 });
    expect(counts(r.volume.byCountry)).toEqual({ DE: 1, ES: 1, JP: 1, '': 2 });
    expect(r.volume.byDay).toEqual([
      { day: '2026-11-02', count: 2 },
      { day: '2026-11-03', count: 1 },
      { day: '2026-11-04', count: 1 },
      { day: '2026-11-05', count: 0 },
      { day: '2026-11-06', count: 1 },
      { day: '2026-11-07', count: 0 },
      { day: '2026-11-08', count: 0 },
    ]);
    expect([...r.busiestHours].sort((a, b) => a.weekday - b.weekday || a.hour - b.hour)).toEqual([
      { weekday: 0, hour: 9, count: 1 },
      { weekday: 0, hour: 10, count: 1 },
      { weekday: 1, hour: 0, count: 1 },
      { weekday: 2, hour: 12, count: 1 },
      { weekday: 4, hour: 16, count: 1 },
    ]);
    // At the end of the week (9 Nov 00:00), S1 closed: S3, I1, I2 are 4–7 days old, S2 2 days 8 hours.
    expect(r.backlogByAge).toEqual([
      { bucket: 'lt1d', count: 0 },
      { bucket: '1to3d', count: 1 },
      { bucket: '3to7d', count: 3 },
      { bucket: '7to30d', count: 0 },
      { bucket: 'gt30d', count: 0 },
    ]);
    // In Shanghai time the same mail falls on other hours and days (S1 Mon 10:00 UTC = Mon 18:00).
    const shanghai = (await as.admin.get<OperationsReport>(`/api/reports/operations?from=${FROM}&to=${TO}&timeZone=Asia%2FShanghai`)).body;
    expect(shanghai.busiestHours).toContainEqual({ weekday: 0, hour: 18, count: 1 });
  });

  it('an agent sees only the figures of their mailboxes; bad input is a clear 400', async () => {
    const r = await report(as.li);
    const body = JSON.stringify(r);
    expect(body).not.toContain('info@acme.test');
    expect(body).not.toContain('"JP"');
    expect(r.volume.byMailbox.map((m) => m.label)).toEqual(['sales@acme.test']);
    expect(r.firstReply.overall).toMatchObject({ conversations: 3, met: 2, missed: 1 });
    expect(r.firstReply.byMailbox.map((f) => f.name)).toEqual(['sales@acme.test']);
    expect(r.backlogByAge.reduce((n, b) => n + b.count, 0)).toBe(2); // S2, S3
    // An auditor sees the mailboxes granted to them: info@ only.
    const audit = await report(as.auditor);
    expect(audit.volume.byMailbox.map((m) => m.label)).toEqual(['info@acme.test']);
    expect(JSON.stringify(audit)).not.toContain('sales@acme.test');

    const reversed = await as.admin.get(`/api/reports/operations?from=${TO}&to=${FROM}`);
    expect(reversed.status).toBe(400);
    expect(JSON.stringify(reversed.body)).toContain('from must be before to');
    const zone = await as.admin.get(`/api/reports/operations?from=${FROM}&to=${TO}&timeZone=Mars%2FOlympus`);
    expect(zone.status).toBe(400);
    expect(JSON.stringify(zone.body)).toContain('unknown IANA time zone');
    expect((await pier.api().get(`/api/reports/operations?from=${FROM}&to=${TO}`)).status).toBe(401);
  });

  it("the quarterly report's SLA section has the same figures", async () => {
    const res = await as.admin.post<StoredReportDto>('/api/audit/reports', { from: FROM, to: TO });
    expect(res.status).toBe(201);
    const section = res.body.report.slaCompliance;
    expect(section.available).toBe(true);
    const items = section.available ? section.items : [];
    expect(items.map((f) => [f.scope, f.name, f.met, f.conversations, f.medianHours, f.p90Hours])).toEqual([
      ['mailbox', 'info@acme.test', 1, 2, 5, 5],
      ['mailbox', 'sales@acme.test', 2, 3, 2, 27],
      ['team', 'Export', 2, 2, 2, 5],
    ]);
    // The CSV/PDF export (and the admins' mail) write the same rows.
    const csv = reportCsv(res.body);
    expect(csv).toContain('邮箱 / mailbox sales@acme.test,66.7 %,2 / 3 按时 / on time,中位 / median 2 h · P90 27 h');
  });
});
