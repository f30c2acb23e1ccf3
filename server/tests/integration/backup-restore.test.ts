import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlobStore } from '../../src/storage/blob-store.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { startTestPier } from '../support/pier.js';
import { runCli, startPierProcess } from '../support/pier-process.js';
import { addMailbox, addUser, withTestWorkspace } from '../support/workspace-setup.js';

const plain = (n: number, subject: string, body: string) =>
  `Message-ID: <backup-${n}@globex.test>\r\nFrom: Maria <maria@globex.test>\r\nTo: sales@acme.test\r\nSubject: ${subject}\r\n` +
  `Date: Mon, 0${n} Jun 2025 10:00:00 +0000\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${body}\r\n`;
const withAttachment =
  'Message-ID: <backup-3@globex.test>\r\nFrom: Maria <maria@globex.test>\r\nTo: sales@acme.test\r\nSubject: Price list\r\n' +
  'Date: Wed, 03 Jun 2025 10:00:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n' +
  '--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPrice list attached.\r\n' +
  '--b\r\nContent-Type: application/pdf; name="prices.pdf"\r\nContent-Disposition: attachment; filename="prices.pdf"\r\n' +
  `Content-Transfer-Encoding: base64\r\n\r\n${Buffer.from('%PDF-1.4 price list bytes').toString('base64')}\r\n--b--\r\n`;
const mails: Record<string, string> = {
  'one.eml': plain(1, 'Inquiry LED downlights', 'Please quote 2,000 downlights.'),
  'two.eml': plain(2, '样品询价', '请报价样品，谢谢。'),
  'three.eml': withAttachment,
};
const sha = (text: string) => createHash('sha256').update(Buffer.from(text)).digest('hex');

describe.each(engines)('backup and restore on %s', (engine) => {
  let source: TestDatabase;
  let target: TestDatabase | undefined;
  let dir: string;

  beforeAll(async () => {
    source = await createTestDatabase(engine);
    dir = mkdtempSync(path.join(tmpdir(), 'pier-backup-test-'));
    mkdirSync(path.join(dir, 'mail'));
    for (const [name, text] of Object.entries(mails)) writeFileSync(path.join(dir, 'mail', name), text);
    await withTestWorkspace(source, async (ws) => {
      await addMailbox(ws, { address: 'sales@acme.test', name: 'Sales', purpose: 'sales' });
      await addUser(ws, { email: 'boss@acme.test', password: 'boss password 12', role: 'admin' });
    });
    await runCli(source, ['import', '--mailbox', 'sales@acme.test', path.join(dir, 'mail')]);
  }, 120_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await source?.drop();
    await target?.drop();
  });

  it('backs up a running node and restores it into a fresh one that finds every mail, its bytes and its secrets', async () => {
    const running = await startPierProcess(source);
    let backup: Record<string, unknown>;
    try {
      // Online: the node keeps running (and holding its database) while the backup is taken.
      backup = JSON.parse((await runCli(source, ['backup', '--to', path.join(dir, 'backup')])).stdout);
    } finally {
      await running.stop();
    }
    expect(backup).toMatchObject({ format: 'pier-backup/1', engine, messages: 3, missing_blobs: 0, secret_key: 'file' });

    target = await createTestDatabase(engine, { empty: true });
    const restored = JSON.parse((await runCli(target, ['restore', '--from', path.join(dir, 'backup')])).stdout);
    expect(restored).toMatchObject({ restored: engine, messages: 3, missing_blobs: 0 });
    expect(readFileSync(path.join(target.dataDir, 'secret.key'), 'utf8')).toBe(
      readFileSync(path.join(source.dataDir, 'secret.key'), 'utf8'),
    );

    const pier = await startTestPier(target);
    try {
      const api = pier.api();
      expect((await api.post('/api/auth/login', { email: 'boss@acme.test', password: 'boss password 12' })).status).toBe(200);
      const list = await api.get('/api/conversations');
      const items = (list.body as { items: { id: string; subject: string }[] }).items;
      expect(items.map((c) => c.subject).sort()).toEqual(['Inquiry LED downlights', 'Price list', '样品询价']);
      // The search index came along: English and Chinese.
      const search = async (q: string) =>
        ((await api.get(`/api/conversations?q=${encodeURIComponent(q)}`)).body as { items: { subject: string }[] }).items.map(
          (c) => c.subject,
        );
      expect(await search('downlights')).toEqual(['Inquiry LED downlights']);
      expect(await search('样品')).toEqual(['样品询价']);
      // Every mail's bytes are the ones imported, and the attachment opens.
      const messages = await pier.workspace.db.selectFrom('messages').select(['id', 'raw_sha256', 'subject']).execute();
      expect(messages.map((m) => m.raw_sha256).sort()).toEqual(Object.values(mails).map(sha).sort());
      for (const m of messages) {
        const raw = await api.request('GET', `/api/messages/${m.id}/raw`);
        expect(raw.status).toBe(200);
      }
      const attachment = await pier.workspace.db.selectFrom('attachments').select(['id', 'sha256']).executeTakeFirstOrThrow();
      expect((await pier.workspace.blobs.get(attachment.sha256)).toString()).toBe('%PDF-1.4 price list bytes');
      const mailbox = await pier.workspace.db.selectFrom('mailboxes').select(['address']).execute();
      expect(mailbox.map((m) => m.address)).toEqual(['sales@acme.test']);
    } finally {
      await pier.stop();
    }
  }, 120_000);

  it('refuses to restore over a workspace, or a folder that is not a whole backup, and says why', async () => {
    if (!target) throw new Error('needs the restore above');
    await expect(runCli(target, ['restore', '--from', path.join(dir, 'backup')])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/nothing is overwritten/),
    });
    const fresh = await createTestDatabase(engine, { empty: true });
    try {
      await expect(runCli(fresh, ['restore', '--from', path.join(dir, 'mail')])).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringContaining('holds no complete Pier backup'),
      });
      const other = await createTestDatabase(engine === 'sqlite' ? 'postgres' : 'sqlite', { empty: true });
      try {
        await expect(runCli(other, ['restore', '--from', path.join(dir, 'backup')])).rejects.toMatchObject({
          code: 2,
          stderr: expect.stringContaining(`the backup is of a ${engine} workspace`),
        });
      } finally {
        await other.drop();
      }
    } finally {
      await fresh.drop();
    }
  }, 120_000);

  it('refreshes an earlier backup in place, copying only the blobs that are new', async () => {
    writeFileSync(path.join(dir, 'four.eml'), plain(4, 'Reorder', 'Same again please.'));
    await runCli(source, ['import', '--mailbox', 'sales@acme.test', path.join(dir, 'four.eml')]);
    // Bytes the IMAP sync stored sit in a pack of blobs/packs/ (decision 0054): the backup copies it too.
    const synced = createBlobStore(path.join(source.dataDir, 'blobs'));
    const packed = await synced.put(Buffer.from('bytes a sync stored'), { durable: false });
    await synced.flush();
    const again = JSON.parse((await runCli(source, ['backup', '--to', path.join(dir, 'backup')])).stdout);
    // The new mail's raw bytes (its text body is inline in the database, not a blob), and the pack's.
    expect(again).toMatchObject({ messages: 4, missing_blobs: 0, copied_blobs: 2 });
    expect((await createBlobStore(path.join(dir, 'backup', 'blobs')).get(packed.sha256)).toString()).toBe('bytes a sync stored');
  }, 60_000);
});
