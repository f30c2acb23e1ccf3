import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../src/compose.js';
import { systemActor } from '../../src/modules/audit/index.js';
import { createMailbox } from '../../src/modules/mailboxes/index.js';
import { createRule, type RuleEditor } from '../../src/modules/rules/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { runCli } from '../support/pier-process.js';
import { openTestWorkspace } from '../support/workspace.js';

const mail = (headers: string[], body: string) => `${headers.join('\r\n')}\r\n\r\n${body.replace(/\n/g, '\r\n')}\r\n`;

const FILES = {
  german: mail(
    [
      'From: Hans Müller <hans@kunde.de>',
      'To: sales@acme.test',
      'Subject: Anfrage LED Panel',
      'Message-ID: <a1@kunde.de>',
      'Date: Mon, 7 Dec 2026 09:00:00 +0100',
      'Content-Type: text/plain; charset=utf-8',
    ],
    'Sehr geehrte Damen und Herren,\nbitte senden Sie uns Ihr bestes Angebot für 2000 Stück LED Panel mit Lieferung nach Hamburg.\nMit freundlichen Grüßen\nHans Müller',
  ),
  newsletter: mail(
    [
      'From: Deals <news@shop.example>',
      'To: sales@acme.test',
      'Subject: Weekly deals',
      'Message-ID: <n1@shop.example>',
      'List-Unsubscribe: <mailto:unsub@shop.example>',
      'List-Id: <deals.shop.example>',
      'Precedence: bulk',
      'Content-Type: text/plain; charset=utf-8',
    ],
    'This week only: 20% off all LED lamps. Click here to see the offers and save money today.',
  ),
  bounce: mail(
    [
      'From: Mail Delivery System <MAILER-DAEMON@mx.acme.test>',
      'To: sales@acme.test',
      'Subject: Undelivered Mail Returned to Sender',
      'Message-ID: <b1@mx.acme.test>',
      'Auto-Submitted: auto-replied',
      'Content-Type: multipart/report; report-type=delivery-status; boundary="XX"',
    ],
    '--XX\nContent-Type: text/plain\n\nThis is the mail system at host mx.acme.test. Your message could not be delivered.\n--XX\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx.acme.test\n\nFinal-Recipient: rfc822; nobody@nowhere.example\nAction: failed\nStatus: 5.1.1\n--XX--',
  ),
  chinese: mail(
    [
      'From: 王先生 <wang@kehu.cn>',
      'To: sales@acme.test',
      'Subject: =?UTF-8?B?6K+i5Lu377ya6ZKo6ZKi5YiA?=',
      'Message-ID: <c1@kehu.cn>',
      'Content-Type: text/plain; charset=utf-8',
    ],
    '您好，请报钨钢刀的最低价格，数量五百把，谢谢。',
  ),
};

/** Rows per table: `rules test` must leave every one of them as it was. */
const TABLES = [
  'messages',
  'message_locations',
  'conversations',
  'conversation_events',
  'contacts',
  'companies',
  'jobs',
  'rule_runs',
  'rules',
  'fraud_assessments',
  'automatic_sends',
  'notifications',
  'audit_log',
  'settings',
] as const;

describe.each(engines)('pier rules test on %s', (engine) => {
  let database: TestDatabase;
  let ws: Workspace;
  let dir: string;
  const file = (name: keyof typeof FILES) => path.join(dir, `${name}.eml`);
  const counts = async () =>
    Object.fromEntries(
      await Promise.all(
        TABLES.map(async (t) => [
          t,
          Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(t)}`.execute(ws.db)).rows[0]?.n),
        ]),
      ),
    );

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    ws = await openTestWorkspace(database);
    dir = await mkdtemp(path.join(tmpdir(), 'pier-rules-test-'));
    for (const [name, text] of Object.entries(FILES)) await writeFile(path.join(dir, `${name}.eml`), text);
    const sales = await createMailbox(ws.db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' });
    const other = await createMailbox(ws.db, { address: 'info@acme.test', displayName: 'Info', purpose: 'inquiry' });
    const editor: RuleEditor = { id: null, role: 'super_admin', scope: { kind: 'all', level: 'manage' }, audit: systemActor };
    const save = (name: string, over: Record<string, unknown>) =>
      createRule(ws.db, editor, { name, mailboxId: sales.id, trigger: 'message', actions: [{ type: 'tag', tag: 'x' }], ...over });
    await save('German LED inquiry', {
      trigger: 'new-conversation',
      conditions: [
        { field: 'country', values: ['DE'] },
        { field: 'subject-or-body', op: 'words', values: ['led'] },
        { field: 'language', values: ['de'] },
      ],
    });
    await save('Machine mail to spam', {
      mailboxId: null,
      match: 'any',
      conditions: [{ field: 'category', values: ['bulk', 'bounce'] }],
      actions: [{ type: 'spam' }],
    });
    await save('Chinese price words', {
      conditions: [
        { field: 'subject-or-body', op: 'regex', values: ['价格|报价'] },
        { field: 'contact', value: 'first' },
      ],
    });
    await save('Unanswered later', { trigger: 'schedule', afterWorkingHours: 4 });
    await save('Switched off', { enabled: false });
    await save('Info only', { mailboxId: other.id });
  });
  afterAll(async () => {
    await ws?.close();
    await database?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('prints one contract line per file and stores nothing', async () => {
    const before = await counts();
    const files = [file('german'), file('newsletter'), file('bounce'), file('chinese')];
    const { stdout } = await runCli(database, ['rules', 'test', '--mailbox', 'sales@acme.test', ...files]);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const line of lines) expect(Object.keys(line)).toEqual(['file', 'category', 'country', 'language', 'rules', 'autoReply']);
    expect(lines.map((l) => l.file)).toEqual(files);
    expect(lines[0]).toMatchObject({ category: 'person', country: 'DE', language: 'de', rules: ['German LED inquiry'] });
    expect(lines[1]).toMatchObject({ category: 'bulk', rules: ['Machine mail to spam'] });
    expect(lines[2]).toMatchObject({ category: 'bounce', rules: ['Machine mail to spam'] });
    expect(lines[3]).toMatchObject({ category: 'person', country: 'CN', language: 'zh', rules: ['Chinese price words'] });
    // The auto-reply module's decision (decision 0031): this mailbox has its auto-reply off.
    for (const line of lines) expect(line.autoReply).toEqual({ send: false, reason: 'auto_reply_off' });
    expect(await counts()).toEqual(before);
  });

  it('refuses an unknown mailbox with a clear message', async () => {
    const failed = await runCli(database, ['rules', 'test', '--mailbox', 'nobody@acme.test', file('german')]).catch((e: unknown) => e);
    expect(failed).toMatchObject({ code: 2, stderr: expect.stringContaining('no mailbox nobody@acme.test') });
  });
});
