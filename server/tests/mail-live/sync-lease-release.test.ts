// A mailbox paused or removed on one node must stop syncing on the node that holds its IMAP lease
// at once, and free the lease (decision 0056): found in review — the holder only noticed at its
// next scan, and even then kept the lease row until it expired. The supervisors here never scan on
// their own (scanMs 10 min): only the announcement (`live.mailboxesChanged()`, what the mailbox
// routes call) can make them act. On PostgreSQL the two supervisors are two "nodes" (two
// workspaces, each with its own LISTEN connection); on SQLite, two supervisors of one process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../src/compose.js';
import { removeMailbox, updateMailbox } from '../../src/modules/mailboxes/index.js';
import { type MailboxSyncReport, startSyncSupervisor } from '../../src/modules/sync/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { emptyMailboxes } from '../support/mail-server.js';
import { waitFor } from '../support/wait.js';
import { addTestImapMailbox, openTestWorkspace, quietLogger } from '../support/workspace.js';

const ADDRESS = 'accounting@acme.test';

describe.each(engines)('IMAP lease of a paused or removed mailbox on %s', (engine) => {
  let database: TestDatabase;
  const workspaces: Workspace[] = [];
  const supervisors: ReturnType<typeof startSyncSupervisor>[] = [];
  const reports: { node: string; report: MailboxSyncReport }[] = [];

  beforeAll(async () => {
    await emptyMailboxes(ADDRESS);
    database = await createTestDatabase(engine);
    const first = await openTestWorkspace(database);
    // SQLite is one process: both supervisors share its workspace (and its in-process bus).
    const second = engine === 'postgres' ? await openTestWorkspace(database) : first;
    workspaces.push(first, second);
    for (const [index, ws] of [first, second].entries()) {
      const node = `node-${index + 1}`;
      supervisors.push(
        startSyncSupervisor({
          ...ws,
          logger: quietLogger,
          workerId: node,
          bus: ws.live.bus,
          scanMs: 600_000,
          otherFoldersEveryMs: 600_000,
          onReport: (report) => reports.push({ node, report }),
        }),
      );
    }
  });
  afterAll(async () => {
    for (const supervisor of supervisors) await supervisor.stop();
    for (const ws of new Set(workspaces)) await ws.close();
    await database?.drop();
  });

  const leaseOf = (mailboxId: string) =>
    workspaces[0]?.db.selectFrom('leases').select(['holder', 'expires_at']).where('name', '=', `imap:${mailboxId}`).executeTakeFirst();

  it('stops and frees the lease at once when paused or removed on another node, and is taken again when resumed', async () => {
    const [first, second] = workspaces as [Workspace, Workspace];
    const mailbox = await addTestImapMailbox(first, ADDRESS);
    for (const supervisor of supervisors) supervisor.rescan();
    const holder = await waitFor(async () => (await leaseOf(mailbox.id))?.holder, 'a node takes the lease');
    await waitFor(async () => (reports.some((r) => r.node === holder && r.report.ok) ? true : undefined), 'the first sync');
    // The change is made, and announced, through the node that does not hold the lease.
    const other = engine === 'postgres' && holder === 'node-1' ? second : first;

    await updateMailbox(other.db, mailbox.id, { status: 'paused' }, other.secrets);
    other.live.mailboxesChanged();
    const pausedAt = Date.now();
    await waitFor(async () => ((await leaseOf(mailbox.id)) ? undefined : true), 'the lease of the paused mailbox freed', 15_000);
    const freedAfterMs = Date.now() - pausedAt;
    const reportsWhenFreed = reports.length;

    await updateMailbox(other.db, mailbox.id, { status: 'active' }, other.secrets);
    other.live.mailboxesChanged();
    await waitFor(async () => (await leaseOf(mailbox.id))?.holder, 'a node takes the resumed mailbox');
    await waitFor(async () => (reports.length > reportsWhenFreed ? true : undefined), 'the resumed mailbox syncs');

    await removeMailbox(other.db, mailbox.id, { purge: false, deleteMail: async () => {} });
    other.live.mailboxesChanged();
    await waitFor(async () => ((await leaseOf(mailbox.id)) ? undefined : true), 'the lease of the removed mailbox freed', 15_000);
    // Far below the 20-s lease (what the holder kept before) and the 10-min scan these supervisors have.
    expect(freedAfterMs).toBeLessThan(15_000);
  });
});
