import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount } from '../../src/modules/security/index.js';
import { addMailboxWithCli } from '../support/cli-mailbox.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { startTestPier } from '../support/pier.js';
import { runCli } from '../support/pier-process.js';

const mail = (n: number, extra = '') =>
  `Message-ID: <hist-${n}@globex.test>\nFrom: Maria <maria@globex.test>\nTo: sales@acme.test\nSubject: History ${n}\nDate: Mon, 0${n} Jun 2025 10:00:00 +0000\n\nOld order ${n}.\n${extra}`;

// mboxrd: a body line starting with "From " is written as ">From ".
const mbox = [
  'From maria@globex.test Mon Jun  1 10:00:00 2025',
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
    await addMailboxWithCli(database, { address: 'sales@acme.test', name: 'Sales', purpose: 'sales' });
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
