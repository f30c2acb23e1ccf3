import type { ConversationSummary } from '@pier/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../src/compose.js';
import { dataVersionOf } from '../../src/db/database.js';
import { ingestMail, listConversations } from '../../src/modules/conversations/index.js';
import { cancelSend, queueSend } from '../../src/modules/outbox/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { mergeConversations } from '../../src/modules/triage/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { createAgent } from '../support/outbox.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD } from '../support/users.js';
import { waitFor } from '../support/wait.js';
import { addTestImapMailbox, openTestWorkspace } from '../support/workspace.js';

/**
 * The conversation list reads the newest message's sender and snippet from
 * columns on `conversations` (migration 0011, decision record 0014). Every writer
 * must keep them in step in its own transaction: after each step of a mixed
 * sequence (new mail, a reply, a late older mail, an outgoing reply and its undo,
 * a merge) the denormalised line equals what the messages say, for every
 * conversation, on both engines — and the list API shows it.
 */
describe.each(engines)('the denormalised list line on %s', (engine) => {
  let database: TestDatabase;
  let ws: Workspace;
  let sales: Awaited<ReturnType<typeof addTestImapMailbox>>;
  let agent: Awaited<ReturnType<typeof createAgent>>;
  const ctx = () => ({
    engine: ws.engine,
    ownAddresses: new Set(['sales@acme.test']),
    messageIds: ws.messageIds,
    recordReopened: ws.recordReopened,
    teamActivity: ws.teamActivity,
  });
  const deliver = (headers: string, body: string, receivedAt: number) =>
    ingestMail(
      { db: ws.db, blobs: ws.blobs, ctx: ctx() },
      {
        raw: Buffer.from(`${headers}\r\nTo: sales@acme.test\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`),
        mailboxIds: [sales.id],
        source: 'smtp',
        receivedAt,
      },
    );

  /** Every conversation: the denormalised columns against the newest message (received_at, then id). */
  async function expectInStep() {
    const rows = await ws.db.selectFrom('conversations').select(['id', 'last_from_addr', 'last_from_name', 'last_snippet']).execute();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const newest = await ws.db
        .selectFrom('conversation_messages')
        .innerJoin('messages', 'messages.id', 'conversation_messages.message_id')
        .select(['messages.from_addr', 'messages.from_name', 'messages.snippet'])
        .where('conversation_messages.conversation_id', '=', row.id)
        .orderBy('messages.received_at', 'desc')
        .orderBy('messages.id', 'desc')
        .limit(1)
        .executeTakeFirst();
      expect({ id: row.id, addr: row.last_from_addr, name: row.last_from_name, snippet: row.last_snippet }).toEqual({
        id: row.id,
        addr: newest?.from_addr ?? null,
        name: newest?.from_name ?? null,
        snippet: newest?.snippet ?? '',
      });
    }
  }
  const line = async (conversationId: string) => {
    const page = await listConversations(ws.db, { mailboxIds: 'all', userId: agent.user.id, limit: 50, engine: ws.engine });
    const item = page.items.find((c) => c.id === conversationId);
    return item && { fromAddress: item.fromAddress, fromName: item.fromName, snippet: item.snippet };
  };

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    ws = await openTestWorkspace(database);
    sales = await addTestImapMailbox(ws, 'sales@acme.test');
    agent = await createAgent(ws, sales, 'li.wei@acme.test', 'Li Wei');
  });
  afterAll(async () => {
    await ws?.close();
    await database?.drop();
  });

  it('follows ingest, late mail, an outgoing reply and its undo, and a merge', async () => {
    const t = Date.UTC(2026, 10, 20, 9);
    const first = await deliver(
      'Message-ID: <a1@lopez.test>\r\nFrom: Maria Lopez <maria@lopez.test>\r\nSubject: RFQ LED panels',
      'Please quote 500 panels.',
      t,
    );
    const other = await deliver(
      'Message-ID: <b1@bob.test>\r\nFrom: Bob <bob@bob.test>\r\nSubject: Samples',
      'Samples sent by DHL.',
      t + 1000,
    );
    await expectInStep();
    expect(await line(first.conversationId)).toEqual({
      fromAddress: 'maria@lopez.test',
      fromName: 'Maria Lopez',
      snippet: 'Please quote 500 panels.',
    });

    // A reply from a colleague of the customer moves the line.
    const reply = await deliver(
      'Message-ID: <a2@lopez.test>\r\nIn-Reply-To: <a1@lopez.test>\r\nFrom: Pedro <pedro@lopez.test>\r\nSubject: Re: RFQ LED panels',
      'Also 200 drivers, 报价 please.',
      t + 60_000,
    );
    expect(reply.conversationId).toBe(first.conversationId);
    await expectInStep();
    expect(await line(first.conversationId)).toMatchObject({ fromAddress: 'pedro@lopez.test', snippet: 'Also 200 drivers, 报价 please.' });

    // Mail that arrives late (older than the newest) joins the thread but does not take the line.
    const late = await deliver(
      'Message-ID: <a0@lopez.test>\r\nReferences: <a1@lopez.test>\r\nFrom: Ana <ana@lopez.test>\r\nSubject: Re: RFQ LED panels',
      'An older note.',
      t + 30_000,
    );
    expect(late.conversationId).toBe(first.conversationId);
    await expectInStep();
    expect(await line(first.conversationId)).toMatchObject({ fromAddress: 'pedro@lopez.test' });

    // An outgoing reply (stored by the outbox through ingest) is the newest; undo send puts the line back.
    const item = await queueSend(
      {
        db: ws.db,
        engine: ws.engine,
        blobs: ws.blobs,
        messageIds: ws.messageIds,
        recordReopened: ws.recordReopened,
        teamActivity: ws.teamActivity,
      },
      agent.actor,
      {
        mailboxId: sales.id,
        mode: 'reply',
        conversationId: first.conversationId,
        to: ['pedro@lopez.test'],
        cc: [],
        bcc: [],
        subject: 'Re: RFQ LED panels',
        html: '<p>Our price is USD 4.20 FOB Ningbo.</p>',
        uploadIds: [],
        force: true,
      },
    );
    await expectInStep();
    expect(await line(first.conversationId)).toMatchObject({ fromAddress: 'sales@acme.test' });
    expect((await line(first.conversationId))?.snippet).toContain('USD 4.20');
    await cancelSend(
      {
        db: ws.db,
        engine: ws.engine,
        blobs: ws.blobs,
        messageIds: ws.messageIds,
        recordReopened: ws.recordReopened,
        teamActivity: ws.teamActivity,
      },
      agent.actor,
      item.id,
    );
    await expectInStep();
    expect(await line(first.conversationId)).toMatchObject({ fromAddress: 'pedro@lopez.test' });

    // Newer mail in the other conversation, then a merge: the merged conversation shows the newest of both.
    await deliver(
      'Message-ID: <b2@bob.test>\r\nIn-Reply-To: <b1@bob.test>\r\nFrom: Bob <bob@bob.test>\r\nSubject: Re: Samples',
      'Tracking number 1Z999.',
      t + 120_000,
    );
    await mergeConversations(
      ws.db,
      { id: agent.user.id, name: 'Li Wei', scope: agent.actor.scope },
      other.conversationId,
      first.conversationId,
    );
    await expectInStep();
    expect(await line(first.conversationId)).toEqual({ fromAddress: 'bob@bob.test', fromName: 'Bob', snippet: 'Tracking number 1Z999.' });
    expect(await line(other.conversationId)).toBeUndefined();
  });
});

/**
 * The list API keeps answers per node while the database is unchanged (decision record 0014).
 * A write through Pier, a write below the API (ingest) and a commit by another connection (as the CLI
 * makes) must each show in the very next list.
 */
describe.each(engines)('the list API after writes (response cache) on %s', (engine) => {
  let database: TestDatabase;
  let pier: Awaited<ReturnType<typeof startTestPier>>;
  let sales: string;
  const password = TEST_PASSWORD;
  const subjects = async (client: ReturnType<typeof pier.api>) =>
    (await client.get<{ items: ConversationSummary[] }>('/api/conversations')).body.items.map(
      (c) => `${c.subject}|${c.assignee?.name ?? ''}`,
    );
  const mail = (id: string, subject: string) =>
    ingestMail(
      {
        db: pier.workspace.db,
        blobs: pier.workspace.blobs,
        ctx: {
          engine: pier.workspace.engine,
          ownAddresses: new Set(['sales@acme.test']),
          messageIds: pier.workspace.messageIds,
          recordReopened: pier.workspace.recordReopened,
          teamActivity: pier.workspace.teamActivity,
        },
      },
      {
        raw: Buffer.from(`Message-ID: <${id}@c.test>\r\nFrom: c@c.test\r\nTo: sales@acme.test\r\nSubject: ${subject}\r\n\r\nHello\r\n`),
        mailboxIds: [sales],
        source: 'smtp',
      },
    );

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    pier = await startTestPier(database);
    await createAccount(pier.workspace.db, { email: 'boss@acme.test', name: 'Boss', password, role: 'admin' });
    sales = (await addTestImapMailbox(pier.workspace, 'sales@acme.test')).id;
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  it('never answers an old list after a write', async () => {
    const boss = pier.api();
    expect((await boss.post('/api/auth/login', { email: 'boss@acme.test', password })).status).toBe(200);
    const first = await mail('one', 'First');
    expect(await subjects(boss)).toEqual(['First|']);
    expect(await subjects(boss)).toEqual(['First|']);
    // Below the API, in this process.
    await mail('two', 'Second');
    expect((await subjects(boss)).sort()).toEqual(['First|', 'Second|']);
    // Through the API.
    const me = (await boss.get<{ user: { id: string } }>('/api/session')).body.user.id;
    expect((await boss.post(`/api/conversations/${first.conversationId}/assign`, { assigneeId: me })).status).toBe(200);
    expect((await subjects(boss)).sort()).toEqual(['First|Boss', 'Second|']);
    // Another connection to the same database (as the CLI or another node would commit).
    const other = await openTestWorkspace(database);
    try {
      await other.db.updateTable('conversations').set({ subject: 'Renamed' }).where('id', '=', first.conversationId).execute();
    } finally {
      await other.close();
    }
    // SQLite sees it at the next read (data_version); a PostgreSQL node once the NOTIFY arrives (list-cache-nodes.test.ts).
    if (engine === 'postgres') {
      await waitFor(async () => ((await subjects(boss)).sort().join() === 'Renamed|Boss,Second|' ? true : undefined), 'the NOTIFY', 5_000);
    }
    expect((await subjects(boss)).sort()).toEqual(['Renamed|Boss', 'Second|']);
    // Many requests at once after a write share one fresh answer.
    await mail('three', 'Third');
    const together = await Promise.all(Array.from({ length: 20 }, () => subjects(boss)));
    for (const answer of together) expect(answer.sort()).toEqual(['Renamed|Boss', 'Second|', 'Third|']);
  });

  // PostgreSQL: list-cache-nodes.test.ts (its version moves at COMMIT).
  it.skipIf(engine !== 'sqlite')('counts a statement as a write only when it changed rows', async () => {
    const version = dataVersionOf(pier.workspace.db) as () => string;
    const { db } = pier.workspace;
    const before = version();
    await db.updateTable('conversations').set({ subject: 'Nobody' }).where('id', '=', 'no such conversation').execute();
    await db.deleteFrom('conversations').where('id', '=', 'no such conversation').returning('id').execute();
    expect(version()).toBe(before);
    await db.updateTable('conversations').set({ subject: 'Renamed again' }).where('subject', '=', 'Renamed').execute();
    expect(version()).not.toBe(before);
  });
});
