import { ImapFlow } from 'imapflow';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Workspace } from '../../src/compose.js';
import { findMailboxById } from '../../src/modules/mailboxes/index.js';
import { syncMailboxOnce, syncProgressOf } from '../../src/modules/sync/index.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { appendMessages, deliver, emptyMailboxes, mailServer, rawMail, waitForCount, withImap } from '../support/mail-server.js';
import { addTestImapMailbox, openTestWorkspace, quietLogger } from '../support/workspace.js';

describe('IMAP sync against Dovecot', () => {
  let database: TestDatabase;
  let ws: Workspace;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    ws = await openTestWorkspace(database);
  });
  afterAll(async () => {
    await ws?.close();
    await database?.drop();
  });
  beforeEach(async () => {
    await ws.db.deleteFrom('mailboxes').execute();
    await ws.db.deleteFrom('messages').execute();
    await ws.db.deleteFrom('conversations').execute();
    for (const user of ['sales@acme.test', 'info@acme.test', 'support@acme.test']) await emptyMailboxes(user);
  });

  const sync = async (mailboxId: string) => {
    const mailbox = await findMailboxById(ws.db, mailboxId);
    if (!mailbox) throw new Error('mailbox gone');
    return syncMailboxOnce({ ...ws, logger: quietLogger }, mailbox);
  };
  const count = async (table: 'messages' | 'message_locations' | 'conversations') =>
    Number(
      (
        await ws.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('stores every mail once on the first sync, then only what is new', async () => {
    await appendMessages(
      'sales@acme.test',
      'INBOX',
      Array.from({ length: 30 }, (_, i) => rawMail({ subject: `RFQ ${i}` })),
    );
    const mailbox = await addTestImapMailbox(ws, 'sales@acme.test');
    const first = await sync(mailbox.id);
    expect(first).toMatchObject({ ok: true, folders: expect.arrayContaining([expect.objectContaining({ path: 'INBOX', stored: 30 })]) });
    expect(await count('messages')).toBe(30);

    await appendMessages(
      'sales@acme.test',
      'INBOX',
      Array.from({ length: 5 }, (_, i) => rawMail({ subject: `New ${i}` })),
    );
    const second = await sync(mailbox.id);
    expect(second.folders.find((f) => f.path === 'INBOX')).toMatchObject({ fetched: 5, stored: 5 });
    const third = await sync(mailbox.id);
    expect(third.folders.find((f) => f.path === 'INBOX')).toMatchObject({ fetched: 0, stored: 0 });
    expect(await count('messages')).toBe(35);
    expect(await count('message_locations')).toBe(35);
    const folder = await ws.db.selectFrom('folders').selectAll().where('path', '=', 'INBOX').executeTakeFirstOrThrow();
    const serverTop = await withImap(
      'sales@acme.test',
      async (client) => (await client.mailboxOpen('INBOX', { readOnly: true })).uidNext - 1,
    );
    expect(folder).toMatchObject({ last_uid: serverTop, backfill_below_uid: 0 });
  });

  it('reports the first sync’s progress after each batch: “100 of 400”, “350 of 400”, then done (issue 17)', async () => {
    await appendMessages(
      'sales@acme.test',
      'INBOX',
      Array.from({ length: 400 }, (_, i) => rawMail({ subject: `History ${i}` })),
    );
    const mailbox = await addTestImapMailbox(ws, 'sales@acme.test');
    const row = await findMailboxById(ws.db, mailbox.id);
    if (!row) throw new Error('mailbox gone');
    const seen: { inProgress: boolean; done: number; total: number }[] = [];
    const onStored = () => {
      void syncProgressOf(ws.db, mailbox.id, Date.now()).then(({ inProgress, done, total }) => seen.push({ inProgress, done, total }));
    };
    await syncMailboxOnce({ ...ws, logger: quietLogger, onStored }, row);
    await expect.poll(() => seen.length).toBeGreaterThanOrEqual(3);
    // Read after each batch commits (a read may see a later batch already): whole batches, a first
    // one of 100 (the first screen), then 250.
    const running = seen.filter((p) => p.inProgress);
    expect(running.length).toBeGreaterThan(0);
    for (const p of running) expect([100, 350]).toContain(p.done);
    expect(running.every((p) => p.total === 400)).toBe(true);
    const after = await syncProgressOf(ws.db, mailbox.id, Date.now());
    expect(after).toMatchObject({ inProgress: false, secondsLeft: 0 });
    expect(after.done).toBe(after.total);
  });

  it('never marks mail as read on the server', async () => {
    await appendMessages('sales@acme.test', 'INBOX', [rawMail({}), rawMail({})]);
    const mailbox = await addTestImapMailbox(ws, 'sales@acme.test');
    await sync(mailbox.id);
    const flags = await withImap('sales@acme.test', async (client) => {
      await client.mailboxOpen('INBOX', { readOnly: true });
      // \Recent is a per-session flag the server sets itself (RFC 3501 §2.3.2), not a read mark.
      return (await client.fetchAll('1:*', { flags: true })).map((m) => [...(m.flags ?? [])].filter((f) => f !== '\\Recent'));
    });
    expect(flags).toEqual([[], []]);
  });

  it('files a reply sent from Outlook (found in Sent) into the customer conversation as outgoing', async () => {
    const question = rawMail({ messageId: '<q-outlook@customer.test>', subject: 'Price for 600x600 panels?' });
    const answer = rawMail({
      from: 'ACME Sales <sales@acme.test>',
      to: 'buyer@customer.test',
      subject: 'RE: Price for 600x600 panels?',
      inReplyTo: '<q-outlook@customer.test>',
      messageId: '<a-outlook@acme.test>',
      body: 'USD 12.50 FOB Ningbo.',
    });
    await appendMessages('sales@acme.test', 'INBOX', [question]);
    await appendMessages('sales@acme.test', 'Sent', [answer], ['\\Seen']);
    const mailbox = await addTestImapMailbox(ws, 'sales@acme.test');
    await sync(mailbox.id);
    const rows = await ws.db
      .selectFrom('messages')
      .innerJoin('conversation_messages', 'conversation_messages.message_id', 'messages.id')
      .select(['messages.message_id_header', 'messages.direction', 'conversation_messages.conversation_id'])
      .execute();
    expect(rows).toHaveLength(2);
    expect(new Set(rows.map((r) => r.conversation_id)).size).toBe(1);
    expect(rows.find((r) => r.message_id_header === '<a-outlook@acme.test>')?.direction).toBe('out');
    expect(rows.find((r) => r.message_id_header === '<q-outlook@customer.test>')?.direction).toBe('in');
  });

  it('stores a mail sent to sales@ and CC info@ once, in one conversation shown in both queues', async () => {
    await deliver({
      from: 'buyer@customer.test',
      to: 'sales@acme.test',
      cc: 'info@acme.test',
      subject: 'Catalogue request',
      text: 'Send the 2027 catalogue.',
    });
    await waitForCount('sales@acme.test', 'INBOX', 1);
    await waitForCount('info@acme.test', 'INBOX', 1);
    const sales = await addTestImapMailbox(ws, 'sales@acme.test');
    const info = await addTestImapMailbox(ws, 'info@acme.test');
    await sync(sales.id);
    await sync(info.id);
    expect(await count('messages')).toBe(1);
    expect(await count('message_locations')).toBe(2);
    const queues = await ws.db.selectFrom('conversation_mailboxes').select('mailbox_id').execute();
    expect(queues.map((q) => q.mailbox_id).sort()).toEqual([sales.id, info.id].sort());
  });

  it('resyncs a folder whose UIDVALIDITY changed without duplicating anything', async () => {
    const sent = [
      rawMail({ from: 'sales@acme.test', to: 'buyer@customer.test', subject: 'Offer A' }),
      rawMail({ from: 'sales@acme.test', subject: 'Offer B' }),
    ];
    await appendMessages('sales@acme.test', 'Sent', sent);
    const mailbox = await addTestImapMailbox(ws, 'sales@acme.test');
    await sync(mailbox.id);
    const before = await ws.db.selectFrom('folders').select('uidvalidity').where('path', '=', 'Sent').executeTakeFirstOrThrow();
    // Deleting and re-creating a folder gives it a new UIDVALIDITY (what a server migration does).
    await withImap('sales@acme.test', async (client) => {
      await client.mailboxDelete('Sent');
      await client.mailboxCreate('Sent');
    });
    await appendMessages('sales@acme.test', 'Sent', sent);
    await sync(mailbox.id);
    const after = await ws.db.selectFrom('folders').select('uidvalidity').where('path', '=', 'Sent').executeTakeFirstOrThrow();
    expect(after.uidvalidity).not.toBe(before.uidvalidity);
    expect(await count('messages')).toBe(2);
    expect(await count('message_locations')).toBe(2);
  });

  it('forgets where an expunged mail was, but keeps the mail', async () => {
    await appendMessages('sales@acme.test', 'INBOX', [rawMail({ subject: 'keep me' }), rawMail({ subject: 'delete me' })]);
    const mailbox = await addTestImapMailbox(ws, 'sales@acme.test');
    await sync(mailbox.id);
    await withImap('sales@acme.test', async (client) => {
      await client.mailboxOpen('INBOX');
      await client.messageDelete({ subject: 'delete me' });
    });
    const report = await sync(mailbox.id);
    expect(report.folders.find((f) => f.path === 'INBOX')?.removed).toBe(1);
    expect(await count('messages')).toBe(2);
    expect(await count('message_locations')).toBe(1);
  });

  it('follows flag changes made on the server (CONDSTORE)', async () => {
    await appendMessages('sales@acme.test', 'INBOX', [rawMail({ subject: 'flag me' })]);
    const mailbox = await addTestImapMailbox(ws, 'sales@acme.test');
    await sync(mailbox.id);
    await withImap('sales@acme.test', async (client) => {
      await client.mailboxOpen('INBOX');
      await client.messageFlagsAdd('1:*', ['\\Seen', '\\Flagged']);
    });
    const report = await sync(mailbox.id);
    expect(report.folders.find((f) => f.path === 'INBOX')?.flagsUpdated).toBe(1);
    const location = await ws.db.selectFrom('message_locations').select('flags').executeTakeFirstOrThrow();
    expect(JSON.parse(location.flags)).toEqual(['\\Flagged', '\\Seen']);
  });

  it('does not store the per-session \\Recent mark with the flags of synced mail', async () => {
    await appendMessages('sales@acme.test', 'INBOX', [rawMail({ subject: 'fresh' })]);
    await appendMessages('sales@acme.test', 'INBOX', [rawMail({ subject: 'flagged fresh' })], ['\\Flagged']);
    const mailbox = await addTestImapMailbox(ws, 'sales@acme.test');
    await sync(mailbox.id);
    // Nobody SELECTed the folder (Pier EXAMINEs it, which does not take the mark): the server still
    // hands \Recent out, so the sync did see it.
    const serverFlags = await withImap('sales@acme.test', async (client) => {
      await client.mailboxOpen('INBOX', { readOnly: true });
      return (await client.fetchAll('1:*', { flags: true })).map((m) => [...(m.flags ?? [])].sort());
    });
    expect(serverFlags).toEqual([['\\Recent'], ['\\Flagged', '\\Recent']]);
    const stored = await ws.db
      .selectFrom('message_locations')
      .innerJoin('messages', 'messages.id', 'message_locations.message_id')
      .select(['messages.subject', 'message_locations.flags'])
      .orderBy('messages.subject')
      .execute();
    expect(stored.map((l) => [l.subject, JSON.parse(l.flags)])).toEqual([
      ['flagged fresh', ['\\Flagged']],
      ['fresh', []],
    ]);
  });

  it('learns expunges and flag changes from the server with QRESYNC (VANISHED), keeping mail seen elsewhere', async () => {
    await deliver({ from: 'buyer@customer.test', to: 'sales@acme.test', cc: 'info@acme.test', subject: 'both queues', text: 'CC to info' });
    await waitForCount('sales@acme.test', 'INBOX', 1);
    await waitForCount('info@acme.test', 'INBOX', 1);
    await appendMessages('sales@acme.test', 'INBOX', [rawMail({ subject: 'flag me' }), rawMail({ subject: 'keep me' })]);
    const sales = await addTestImapMailbox(ws, 'sales@acme.test');
    const info = await addTestImapMailbox(ws, 'info@acme.test');
    const first = await sync(sales.id);
    await sync(info.id);
    // The first sync has no HIGHESTMODSEQ to resync from.
    expect(first.folders.find((f) => f.path === 'INBOX')?.resync).toBe('condstore');
    expect(await count('messages')).toBe(3);
    expect(await count('message_locations')).toBe(4);

    await withImap('sales@acme.test', async (client) => {
      await client.mailboxOpen('INBOX');
      await client.messageDelete({ subject: 'both queues' });
      await client.messageFlagsAdd({ subject: 'flag me' }, ['\\Flagged']);
    });
    const second = await sync(sales.id);
    // Fails if the sync silently fell back to CONDSTORE + UID SEARCH ALL.
    expect(second.folders.find((f) => f.path === 'INBOX')).toMatchObject({ resync: 'qresync', removed: 1, flagsUpdated: 1 });
    expect(await count('messages')).toBe(3);
    const locations = await ws.db
      .selectFrom('message_locations')
      .innerJoin('messages', 'messages.id', 'message_locations.message_id')
      .select(['messages.subject', 'message_locations.mailbox_id', 'message_locations.flags'])
      .execute();
    const where = (subject: string) => locations.filter((l) => l.subject === subject);
    // Expunged from sales@, still in info@: the message, its location there and its conversation stay.
    expect(where('both queues').map((l) => l.mailbox_id)).toEqual([info.id]);
    expect(JSON.parse(where('flag me')[0]?.flags ?? '[]')).toEqual(['\\Flagged']);
    // \Recent is the server's per-session mark (RFC 3501 §2.3.2): never stored.
    expect(JSON.parse(where('keep me')[0]?.flags ?? '[]')).toEqual([]);
    const queues = await ws.db.selectFrom('conversation_mailboxes').select('mailbox_id').execute();
    expect(queues.map((q) => q.mailbox_id)).toContain(info.id);

    // Nothing changed since: QRESYNC again, nothing to apply.
    const third = await sync(sales.id);
    expect(third.folders.find((f) => f.path === 'INBOX')).toMatchObject({ resync: 'qresync', removed: 0, flagsUpdated: 0, fetched: 0 });
  });

  it('falls back to CONDSTORE and UID sets when QRESYNC is not enabled', async () => {
    await appendMessages('sales@acme.test', 'INBOX', [rawMail({ subject: 'delete me' }), rawMail({ subject: 'flag me' })]);
    const mailbox = await addTestImapMailbox(ws, 'sales@acme.test');
    await sync(mailbox.id);
    await withImap('sales@acme.test', async (client) => {
      await client.mailboxOpen('INBOX');
      await client.messageDelete({ subject: 'delete me' });
      await client.messageFlagsAdd({ subject: 'flag me' }, ['\\Answered']);
    });
    const client = new ImapFlow({
      host: mailServer.host,
      port: mailServer.imapPort,
      secure: false,
      auth: { user: 'sales@acme.test', pass: mailServer.password },
      logger: false,
      qresync: false,
    });
    client.on('error', () => {});
    await client.connect();
    try {
      expect(client.enabled.has('QRESYNC')).toBe(false);
      const row = await findMailboxById(ws.db, mailbox.id);
      if (!row) throw new Error('mailbox gone');
      const report = await syncMailboxOnce({ ...ws, logger: quietLogger }, row, client);
      expect(report.folders.find((f) => f.path === 'INBOX')).toMatchObject({ resync: 'condstore', removed: 1, flagsUpdated: 1 });
    } finally {
      await client.logout().catch(() => client.close());
    }
    expect(await count('messages')).toBe(2);
    expect(await count('message_locations')).toBe(1);
  });

  it('records a wrong password on the mailbox as connection.auth_failed and stores nothing', async () => {
    const mailbox = await addTestImapMailbox(ws, 'support@acme.test', { password: 'not-the-password' });
    const report = await sync(mailbox.id);
    expect(report).toMatchObject({ ok: false, error: { code: 'connection.auth_failed' } });
    expect((await findMailboxById(ws.db, mailbox.id))?.status_detail).toMatch(/^connection\.auth_failed: /);
  });

  it('records an unreachable server as connection.unreachable', async () => {
    const mailbox = await addTestImapMailbox(ws, 'support@acme.test', { imapPort: 1 });
    expect(await sync(mailbox.id)).toMatchObject({ ok: false, error: { code: 'connection.unreachable' } });
  });

  it('syncs a 40 MB mail, a mail with 500 attachments and a malformed one, and the rest of the mailbox with them', async () => {
    const big = rawMail({ subject: 'Big drawings', body: `${'A'.repeat(76)}\r\n`.repeat(530_000) });
    const parts = Array.from(
      { length: 500 },
      (_, i) =>
        `--b\r\nContent-Type: text/plain; name="spec-${i}.txt"\r\nContent-Disposition: attachment; filename="spec-${i}.txt"\r\n\r\nspec ${i}\r\n`,
    ).join('');
    const many = `Message-ID: <many@customer.test>\r\nFrom: buyer@customer.test\r\nTo: sales@acme.test\r\nSubject: 500 specs\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n${parts}--b--\r\n`;
    const malformed =
      'From: <<<broken\r\nSubject: =?utf-8?B?not base64!?=\r\nContent-Type: multipart/mixed; boundary=\r\nDate: yesterday-ish\r\n\r\n\x00\x01 body without its boundary';
    await appendMessages('sales@acme.test', 'INBOX', [rawMail({ subject: 'before' }), big, many, malformed, rawMail({ subject: 'after' })]);
    const mailbox = await addTestImapMailbox(ws, 'sales@acme.test');
    const report = await sync(mailbox.id);
    expect(report.ok).toBe(true);
    expect(report.folders.find((f) => f.path === 'INBOX')).toMatchObject({ fetched: 5, stored: 5, failed: 0 });
    const subjects = (await ws.db.selectFrom('messages').select('subject').execute()).map((m) => m.subject);
    expect(subjects).toEqual(expect.arrayContaining(['before', 'after', 'Big drawings', '500 specs']));
  });
});
