import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3BlobStore, type S3BlobSettings } from '../../src/storage/blob-store-s3.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { appendMessages, emptyMailboxes } from '../support/mail-server.js';
import { startTestPier } from '../support/pier.js';
import { runCli } from '../support/pier-process.js';
import { testS3 } from '../support/s3.js';
import { waitFor } from '../support/wait.js';
import { addTestImapMailbox } from '../support/workspace.js';

const USER = 'accounting@acme.test';
const pdf = Buffer.from('%PDF-1.4 the same price list in two mails');
const withAttachment = (n: number) =>
  `Message-ID: <s3-${n}-${Date.now()}@globex.test>\r\nFrom: Maria <maria@globex.test>\r\nTo: ${USER}\r\nSubject: Price list ${n}\r\n` +
  `Date: Wed, 03 Jun 2025 10:0${n}:00 +0000\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n` +
  `--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n价格表见附件 ${n}.\r\n` +
  '--b\r\nContent-Type: application/pdf; name="prices.pdf"\r\nContent-Disposition: attachment; filename="prices.pdf"\r\n' +
  `Content-Transfer-Encoding: base64\r\n\r\n${pdf.toString('base64')}\r\n--b--\r\n`;
const sha = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** The environment that selects the S3 store, as an admin would set it. */
const s3Env = (s: S3BlobSettings): Record<string, string> => ({
  PIER_BLOB_S3_ENDPOINT: s.endpoint,
  PIER_BLOB_S3_BUCKET: s.bucket,
  PIER_BLOB_S3_ACCESS_KEY_ID: s.accessKeyId,
  PIER_BLOB_S3_SECRET_ACCESS_KEY: s.secretAccessKey,
  PIER_BLOB_S3_PREFIX: s.prefix,
  PIER_BLOB_S3_PATH_STYLE: 'true',
});

describe.each(engines)('blobs on S3-compatible storage, %s', (engine) => {
  let s3: Awaited<ReturnType<typeof testS3>>;
  let source: TestDatabase;
  let target: TestDatabase | undefined;
  let backupDir: string;
  const saved = { ...process.env };
  const listed = async (settings: S3BlobSettings) => {
    const out: string[] = [];
    for await (const s of createS3BlobStore(settings).list()) out.push(s);
    return out.sort();
  };

  beforeAll(async () => {
    s3 = await testS3();
    source = await createTestDatabase(engine);
    backupDir = mkdtempSync(path.join(tmpdir(), 'pier-s3-backup-'));
    await emptyMailboxes(USER);
    // The CLI (backup, restore) reads the store from the environment, like a node does.
    Object.assign(process.env, s3Env(s3.settings));
  }, 60_000);
  afterAll(async () => {
    process.env = saved;
    rmSync(backupDir, { recursive: true, force: true });
    await source?.drop();
    await target?.drop();
    await s3?.stop();
  });

  it('syncs and receives mail into the bucket, reads it back, and dedupes a shared attachment', async () => {
    await appendMessages(USER, 'INBOX', [withAttachment(1), withAttachment(2)]);
    const pier = await startTestPier(source, s3Env(s3.settings));
    try {
      // The node's sync worker picks the new mailbox up and stores both mails (prepare workers upload).
      await addTestImapMailbox(pier.workspace, USER);
      const count = async () =>
        Number(
          (
            await pier.workspace.db
              .selectFrom('messages')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      await waitFor(async () => ((await count()) === 2 ? true : undefined), 'the two synced mails');

      // A mail over 1 MiB on the SMTP listener streams in through the store's writer.
      const big = `Large order sheet\r\n${'x'.repeat(76)}\r\n`.repeat(14_000);
      const transport = nodemailer.createTransport({ host: '127.0.0.1', port: pier.smtpPort ?? 0, secure: false, ignoreTLS: true });
      try {
        await transport.sendMail({ from: 'maria@globex.test', to: USER, subject: 'Order sheet', text: big });
      } finally {
        transport.close();
      }

      const messages = await pier.workspace.db.selectFrom('messages').select(['id', 'raw_sha256', 'subject']).execute();
      expect(messages.map((m) => m.subject).sort()).toEqual(['Order sheet', 'Price list 1', 'Price list 2']);
      const attachments = await pier.workspace.db.selectFrom('attachments').select(['id', 'sha256']).execute();
      expect(attachments.map((a) => a.sha256)).toEqual([sha(pdf), sha(pdf)]);
      // Every byte is in the bucket, the attachment once; nothing on the node's disk.
      const inBucket = await listed(s3.settings);
      expect(inBucket).toEqual([...new Set([...messages.map((m) => m.raw_sha256), sha(pdf)])].sort());
      expect(existsSync(path.join(source.dataDir, 'blobs'))).toBe(false);
      expect(readdirSync(path.join(source.dataDir, 'blob-spool'))).toEqual([]);

      const api = pier.api();
      await runCli(source, ['admin', 'create', '--email', 'boss@acme.test', '--password', 'boss password 12', '--role', 'admin']);
      expect((await api.post('/api/auth/login', { email: 'boss@acme.test', password: 'boss password 12' })).status).toBe(200);
      for (const m of messages) {
        const raw = await api.request('GET', `/api/messages/${m.id}/raw`);
        expect(raw.status).toBe(200);
        expect(sha(Buffer.from(raw.body as string, 'utf8'))).toBe(m.raw_sha256);
      }
      const file = await api.request('GET', `/api/attachments/${attachments[0]?.id}`);
      expect(file.status).toBe(200);
      expect(file.body).toBe(pdf.toString());
    } finally {
      await pier.stop();
    }
  }, 120_000);

  it('backs the bucket up into a folder and restores it into a fresh node on another prefix', async () => {
    const backup = JSON.parse((await runCli(source, ['backup', '--to', backupDir])).stdout);
    // Three mails' raw bytes and the one attachment they share.
    expect(backup).toMatchObject({ engine, messages: 3, missing_blobs: 0, blobs: 4, copied_blobs: 4 });
    expect(readdirSync(path.join(backupDir, 'blobs')).length).toBeGreaterThan(0);

    const restoredTo = { ...s3.settings, prefix: `${s3.settings.prefix}restored/` };
    Object.assign(process.env, s3Env(restoredTo));
    target = await createTestDatabase(engine, { empty: true });
    const restored = JSON.parse((await runCli(target, ['restore', '--from', backupDir])).stdout);
    expect(restored).toMatchObject({ restored: engine, messages: 3, blobs: 4, missing_blobs: 0 });
    expect(await listed(restoredTo)).toEqual(await listed(s3.settings));

    const pier = await startTestPier(target, s3Env(restoredTo));
    try {
      const api = pier.api();
      expect((await api.post('/api/auth/login', { email: 'boss@acme.test', password: 'boss password 12' })).status).toBe(200);
      const messages = await pier.workspace.db.selectFrom('messages').select(['id', 'raw_sha256']).execute();
      for (const m of messages) {
        const raw = await api.request('GET', `/api/messages/${m.id}/raw`);
        expect(sha(Buffer.from(raw.body as string, 'utf8'))).toBe(m.raw_sha256);
      }
      const doctor = JSON.parse((await runCli(target, ['doctor'])).stdout);
      expect(doctor).toMatchObject({ blobs: 4, missing_blobs: 0 });
    } finally {
      await pier.stop();
    }
  }, 120_000);
});

describe('prepare workers on the S3 store', () => {
  it('open the same bucket in their threads and upload before flush returns', async () => {
    const s3 = await testS3();
    try {
      // The built server (dist) has the worker file; from the sources the pool prepares in-process.
      const dist = '../../dist';
      const { openBlobStore } = (await import(`${dist}/storage/blob-stores.js`)) as typeof import('../../src/storage/blob-stores.js');
      const { createPreparePool } = (await import(
        `${dist}/modules/conversations/prepare-pool.js`
      )) as typeof import('../../src/modules/conversations/prepare-pool.js');
      const pool = createPreparePool(openBlobStore(s3.settings), { threads: 2 });
      try {
        const raws = [withAttachment(7), withAttachment(8)].map((text) => Buffer.from(text));
        const prepared = await Promise.all(raws.map((raw) => pool.prepare(raw)));
        await pool.flush();
        const store = createS3BlobStore(s3.settings);
        for (const [i, p] of prepared.entries()) {
          expect(p.raw.sha256).toBe(sha(raws[i] ?? ''));
          expect(await store.has(p.raw.sha256)).toBe(true);
        }
        expect(await store.has(sha(pdf))).toBe(true);
      } finally {
        await pool.close();
      }
    } finally {
      await s3.stop();
    }
  }, 60_000);
});
