// Rescans in a row (a test or an admin adding mailboxes one after another) must not start two
// runners for one mailbox: the one the supervisor forgot was never stopped, kept its IMAP IDLE open
// past the workspace's close, and its next database read failed as "driver has already been
// destroyed" in whichever test file ran then (seen during crash-safety, after forwarding-loops added
// three mailboxes to a running Pier).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../src/compose.js';
import { type MailboxSyncReport, startSyncSupervisor } from '../../src/modules/sync/index.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { emptyMailboxes } from '../support/mail-server.js';
import { waitFor } from '../support/wait.js';
import { addTestImapMailbox, openTestWorkspace, quietLogger } from '../support/workspace.js';

describe('sync supervisor rescans', () => {
  let database: TestDatabase;
  let ws: Workspace;

  beforeAll(async () => {
    await emptyMailboxes('info@acme.test');
    database = await createTestDatabase('sqlite');
    ws = await openTestWorkspace(database);
  });
  afterAll(async () => {
    await ws?.close();
    await database?.drop();
  });

  it('runs one sync per mailbox when rescans come in a row', async () => {
    const reports: MailboxSyncReport[] = [];
    // No periodic scan and no periodic folder check: every report here comes from a runner's first sync.
    const supervisor = startSyncSupervisor({
      ...ws,
      logger: quietLogger,
      workerId: 'rescans',
      scanMs: 600_000,
      otherFoldersEveryMs: 600_000,
      onReport: (report) => reports.push(report),
    });
    try {
      await addTestImapMailbox(ws, 'info@acme.test');
      supervisor.rescan();
      supervisor.rescan();
      await waitFor(async () => (reports.length > 0 ? true : undefined), 'the first sync');
      // A second runner would start its first sync within milliseconds of the first (same scan
      // timing, an empty mailbox): wait well past that before counting.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(reports.map((r) => r.ok)).toEqual([true]);
    } finally {
      await supervisor.stop();
    }
  });
});
