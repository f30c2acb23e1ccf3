import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../../src/compose.js';
import { ingestMail, reindexStoredMail } from '../../src/modules/conversations/index.js';
import { createMailbox } from '../../src/modules/mailboxes/index.js';
import { indexMessage, indexTextsOf, searchMessages } from '../../src/modules/search/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { runCli } from '../support/pier-process.js';

/** A Chinese inquiry hard-wrapped by the client between 报 and 价. */
const wrappedInquiry = (name: string, to: string) =>
  Buffer.from(
    [
      `Message-ID: <${name}@customer.test>`,
      'From: Wang Lei <wang@customer.test>',
      `To: ${to}`,
      `Subject: ${name}`,
      'Date: Thu, 26 Nov 2026 10:00:00 +0800',
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      '您好！我们想采购一批LED面板，请尽快报\r\n价，并寄送样品。',
      '',
    ].join('\r\n'),
  );

describe.each(engines)('npm run pier -- search reindex, on %s', (engine) => {
  let database: TestDatabase;
  let ws: Workspace;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    ws = await openWorkspace({ ...database, secretKey: undefined });
    const sales = (await createMailbox(ws.db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' })).id;
    const info = (await createMailbox(ws.db, { address: 'info@acme.test', displayName: 'Info', purpose: 'inquiry' })).id;
    const deps = {
      ...ws,
      ctx: {
        engine: ws.engine,
        ownAddresses: new Set(['sales@acme.test', 'info@acme.test']),
        messageIds: ws.messageIds,
        recordReopened: ws.recordReopened,
        teamActivity: ws.teamActivity,
      },
    };
    const mails: [string, string][] = [
      ['old-1', sales],
      ['old-2', sales],
      ['old-3', sales],
      ['old-info', info],
    ];
    for (const [i, [name, mailboxId]] of mails.entries()) {
      const result = await ingestMail(deps, {
        raw: wrappedInquiry(name, mailboxId === sales ? 'sales@acme.test' : 'info@acme.test'),
        mailboxIds: [mailboxId],
        source: 'smtp',
        receivedAt: Date.UTC(2026, 10, 1 + i),
      });
      ids[name] = result.messageId;
      // The entry an index before the CJK line-join fix made: the line break separated 报 from 价.
      await indexMessage(ws.db, ws.engine, {
        messageId: result.messageId,
        receivedAt: Date.UTC(2026, 10, 1 + i),
        texts: indexTextsOf({
          subject: name,
          body: '您好！我们想采购一批LED面板，请尽快报 价，并寄送样品。',
          participants: ['Wang Lei', 'wang@customer.test'],
          attachmentNames: [],
        }),
      });
    }
  });
  afterAll(async () => {
    await ws?.close();
    await database?.drop();
  });

  const search = async (query: string) => {
    const hits = await searchMessages(ws.db, engine, { query, limit: 50, mailboxIds: 'all' });
    const names = Object.fromEntries(Object.entries(ids).map(([name, id]) => [id, name]));
    return hits.map((h) => names[h.messageId]).sort();
  };

  it('rebuilds entries made with old tokens so 报价 finds them, only in the mailbox asked for, resuming an interrupted run', async () => {
    expect(await search('报价')).toEqual([]);
    expect(await search('样品')).toEqual(['old-1', 'old-2', 'old-3', 'old-info']);

    // An interrupted run: one batch of one message committed, with its cursor.
    const sales = await ws.db.selectFrom('mailboxes').select('id').where('address', '=', 'sales@acme.test').executeTakeFirstOrThrow();
    const partial = await reindexStoredMail(ws, { mailboxId: sales.id, batchSize: 1, maxBatches: 1 });
    expect(partial).toMatchObject({ indexed: 1, rewritten: 0, failed: 0, resumedAfter: 0 });
    expect(await search('报价')).toHaveLength(1);

    // The CLI resumes after it: two more messages, then the scope is done and its cursor gone.
    const { stdout, stderr } = await runCli(database, ['search', 'reindex', '--mailbox', 'sales@acme.test', '--batch-size', '1']);
    expect(JSON.parse(stdout.trim().split('\n').at(-1) ?? '')).toEqual({ indexed: 2, rewritten: 0, failed: 0, resumedAfter: 1, total: 3 });
    expect(stderr).toContain('reindexed 3');
    expect(await search('报价')).toEqual(['old-1', 'old-2', 'old-3']);
    // The rebuilt entries replaced the old ones: still one hit per message, nothing lost.
    expect(await search('样品')).toEqual(['old-1', 'old-2', 'old-3', 'old-info']);
    expect(await ws.db.selectFrom('settings').select('key').where('key', 'like', 'search.reindex%').execute()).toEqual([]);

    // Without --mailbox: all stored mail, from the start.
    const all = await reindexStoredMail(ws, {});
    expect(all).toEqual({ indexed: 4, rewritten: 0, failed: 0, resumedAfter: 0, total: 4 });
    expect(await search('报价')).toEqual(['old-1', 'old-2', 'old-3', 'old-info']);
    expect(await search('"尽快报价"')).toEqual(['old-1', 'old-2', 'old-3', 'old-info']);
  }, 120_000);

  it('rewrites what an older parser stored (subject, text, list line) and folds traditional Chinese, so 出货 finds 出貨', async () => {
    const deps = {
      ...ws,
      ctx: {
        engine: ws.engine,
        ownAddresses: new Set<string>(),
        messageIds: ws.messageIds,
        recordReopened: ws.recordReopened,
        teamActivity: ws.teamActivity,
      },
    };
    const raw = Buffer.concat([
      Buffer.from(
        'Message-ID: <tw-1@customer.test>\r\nFrom: lin@customer.test\r\nTo: sales@acme.test\r\nSubject: =?big5?B?pVizZg==?=\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-7\r\n\r\n',
      ),
      Buffer.from('Fr+APY-sche, +UfqMqGXlZx8-?'),
    ]);
    const sales = await ws.db.selectFrom('mailboxes').select('id').where('address', '=', 'sales@acme.test').executeTakeFirstOrThrow();
    const stored = await ingestMail(deps, { raw, mailboxIds: [sales.id], source: 'smtp' });
    ids['tw-1'] = stored.messageId;
    // What the parser before issue 17 stored: UTF-7 undecoded, and an index without folding.
    await ws.db.updateTable('message_bodies').set({ text: 'Fr+APY-sche' }).where('message_id', '=', stored.messageId).execute();
    await ws.db
      .updateTable('messages')
      .set({ subject: '=?big5?B?pVizZg==?=', snippet: 'Fr+APY-sche' })
      .where('id', '=', stored.messageId)
      .execute();
    await ws.db
      .updateTable('conversations')
      .set({ subject: '=?big5?B?pVizZg==?=', last_snippet: 'Fr+APY-sche' })
      .where('id', '=', stored.conversationId)
      .execute();
    await indexMessage(ws.db, ws.engine, {
      messageId: stored.messageId,
      receivedAt: Date.now(),
      texts: { ...indexTextsOf({ subject: 'x', body: 'Fr+APY-sche', participants: [], attachmentNames: [] }) },
    });
    expect(await search('出货')).toEqual([]);

    const counts = await reindexStoredMail(ws, { restart: true });
    expect(counts).toMatchObject({ failed: 0, rewritten: 1 });
    expect(await search('出货')).toEqual(['tw-1']);
    expect(await search('出貨')).toEqual(['tw-1']);
    const conversation = await ws.db
      .selectFrom('conversations')
      .select(['subject', 'last_snippet'])
      .where('id', '=', stored.conversationId)
      .executeTakeFirstOrThrow();
    expect(conversation).toEqual({ subject: '出貨', last_snippet: 'Frösche, 出貨日期?' });
    const body = await ws.db
      .selectFrom('message_bodies')
      .select('text')
      .where('message_id', '=', stored.messageId)
      .executeTakeFirstOrThrow();
    expect(body.text).toBe('Frösche, 出貨日期?');
  }, 120_000);

  it('refuses an unknown mailbox with a message', async () => {
    await expect(runCli(database, ['search', 'reindex', '--mailbox', 'nobody@acme.test'])).rejects.toMatchObject({
      stderr: expect.stringContaining('nobody@acme.test'),
    });
  }, 60_000);
});
