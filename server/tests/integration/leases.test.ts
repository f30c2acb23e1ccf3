import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../../src/compose.js';
import { holderIdOf, localHolderId } from '../../src/jobs/local-holder.js';
import { acquireLease } from '../../src/modules/sync/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';

describe.each(engines)('leases on %s', (engine) => {
  let database: TestDatabase;
  let ws: Workspace;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    ws = await openWorkspace({ ...database, secretKey: undefined });
  });
  afterAll(async () => {
    await ws?.close();
    await database?.drop();
  });

  it("takes at once a lease whose holder was a process of this host that died, and waits for expiry when it was another host's", async () => {
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { stdio: 'ignore' });
    const predecessor = holderIdOf(child.pid ?? -1);
    const remote = predecessor.replace(/^[^:]+/, 'other-host');
    expect(await acquireLease(ws.db, 'imap:local', predecessor, 60_000)).toBe(true);
    expect(await acquireLease(ws.db, 'imap:remote', remote, 60_000)).toBe(true);
    // Alive: its lease is its own.
    expect(await acquireLease(ws.db, 'imap:local', localHolderId(), 60_000)).toBe(false);
    child.kill('SIGKILL');
    await once(child, 'exit');
    expect(await acquireLease(ws.db, 'imap:local', localHolderId(), 60_000)).toBe(true);
    expect(await acquireLease(ws.db, 'imap:remote', localHolderId(), 60_000)).toBe(false);
    const rows = await ws.db.selectFrom('leases').select(['name', 'holder']).where('name', 'like', 'imap:%').orderBy('name').execute();
    expect(rows).toEqual([
      { name: 'imap:local', holder: localHolderId() },
      { name: 'imap:remote', holder: remote },
    ]);
  });
});
