import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../src/compose.js';
import { type MailboxSyncReport, startSyncSupervisor } from '../../src/modules/sync/index.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { testEnv } from '../support/env.js';
import { deliver, emptyMailboxes, mailServer, withImap } from '../support/mail-server.js';
import { addTestImapMailbox, openTestWorkspace, quietLogger } from '../support/workspace.js';

/** Polls until `check` is true; returns the milliseconds it took. */
async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return Date.now() - started;
}

/** Restarts the test Dovecot the way an admin would: stop the master, start it again with the same config. */
async function restartDovecot(): Promise<void> {
  const dir = testEnv('PIER_TEST_ENV_DIR');
  const pid = Number(readFileSync(path.join(dir, 'dovecot/run/master.pid'), 'utf8').trim());
  process.kill(pid, 'SIGTERM');
  await waitUntil(async () => {
    try {
      process.kill(pid, 0);
      const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2];
      return state === 'Z';
    } catch {
      return true;
    }
  }, 15_000);
  // Dovecot's master keeps inherited stdio open: detach it completely.
  spawn('dovecot', ['-c', path.join(dir, 'dovecot/dovecot.conf')], { stdio: 'ignore', detached: true }).unref();
  await waitUntil(async () => {
    try {
      const net = await import('node:net');
      return await new Promise<boolean>((resolve) => {
        const socket = net.connect(mailServer.imapPort, '127.0.0.1', () => {
          socket.destroy();
          resolve(true);
        });
        socket.on('error', () => resolve(false));
      });
    } catch {
      return false;
    }
  }, 15_000);
}

describe('push: new mail arrives over IMAP IDLE', () => {
  let database: TestDatabase;
  let ws: Workspace;
  let supervisor: ReturnType<typeof startSyncSupervisor>;
  const reports: MailboxSyncReport[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    ws = await openTestWorkspace(database);
    await emptyMailboxes('support@acme.test');
    await addTestImapMailbox(ws, 'support@acme.test');
    // No polling: other folders every 10 minutes, so only IDLE can bring mail in quickly.
    supervisor = startSyncSupervisor({
      ...ws,
      logger: quietLogger,
      workerId: 'push-test',
      otherFoldersEveryMs: 600_000,
      scanMs: 200,
      onReport: (report) => reports.push(report),
    });
    await waitUntil(
      async () => Boolean(await ws.db.selectFrom('folders').select('id').where('path', '=', 'INBOX').executeTakeFirst()),
      15_000,
    );
  });
  afterAll(async () => {
    await supervisor?.stop();
    await ws?.close();
    await database?.drop();
  });

  const stored = (subject: string) => async () =>
    Boolean(await ws.db.selectFrom('messages').select('id').where('subject', '=', subject).executeTakeFirst());

  it('stores a mail delivered by Postfix within seconds, without polling', async () => {
    await new Promise((r) => setTimeout(r, 300)); // let the connection settle into IDLE
    await deliver({ from: 'buyer@customer.test', to: 'support@acme.test', subject: 'pushed 1', text: 'over IDLE' });
    const ms = await waitUntil(stored('pushed 1'), 10_000);
    expect(ms).toBeLessThan(5_000);
  });

  it('follows a flag change and an expunge made on the server during IDLE, with QRESYNC', async () => {
    const location = () =>
      ws.db
        .selectFrom('message_locations')
        .innerJoin('messages', 'messages.id', 'message_locations.message_id')
        .select('message_locations.flags')
        .where('messages.subject', '=', 'pushed 1')
        .executeTakeFirst();
    const inboxReports = () => reports.flatMap((r) => r.folders.filter((f) => f.path === 'INBOX'));
    await new Promise((r) => setTimeout(r, 300)); // back in IDLE after the last sync
    let seen = inboxReports().length;
    await withImap('support@acme.test', async (client) => {
      await client.mailboxOpen('INBOX');
      await client.messageFlagsAdd({ subject: 'pushed 1' }, ['\\Flagged']);
    });
    // Woken by the FETCH during IDLE; the sync that followed learnt the change from QRESYNC.
    await waitUntil(
      async () =>
        inboxReports()
          .slice(seen)
          .some((f) => f.flagsUpdated === 1),
      10_000,
    );
    expect(
      inboxReports()
        .slice(seen)
        .every((f) => f.resync === 'qresync'),
    ).toBe(true);
    expect(JSON.parse((await location())?.flags ?? '[]')).toContain('\\Flagged');

    await new Promise((r) => setTimeout(r, 300));
    seen = inboxReports().length;
    await withImap('support@acme.test', async (client) => {
      await client.mailboxOpen('INBOX');
      await client.messageDelete({ subject: 'pushed 1' });
    });
    // Woken by VANISHED during IDLE; the sync that followed learnt the expunge from QRESYNC, not UID SEARCH ALL.
    await waitUntil(
      async () =>
        inboxReports()
          .slice(seen)
          .some((f) => f.removed === 1),
      10_000,
    );
    expect(
      inboxReports()
        .slice(seen)
        .every((f) => f.resync === 'qresync'),
    ).toBe(true);
    expect(await location()).toBeUndefined();
    // The mail itself stays.
    expect(await ws.db.selectFrom('messages').select('id').where('subject', '=', 'pushed 1').executeTakeFirst()).toBeDefined();
  });

  it('reconnects after the IMAP server restarts mid-IDLE and catches up on what arrived meanwhile', async () => {
    await restartDovecot();
    await deliver({ from: 'buyer@customer.test', to: 'support@acme.test', subject: 'while down', text: 'delivered during the restart' });
    await waitUntil(stored('while down'), 30_000);
    await deliver({ from: 'buyer@customer.test', to: 'support@acme.test', subject: 'pushed 2', text: 'after reconnect' });
    await waitUntil(stored('pushed 2'), 30_000);
    const count = await ws.db.selectFrom('messages').select('id').execute();
    expect(count).toHaveLength(3);
  });

  it('holds the IMAP lease so a second worker does not sync the same mailbox', async () => {
    const lease = await ws.db.selectFrom('leases').selectAll().executeTakeFirstOrThrow();
    expect(lease).toMatchObject({ holder: 'push-test' });
    expect(lease.expires_at).toBeGreaterThan(Date.now());
    const other = startSyncSupervisor({ ...ws, logger: quietLogger, workerId: 'intruder', scanMs: 100 });
    await new Promise((r) => setTimeout(r, 500));
    await other.stop();
    expect((await ws.db.selectFrom('leases').selectAll().executeTakeFirstOrThrow()).holder).toBe('push-test');
  });
});
