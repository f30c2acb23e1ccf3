import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { emptyMailboxes, rawMail, withImap } from '../support/mail-server.js';
import { addMailbox, withTestWorkspace } from '../support/workspace-setup.js';

const cli = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli.js');
const user = 'bench@acme.test';
const total = 2000;

/** Fills bench@'s INBOX with `total` distinct mails (sdbox APPEND is fast), some Chinese, some with replies. */
async function seed(): Promise<void> {
  await emptyMailboxes(user);
  await withImap(user, async (client) => {
    for (let i = 0; i < total; i++) {
      const body = i % 3 === 0 ? `您好，请报价 ${i}。`.repeat(40 + (i % 100)) : `Dear team, order ${i}. `.repeat(100 + (i % 300));
      await client.append(
        'INBOX',
        rawMail({
          subject: `Order ${i}`,
          messageId: `<crash-${i}@customer.test>`,
          body,
          inReplyTo: i % 4 === 1 ? `<crash-${i - 1}@customer.test>` : undefined,
        }),
      );
    }
  });
}

function runSync(database: TestDatabase): ChildProcess {
  const globals = ['--data-dir', database.dataDir, ...(database.databaseUrl ? ['--database-url', database.databaseUrl] : [])];
  return spawn(process.execPath, [cli, ...globals, 'sync', '--mailbox', user, '--once'], {
    stdio: 'ignore',
    env: { ...process.env, DATABASE_URL: '' },
  });
}

describe.each(engines)('crash safety of the sync on %s', (engine) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    if (engine === engines[0]) await seed();
    await withTestWorkspace(database, (ws) => addMailbox(ws, { address: user, name: 'Bench', testBench: {} }));
  }, 180_000);
  afterAll(async () => {
    await database?.drop();
  });

  it(`loses and duplicates nothing when the process is killed (SIGKILL) again and again during a sync of ${total} mails`, async () => {
    let kills = 0;
    for (let round = 0; round < 10; round++) {
      const child = runSync(database);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const killAfter = 150 + Math.floor(Math.random() * 900);
      const timer = setTimeout(() => child.kill('SIGKILL'), killAfter);
      const code = await exited;
      clearTimeout(timer);
      if (code === null) kills++;
      else break; // finished before the kill: the rest is checked below
    }
    expect(kills).toBeGreaterThan(2);
    const finish = runSync(database);
    expect(await new Promise((resolve) => finish.once('exit', resolve))).toBe(0);

    const handle = openDatabase(database);
    try {
      const serverUids = await withImap(user, async (client) => {
        await client.mailboxOpen('INBOX', { readOnly: true });
        return ((await client.search({ all: true }, { uid: true })) || []).sort((a, b) => a - b);
      });
      const stored = await handle.db.selectFrom('message_locations').select('uid').where('folder_path', '=', 'INBOX').execute();
      const storedUids = stored.map((s) => s.uid ?? -1).sort((a, b) => a - b);
      expect(serverUids).toHaveLength(total);
      expect(storedUids).toEqual(serverUids);
      const messages = await handle.db.selectFrom('messages').select('message_id_header').execute();
      expect(messages).toHaveLength(total);
      expect(new Set(messages.map((m) => m.message_id_header)).size).toBe(total);
      const orphans = await handle.db
        .selectFrom('messages')
        .leftJoin('conversation_messages', 'conversation_messages.message_id', 'messages.id')
        .select('messages.id')
        .where('conversation_messages.conversation_id', 'is', null)
        .execute();
      expect(orphans).toEqual([]);
    } finally {
      await handle.close();
    }
  }, 300_000);
});
