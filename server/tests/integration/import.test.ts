import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { startTestPier } from '../support/pier.js';
import { runCli } from '../support/pier-process.js';
import { addMailbox, withTestWorkspace } from '../support/workspace-setup.js';

const mail = (n: number, extra = '') =>
  `Message-ID: <hist-${n}@globex.test>\nFrom: Maria <maria@globex.test>\nTo: sales@acme.test\nSubject: History ${n}\nDate: Mon, 0${n} Jun 2025 10:00:00 +0000\n\nOld order ${n}.\n${extra}`;

// mboxrd: a body line starting with "From " is written as ">From ".
const mbox = [
  // The delivery stamp differs from the Date header by a minute: the stamp wins.
  'From maria@globex.test Mon Jun  1 10:01:00 2025',
  mail(1, '>From the warehouse: shipped.\n'),
  'From maria@globex.test Tue Jun  2 10:00:00 2025',
  mail(2),
  '',
].join('\n');

describe.each(engines)('importing history on %s', (engine) => {
  let database: TestDatabase;
  let dir: string;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    dir = mkdtempSync(path.join(tmpdir(), 'pier-import-test-'));
    writeFileSync(path.join(dir, 'sales-2025.mbox'), mbox);
    mkdirSync(path.join(dir, 'eml'));
    writeFileSync(path.join(dir, 'eml', 'three.eml'), mail(3).replaceAll('\n', '\r\n'));
    writeFileSync(path.join(dir, 'eml', 'four.eml'), mail(4));
    await withTestWorkspace(database, (ws) => addMailbox(ws, { address: 'sales@acme.test', name: 'Sales', purpose: 'sales' }));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await database?.drop();
  });

  it('imports an .mbox and a folder of .eml files and prints counts of new, known and failed', async () => {
    const first = await runCli(database, [
      'import',
      '--mailbox',
      'sales@acme.test',
      path.join(dir, 'sales-2025.mbox'),
      path.join(dir, 'eml'),
    ]);
    expect(JSON.parse(first.stdout)).toEqual({ new: 4, known: 0, failed: 0, failures: [] });
    const again = await runCli(database, ['import', '--mailbox', 'sales@acme.test', dir]);
    expect(JSON.parse(again.stdout)).toMatchObject({ new: 0, known: 4, failed: 0 });

    // History sorts as it happened, not all "now": the mbox stamp, else the Date header.
    const handle = openDatabase(database);
    try {
      const rows = await handle.db
        .selectFrom('messages')
        .select(['subject', 'received_at'])
        .where('subject', 'like', 'History %')
        .execute();
      const receivedAt = Object.fromEntries(rows.map((r) => [r.subject, Number(r.received_at)]));
      expect(receivedAt).toEqual({
        'History 1': Date.UTC(2025, 5, 1, 10, 1),
        'History 2': Date.UTC(2025, 5, 2, 10, 0),
        'History 3': Date.UTC(2025, 5, 3, 10, 0),
        'History 4': Date.UTC(2025, 5, 4, 10, 0),
      });
    } finally {
      await handle.close();
    }
  });

  it('counts each distinct malformed mail as new the first time and keeps its own bytes, never "known" because another came first', async () => {
    const malformed: [string, string][] = [
      ['body-one.eml', '\r\nbody ONE\r\n'],
      ['body-two.eml', '\r\nbody TWO\r\n'],
      ['header-a.eml', 'X-Note: no blank line A\r\n'],
      ['header-b.eml', 'X-Note: no blank line B\r\n'],
      ['empty.eml', ''],
      ['random.eml', '\u0007\u00ff\u0010 random bytes, no header\r\n\u0000'],
    ];
    const folder = path.join(dir, 'malformed');
    mkdirSync(folder);
    for (const [name, text] of malformed) writeFileSync(path.join(folder, name), Buffer.from(text, 'latin1'));
    const first = await runCli(database, ['import', '--mailbox', 'sales@acme.test', folder]);
    expect(JSON.parse(first.stdout)).toEqual({ new: 6, known: 0, failed: 0, failures: [] });
    const again = await runCli(database, ['import', '--mailbox', 'sales@acme.test', folder]);
    expect(JSON.parse(again.stdout)).toEqual({ new: 0, known: 6, failed: 0, failures: [] });

    const handle = openDatabase(database);
    try {
      const shas = malformed.map(([, text]) => createHash('sha256').update(Buffer.from(text, 'latin1')).digest('hex'));
      const rows = await handle.db
        .selectFrom('messages')
        .innerJoin('message_bodies', 'message_bodies.message_id', 'messages.id')
        .select(['messages.raw_sha256', 'message_bodies.text'])
        .where('messages.raw_sha256', 'in', shas)
        .execute();
      const textOf = new Map(rows.map((r) => [r.raw_sha256, r.text]));
      expect(textOf.size).toBe(6);
      expect(shas.slice(0, 2).map((sha) => textOf.get(sha))).toEqual(['body ONE', 'body TWO']);
    } finally {
      await handle.close();
    }
  });

  it('reports a missing path as failed with the reason, and exits non-zero', async () => {
    await expect(runCli(database, ['import', '--mailbox', 'sales@acme.test', path.join(dir, 'nope.mbox')])).rejects.toMatchObject({
      code: 1,
      stdout: expect.stringContaining('ENOENT'),
    });
  });

  it('imports an uploaded .mbox through the API for an admin, and refuses an agent', async () => {
    const pier = await startTestPier(database);
    try {
      await createAccount(pier.workspace.db, { email: 'boss@acme.test', name: 'Boss', password: 'boss password 12', role: 'admin' });
      await createAccount(pier.workspace.db, { email: 'agent@acme.test', name: 'Agent', password: 'agent password 1', role: 'agent' });
      const mailbox = await pier.workspace.db.selectFrom('mailboxes').select('id').executeTakeFirstOrThrow();
      const upload = (api: ReturnType<typeof pier.api>) =>
        api.request('POST', `/api/mailboxes/${mailbox.id}/import`, {
          rawBody: mbox.replaceAll('hist-', 'upload-'),
          headers: { 'content-type': 'application/mbox' },
        });
      const admin = pier.api();
      await admin.post('/api/auth/login', { email: 'boss@acme.test', password: 'boss password 12' });
      expect(await upload(admin)).toMatchObject({ status: 200, body: { new: 2, known: 0, failed: 0 } });
      const agent = pier.api();
      await agent.post('/api/auth/login', { email: 'agent@acme.test', password: 'agent password 1' });
      expect((await upload(agent)).status).toBe(403);
      const body = await pier.workspace.db.selectFrom('message_bodies').select('text').where('text', 'like', '%warehouse%').execute();
      // The mboxrd escape is undone: the line reads "From the warehouse" again.
      expect(body.map((b) => b.text.trim().split('\n').at(-1))).toContain('From the warehouse: shipped.');
    } finally {
      await pier.stop();
    }
  });
});
