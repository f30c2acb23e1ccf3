// `pier sync --once` against the real Dovecot: every mailbox (or the one named) synced once, one JSON
// report line each, then the process exits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMailboxWithCli } from '../support/cli-mailbox.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { deliver } from '../support/mail-server.js';
import { waitForMail } from '../support/outbox.js';
import { runCli } from '../support/pier-process.js';
import { openTestWorkspace } from '../support/workspace.js';

const mailboxes = ['info@acme.test', 'accounting@acme.test'];
const token = `Sync once ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

describe.each(engines)('pier sync --once on %s', (engine) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    for (const address of mailboxes) {
      await addMailboxWithCli(database, { address, name: address, testBench: { folders: 'inbox', sinceDays: '1' } });
      await deliver({ from: 'Maria <buyer@customer.test>', to: address, subject: `${token} ${engine}`, text: 'Please quote.' });
    }
    // Delivery is asynchronous: both mails are in Dovecot before the sync starts.
    for (const address of mailboxes) await waitForMail(address, 'INBOX', `${token} ${engine}`);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('syncs every mailbox once, prints one report line each, and exits', async () => {
    const { stdout } = await runCli(database, ['sync', '--once']);
    const reports = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { mailbox: string; ok: boolean });
    expect(reports.map((r) => [r.mailbox, r.ok]).sort()).toEqual(mailboxes.map((m) => [m, true]).sort());
    const ws = await openTestWorkspace(database);
    try {
      const stored = await ws.db
        .selectFrom('messages')
        .innerJoin('message_locations', 'message_locations.message_id', 'messages.id')
        .innerJoin('mailboxes', 'mailboxes.id', 'message_locations.mailbox_id')
        .select('mailboxes.address')
        .where('messages.subject', '=', `${token} ${engine}`)
        .execute();
      expect(stored.map((s) => s.address).sort()).toEqual([...mailboxes].sort());
    } finally {
      await ws.close();
    }
  });

  it('syncs only the mailbox named with --mailbox', async () => {
    const { stdout } = await runCli(database, ['sync', '--once', '--mailbox', 'info@acme.test']);
    expect(
      stdout
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { mailbox: string }).mailbox),
    ).toEqual(['info@acme.test']);
  });

  it('refuses to run without --once and says what keeps mailboxes synced', async () => {
    await expect(runCli(database, ['sync'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('add --once'),
    });
  });
});
