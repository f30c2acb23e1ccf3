import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../src/compose.js';
import { addMailboxWithCli } from '../support/cli-mailbox.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { runCli } from '../support/pier-process.js';
import { waitFor } from '../support/wait.js';

const serverDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist');

describe.each(engines)('the pier CLI on %s', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('creates a super admin with --password-stdin and prints what it did as JSON', async () => {
    const { stdout } = await runCli(
      database,
      ['admin', 'create', '--email', 'Ops@Acme.test', '--password-stdin'],
      'from stdin, long enough\n',
    );
    expect(JSON.parse(stdout)).toMatchObject({ created: 'user', email: 'ops@acme.test', role: 'super_admin' });
  });

  it('refuses a short password and a taken email with a message and exit code 2', async () => {
    await expect(runCli(database, ['admin', 'create', '--email', 'x@acme.test', '--password', 'short'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('password must be at least 12 characters'),
    });
    await expect(runCli(database, ['admin', 'create', '--email', 'ops@acme.test', '--password', 'another long one'])).rejects.toMatchObject(
      {
        code: 2,
        stderr: expect.stringContaining('already exists'),
      },
    );
  });

  it('adds and lists mailboxes and grants access', async () => {
    await addMailboxWithCli(database, { address: 'info@acme.test', name: 'ACME Info' });
    const { stdout } = await runCli(database, ['mailbox', 'list']);
    expect(JSON.parse(stdout.trim())).toMatchObject({ address: 'info@acme.test', purpose: 'inquiry', displayName: 'ACME Info' });
    await runCli(database, ['admin', 'create', '--email', 'agent@acme.test', '--password', 'agent password 1', '--role', 'agent']);
    const granted = await runCli(database, [
      'admin',
      'grant',
      '--email',
      'agent@acme.test',
      '--mailbox',
      'info@acme.test',
      '--access',
      'read',
    ]);
    expect(JSON.parse(granted.stdout)).toEqual({ granted: 'read', user: 'agent@acme.test', mailbox: 'info@acme.test' });
    await expect(addMailboxWithCli(database, { address: 'x@acme.test', name: 'X', purpose: 'party' })).rejects.toMatchObject({
      stderr: expect.stringContaining('purpose'),
    });
    // Seven CLI processes: each starts Node and opens the workspace.
  }, 90_000);

  // Decision 0056: running nodes hear of a mailbox the CLI added at once, as of one added over HTTP.
  // SQLite has no bus between processes (the server's 5-s scan finds it there).
  it.runIf(engine === 'postgres')('announces an added mailbox to the running nodes (mailboxes.changed)', async () => {
    const node = await openWorkspace({ ...database, secretKey: undefined });
    try {
      const heard: string[] = [];
      await node.live.bus.subscribe((events) => {
        for (const event of events) heard.push(event.type);
      });
      await addMailboxWithCli(database, { address: 'announced@acme.test', name: 'Announced' });
      await waitFor(async () => (heard.includes('mailboxes.changed') ? true : undefined), 'the announcement', 5_000);
    } finally {
      await node.close();
    }
  });
});

describe('start-up configuration', () => {
  it('stops with a message naming the variable when a value is invalid', async () => {
    const run = promisify(execFile)(process.execPath, [path.join(serverDist, 'main.js')], {
      env: { ...process.env, PIER_PORT: 'eighty', DATABASE_URL: '' },
    });
    await expect(run).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/PIER_PORT .*"eighty"/) });
  });
});
