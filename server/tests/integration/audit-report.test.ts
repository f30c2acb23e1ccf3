import type { StoredReportDto } from '@pier/contracts';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureQuarterlyReport, previousQuarter } from '../../src/modules/audit/index.js';
import { createMailbox, grantMailboxAccess } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { startTestPier } from '../support/pier.js';
import { ageStepUp } from '../support/step-up.js';
import { nextCode } from '../support/two-factor.js';

const admin = { email: 'boss@acme.test', name: 'Boss', password: 'correct horse battery staple' };

describe.each(engines)('the quarterly audit report on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let api: ReturnType<Awaited<ReturnType<typeof startTestPier>>['api']>;
  let stored: StoredReportDto;

  const download = async (path: string) => {
    const res = await fetch(new URL(path, pier.url), { headers: { cookie: [...api.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
    return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
  };

  /** Makes the session's last password + code check 11 minutes old, like someone who signed in this morning. */
  const staleStepUp = async (email: string) => {
    const user = await pier.workspace.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
    await ageStepUp(pier.workspace.db, user.id);
  };

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database, { PIER_LOGIN_RATE_LIMIT: '50' });
    api = pier.api();
    expect((await api.post('/api/setup', admin)).status).toBe(201);
    const db = pier.workspace.db;
    const sales = await createMailbox(db, { address: 'sales@acme.test', displayName: '销售', purpose: 'sales' });
    await createMailbox(db, { address: 'quiet@acme.test', displayName: 'Quiet', purpose: 'inquiry' });
    const agent = await createAccount(db, { email: 'agent@acme.test', name: '王芳', password: 'agent password 1', role: 'agent' });
    await createAccount(db, { email: 'audit@acme.test', name: 'Auditor', password: 'auditor password 1', role: 'auditor' });
    await grantMailboxAccess(db, agent.id, sales.id, 'reply');
    await pier.api().post('/api/auth/login', { email: admin.email, password: 'guessing wrong' });
    // Five wrong passwords in a row on one account: a burst of failures, then the lock (two alerts).
    await createAccount(db, { email: 'temp@acme.test', name: 'Temp', password: 'temp password 12', role: 'agent' });
    for (let i = 0; i < 5; i++) await pier.api().post('/api/auth/login', { email: 'temp@acme.test', password: `wrong guess ${i}` });
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort ?? 0, secure: false, ignoreTLS: true });
    await smtp.sendMail({ from: 'buyer@customer.test', to: 'sales@acme.test', subject: 'RFQ', text: 'Please quote.' });
    await smtp.sendMail({
      from: 'Buyer <buyer@customer.test>',
      replyTo: 'accounts@payments-update.test',
      to: 'sales@acme.test',
      subject: 'Urgent: our bank account has changed',
      text: 'Dear partner,\n\nour bank account has changed. Please pay the invoice today to our new account:\nIBAN: GB29 NWBK 6016 1331 9268 19\nBIC: NWBKGB2L\n\nThis is confidential, do not call.\n',
      attachments: [{ filename: 'invoice.html', content: '<html><body>Invoice</body></html>', contentType: 'text/html' }],
    });
    smtp.close();
    // The worker assesses both mails; the second is flagged.
    for (let waited = 0; (await db.selectFrom('fraud_assessments').select('level').execute()).length < 2; waited += 100) {
      if (waited > 30_000) throw new Error('the two mails were not assessed within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // An external Pier forwarding rule (the admin's setup session is freshly stepped up).
    expect(
      (await api.post('/api/forwarding/rules', { mailboxId: sales.id, name: 'Leak', senderDomain: 'customer.test', target: 'x@leak.test' }))
        .status,
    ).toBe(201);
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  it('reports quiet mailboxes, users who never signed in, access changes and failed sign-ins, and says what is not available', async () => {
    const res = await api.post<StoredReportDto>('/api/audit/reports', {});
    expect(res.status).toBe(201);
    stored = res.body;
    const r = stored.report;
    expect(r.mailboxesWithoutMail).toEqual({
      available: true,
      items: [expect.objectContaining({ address: 'quiet@acme.test', lastMailAt: null })],
    });
    expect(r.usersNotLoggedIn.available && r.usersNotLoggedIn.items.map((u) => u.email)).toEqual([
      'agent@acme.test',
      'audit@acme.test',
      'temp@acme.test',
    ]);
    expect(r.accessChanges.available && r.accessChanges.items.map((c) => c.action)).toEqual(['user.created', 'mailbox_access.granted']);
    expect(r.failedLogins).toEqual({
      available: true,
      items: [
        { email: 'temp@acme.test', count: 5, ips: ['127.0.0.1'] },
        { email: admin.email, count: 1, ips: ['127.0.0.1'] },
      ],
    });
    // The admin enrolled an authenticator at setup; the others never did.
    expect(r.usersWithout2fa.available && r.usersWithout2fa.items.map((u) => u.email)).toEqual([
      'agent@acme.test',
      'audit@acme.test',
      'temp@acme.test',
    ]);
    expect(r.unusualLogins.available && r.unusualLogins.items.map((a) => [a.email, a.kind])).toEqual([
      ['temp@acme.test', 'failure_burst'],
      ['temp@acme.test', 'locked_out'],
    ]);
    const flags = r.fraudFlags.available ? r.fraudFlags.items : [];
    expect(flags).toHaveLength(1);
    expect(flags[0]).toMatchObject({ subject: 'Urgent: our bank account has changed', from: 'buyer@customer.test', confirmations: [] });
    expect(['warn', 'high']).toContain(flags[0]?.level);
    expect(flags[0]?.signals).toEqual(expect.arrayContaining(['payment_change', 'reply_to_mismatch']));
    expect(r.externalForwarding).toEqual({
      available: true,
      items: [
        {
          mailbox: 'sales@acme.test',
          source: 'pier',
          script: 'Leak',
          target: 'x@leak.test',
          active: true,
          firstSeenAt: expect.any(Number),
        },
      ],
    });
    expect(r.pierForwardingRules).toEqual({
      available: true,
      items: [
        {
          mailbox: 'sales@acme.test',
          name: 'Leak',
          senderDomain: 'customer.test',
          target: 'x@leak.test',
          external: true,
          enabled: true,
          createdBy: 'Boss',
          createdAt: expect.any(Number),
        },
      ],
    });
    // First-reply compliance per mailbox and team (decision 0033; figures checked in reports.test.ts).
    expect(r.slaCompliance).toMatchObject({ available: true, items: expect.any(Array) });
    // The worker's daily schedule has made the last quarter's report at start-up, beside this one.
    const list = (await api.get<{ items: { id: string; trigger: string }[] }>('/api/audit/reports')).body.items;
    expect(list.map((i) => i.id)).toContain(stored.id);
    expect(list.map((i) => i.trigger).sort()).toEqual(['on_demand', 'schedule']);
    expect((await api.get(`/api/audit/reports/${stored.id}`)).body).toEqual(stored);
  });

  it('refuses both exports without a fresh step-up (password + second factor within 10 minutes)', async () => {
    await staleStepUp(admin.email);
    for (const format of ['csv', 'pdf']) {
      const res = await fetch(new URL(`/api/audit/reports/${stored.id}/export?format=${format}`, pier.url), {
        headers: { cookie: [...api.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
      });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: 'auth.step_up_required' } });
    }
    expect((await api.post('/api/auth/step-up', { password: admin.password, code: nextCode(pier.url, admin.email) })).status).toBe(204);
  });

  it('exports CSV and a PDF with an embedded CJK font, and records report and exports in the audit log', async () => {
    const csv = await download(`/api/audit/reports/${stored.id}/export?format=csv`);
    expect(csv.status).toBe(200);
    const text = csv.bytes.toString('utf8');
    expect(text.startsWith('\ufeffsection,item')).toBe(true);
    expect(text).toContain('90 天无新邮件的邮箱 / Mailboxes without mail in 90 days,quiet@acme.test');
    expect(text).toMatch(/SLA 达成情况 \/ SLA compliance,(none|邮箱 \/ mailbox )/);
    expect(text).toContain('未启用双重验证的用户 / Users without 2FA,agent@acme.test,客服 / Agent');
    expect(text).toContain('成员与权限变更 / Membership and permission changes,');
    expect(text).toContain(',授予邮箱权限 / Mailbox access granted,agent@acme.test · sales@acme.test,— → 可回复 / reply,');
    expect(text).toContain('异常登录 / Unusual sign-ins,temp@acme.test,多次失败后锁定 / Locked after repeated failures');
    expect(text).toMatch(
      /欺诈标记与电话确认 \/ Fraud flags and confirmations,Urgent: our bank account has changed,(注意 \/ warning|高风险 \/ high risk) \(\d+\) from buyer@customer.test \S+,[^,]*变更收款账户 \/ payment change;[^,]*,未电话核实 \/ no phone confirmation/,
    );
    // No code is left raw: levels, signals, alert kinds, roles and actions are all written in words.
    for (const code of [
      'failure_burst',
      'locked_out',
      'payment_change',
      'reply_to_mismatch',
      'mailbox_access.granted',
      ',agent,',
      ',high ',
      ',warn ',
    ]) {
      expect(text).not.toContain(code);
    }
    expect(text).toContain('转发到公司外部的规则 / External forwarding rules,sales@acme.test,x@leak.test,pier: Leak');
    expect(text).toContain(
      'Pier 中的转发规则 / Forwarding rules in Pier,sales@acme.test,x@leak.test,Leak: from customer.test,公司外部 / EXTERNAL,by Boss',
    );

    const pdf = await download(`/api/audit/reports/${stored.id}/export?format=pdf`);
    expect(pdf).toMatchObject({ status: 200, type: 'application/pdf' });
    expect(pdf.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.bytes.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+WenQuanYiZenHei/);

    const actions = await pier.workspace.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('target_id', '=', stored.id)
      .orderBy('seq')
      .execute();
    expect(actions.map((a) => [a.action, JSON.parse(a.details).format ?? null])).toEqual([
      ['audit.report_generated', null],
      ['audit.report_exported', 'csv'],
      ['audit.report_exported', 'pdf'],
    ]);
  });

  it('lets auditors make and read reports, refuses agents, and validates the period', async () => {
    const auditor = pier.api();
    await auditor.post('/api/auth/login', { email: 'audit@acme.test', password: 'auditor password 1' });
    expect((await auditor.post('/api/audit/reports', { from: 0, to: Date.now() })).status).toBe(201);
    expect((await auditor.post('/api/audit/reports', { mail: true })).status).toBe(403);
    const agent = pier.api();
    await agent.post('/api/auth/login', { email: 'agent@acme.test', password: 'agent password 1' });
    expect((await agent.post('/api/audit/reports', {})).status).toBe(403);
    expect((await agent.get(`/api/audit/reports/${stored.id}`)).status).toBe(403);
    expect((await api.post('/api/audit/reports', { from: 10, to: 5 })).status).toBe(400);
    expect((await api.get('/api/audit/reports/nope')).status).toBe(404);
  });

  it('makes the scheduled report of the quarter just ended once', async () => {
    const now = Date.UTC(2026, 10, 27);
    expect(previousQuarter(now)).toEqual({ start: Date.UTC(2026, 6, 1), end: Date.UTC(2026, 9, 1) });
    expect(previousQuarter(Date.UTC(2026, 1, 3))).toEqual({ start: Date.UTC(2025, 9, 1), end: Date.UTC(2026, 0, 1) });
    const later = Date.UTC(2031, 1, 3);
    const first = await ensureQuarterlyReport(pier.workspace.db, later);
    expect(first).toMatchObject({ trigger: 'schedule', report: { periodStart: Date.UTC(2030, 9, 1) } });
    expect(await ensureQuarterlyReport(pier.workspace.db, later + 86_400_000)).toBeNull();
  });
});
