import type { ConversationSummary } from '@pier/contracts';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataVersionOf } from '../../src/db/database.js';
import { ingestMail } from '../../src/modules/conversations/index.js';
import { createMailbox } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD as password } from '../support/users.js';
import { waitFor } from '../support/wait.js';
import { openTestWorkspace } from '../support/workspace.js';

type Node = Awaited<ReturnType<typeof startTestPier>>;

/**
 * The list's response cache across processes (decision record 0014). PostgreSQL: two web nodes on
 * one database; node B keeps list answers until it is told (NOTIFY) of a commit on node A. SQLite:
 * one node and another connection to its file (as the CLI), told by `PRAGMA data_version`.
 */
describe.each(engines)('the list cache across processes on %s', (engine) => {
  let database: TestDatabase;
  let nodeA: Node;
  let nodeB: Node | undefined;
  let sales: string;
  const nodes = () => [nodeA, nodeB ?? nodeA] as const;

  const mail = (node: Node, id: string, subject: string) =>
    ingestMail(
      {
        db: node.workspace.db,
        blobs: node.workspace.blobs,
        ctx: {
          engine: node.workspace.engine,
          ownAddresses: new Set(['sales@acme.test']),
          messageIds: node.workspace.messageIds,
          recordReopened: node.workspace.recordReopened,
          teamActivity: node.workspace.teamActivity,
        },
      },
      {
        raw: Buffer.from(`Message-ID: <${id}@c.test>\r\nFrom: c@c.test\r\nTo: sales@acme.test\r\nSubject: ${subject}\r\n\r\nHello\r\n`),
        mailboxIds: [sales],
        source: 'smtp',
      },
    );
  const subjects = async (client: ReturnType<Node['api']>) =>
    (await client.get<{ items: ConversationSummary[] }>('/api/conversations')).body.items.map((c) => c.subject).sort();

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    // Web nodes only (on SQLite too): no worker writes beside the test's (a moved clock makes its schedules due).
    nodeA = await startTestPier(database, { PIER_ROLE: 'web' });
    if (engine === 'postgres') nodeB = await startTestPier(database, { PIER_ROLE: 'web' });
    await createAccount(nodeA.workspace.db, { email: 'boss@acme.test', name: 'Boss', password, role: 'admin' });
    sales = (await createMailbox(nodeA.workspace.db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' })).id;
  });
  afterAll(async () => {
    await nodeB?.stop();
    await nodeA?.stop();
    await database?.drop();
  });

  it("a commit on node A empties node B's cached list once B is told", async () => {
    const [a, b] = nodes();
    const onB = b.api();
    expect((await onB.post('/api/auth/login', { email: 'boss@acme.test', password })).status).toBe(200);
    await mail(a, 'one', 'First');
    // B learns of A's commit through NOTIFY (PostgreSQL) or data_version (SQLite): soon, not necessarily at once.
    await waitFor(async () => ((await subjects(onB)).join() === 'First' ? true : undefined), 'node B to show First', 5_000);
    expect(await subjects(onB)).toEqual(['First']);

    if (engine === 'postgres') {
      // The cache is real: a commit nobody announces (a bare connection, not through a node's pool) stays unseen…
      const bare = new pg.Client({ connectionString: database.databaseUrl });
      await bare.connect();
      try {
        await bare.query(`update conversations set subject = 'Renamed unannounced' where subject = 'First'`);
      } finally {
        await bare.end();
      }
      expect(await subjects(onB)).toEqual(['First']);
    }
    // …and an announced one (a mail stored on A, in a transaction) brings everything committed since.
    await mail(a, 'two', 'Second');
    const expected = engine === 'postgres' ? 'Renamed unannounced,Second' : 'First,Second';
    await waitFor(async () => ((await subjects(onB)).join() === expected ? true : undefined), 'node B to show Second', 5_000);

    // A write through node A's API (an autocommit statement or a transaction; either is announced).
    const onA = a.api();
    expect((await onA.post('/api/auth/login', { email: 'boss@acme.test', password })).status).toBe(200);
    const [conversation] = (await onA.get<{ items: ConversationSummary[] }>('/api/conversations?q=Second')).body.items;
    const me = (await onA.get<{ user: { id: string } }>('/api/session')).body.user.id;
    expect((await onA.post(`/api/conversations/${conversation?.id}/assign`, { assigneeId: me })).status).toBe(200);
    const assignee = async () =>
      (await onB.get<{ items: ConversationSummary[] }>('/api/conversations')).body.items.find((c) => c.subject === 'Second')?.assignee
        ?.name;
    await waitFor(async () => ((await assignee()) === 'Boss' ? true : undefined), 'node B to show the assignment', 5_000);
    // The node that made the change is never behind: no wait.
    await mail(a, 'three', 'Third');
    expect(await subjects(onA)).toContain('Third');
  });

  it('moves the version only for committed changes', async () => {
    const [a, b] = nodes();
    const versionA = dataVersionOf(a.workspace.db) as () => string | undefined;
    const versionB = dataVersionOf(b.workspace.db) as () => string | undefined;
    await waitFor(async () => versionB() ?? undefined, 'the version to be known');
    const { db } = a.workspace;
    const before = versionA();
    const beforeB = versionB();
    // Polls that change nothing (the job queue's claim, a schedule slot not yet due) and reads do not move it.
    await db.updateTable('conversations').set({ subject: 'Nobody' }).where('id', '=', 'no such conversation').execute();
    await db.deleteFrom('conversations').where('id', '=', 'no such conversation').returning('id').execute();
    await db.transaction().execute(async (trx) => {
      if (engine === 'postgres') await sql`select set_config('enable_seqscan', 'off', true)`.execute(trx);
      await trx.selectFrom('conversations').select('id').execute();
    });
    expect(versionA()).toBe(before);
    if (engine === 'postgres') {
      // A transaction's writes move it at COMMIT, not before (a read meanwhile could not see them); a rollback not at all.
      await db
        .transaction()
        .execute(async (trx) => {
          await trx.updateTable('conversations').set({ subject: 'Rolled back' }).where('subject', '=', 'Third').execute();
          throw new Error('undo');
        })
        .catch(() => {});
      expect(versionA()).toBe(before);
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('conversations').set({ subject: 'Third again' }).where('subject', '=', 'Third').execute();
        expect(versionA()).toBe(before);
      });
    } else {
      await db.updateTable('conversations').set({ subject: 'Third again' }).where('subject', '=', 'Third').execute();
    }
    expect(versionA()).not.toBe(before);
    if (engine === 'postgres') {
      await waitFor(async () => (versionB() !== beforeB ? true : undefined), "node B's version to move", 5_000);
    } else {
      // Another connection's commit (the CLI): seen through data_version at the next read.
      const other = await openTestWorkspace(database);
      const now = versionA();
      try {
        await other.db.updateTable('conversations').set({ subject: 'Third' }).where('subject', '=', 'Third again').execute();
      } finally {
        await other.close();
      }
      expect(versionA()).not.toBe(now);
    }
  });

  it("a session's last_seen_at touch leaves the list cache as it is; sign-out and expiry are still refused at once", async () => {
    const [a] = nodes();
    const version = dataVersionOf(a.workspace.db) as () => string | undefined;
    await mail(a, 'touch', 'Seen by a touched session');
    const client = a.api();
    expect((await client.post('/api/auth/login', { email: 'boss@acme.test', password })).status).toBe(200);
    const list = await client.get<{ items: ConversationSummary[] }>('/api/conversations');
    expect(list.status).toBe(200);
    const shown = list.body.items.map((c) => c.subject);
    expect(shown.length).toBeGreaterThan(0);
    await waitFor(async () => version() ?? undefined, 'the version to be known');
    // The newest touch of any session (this one's, after the request below).
    const lastSeen = async () =>
      Number(
        (
          await a.workspace.db
            .selectFrom('sessions')
            .select((eb) => eb.fn.max('last_seen_at').as('at'))
            .executeTakeFirst()
        )?.at,
      );
    const seenBefore = await lastSeen();
    const before = version();
    // Past the session cache and the once-a-minute touch: this request reads the session again and touches it.
    a.clock.advance(61_000);
    expect((await client.get('/api/conversations')).status).toBe(200);
    expect(await lastSeen()).toBeGreaterThan(seenBefore);
    expect(version()).toBe(before);

    // The guard runs before the cache: a signed-out session gets no cached page, not even its subjects.
    expect((await client.post('/api/auth/logout', {})).status).toBeLessThan(300);
    const signedOut = await client.get('/api/conversations');
    expect(signedOut.status).toBe(401);
    for (const subject of shown) expect(JSON.stringify(signedOut.body)).not.toContain(subject);

    // An idle session (3 days without a request) is refused on its next request, cached page or not.
    const idle = a.api();
    expect((await idle.post('/api/auth/login', { email: 'boss@acme.test', password })).status).toBe(200);
    expect((await idle.get('/api/conversations')).status).toBe(200);
    a.clock.advance(3 * 24 * 60 * 60_000 + 1);
    const expired = await idle.get('/api/conversations');
    expect(expired.status).toBe(401);
    for (const subject of shown) expect(JSON.stringify(expired.body)).not.toContain(subject);
  });
});
