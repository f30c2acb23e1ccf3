import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailbox, grantMailboxAccess } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startTestPier } from '../support/pier.js';
import { TEST_PASSWORD as password } from '../support/users.js';
import { waitFor } from '../support/wait.js';

const sha = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/**
 * Two nodes, each with its own data folder, on one PostgreSQL and one mounted blob folder
 * (PIER_BLOB_DIR): mail one node receives, the other shows. PostgreSQL only: several nodes need it.
 */
describe('blob folder shared by two nodes on postgres', () => {
  let database: TestDatabase;
  let dirs: string[];
  let nodeA: Awaited<ReturnType<typeof startTestPier>>;
  let nodeB: Awaited<ReturnType<typeof startTestPier>>;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    dirs = ['a', 'b', 'shared'].map((name) => mkdtempSync(path.join(tmpdir(), `pier-node-${name}-`)));
    const [dirA, dirB, shared] = dirs as [string, string, string];
    const common = { PIER_BLOB_DIR: shared, PIER_SECRET_KEY: randomBytes(32).toString('base64') };
    nodeA = await startTestPier(database, { ...common, PIER_DATA_DIR: dirA });
    nodeB = await startTestPier(database, { ...common, PIER_DATA_DIR: dirB, PIER_ROLE: 'web' });
    const { db } = nodeA.workspace;
    const sales = await createMailbox(db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' });
    const li = await createAccount(db, { email: 'li@acme.test', name: 'Li Wei', password, role: 'agent' });
    await grantMailboxAccess(db, li.id, sales.id, 'reply');
  }, 60_000);
  afterAll(async () => {
    await nodeA?.stop();
    await nodeB?.stop();
    await database?.drop();
    for (const dir of dirs ?? []) rmSync(dir, { recursive: true, force: true });
  });

  it('shows on node B the mail and attachment node A received, read from the shared folder', async () => {
    const pdf = Buffer.from('%PDF-1.4 quotation 2026-12');
    // Over 1 MiB: streamed into the shared folder while node A receives it.
    const sheet = `Order sheet\r\n${'y'.repeat(76)}\r\n`.repeat(14_000);
    const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: nodeA.smtpPort ?? 0, secure: false, ignoreTLS: true });
    try {
      await smtp.sendMail({
        from: 'buyer@customer.test',
        to: 'sales@acme.test',
        subject: 'Quotation',
        text: sheet,
        attachments: [{ filename: 'quotation.pdf', content: pdf, contentType: 'application/pdf' }],
      });
    } finally {
      smtp.close();
    }
    const { db } = nodeB.workspace;
    const message = await waitFor(
      () => db.selectFrom('messages').select(['id', 'raw_sha256']).where('subject', '=', 'Quotation').executeTakeFirst(),
      'the mail node A stored',
    );
    const attachment = await db
      .selectFrom('attachments')
      .select(['id', 'sha256'])
      .where('message_id', '=', message.id)
      .executeTakeFirstOrThrow();
    expect(attachment.sha256).toBe(sha(pdf));
    // Neither node's own data folder holds a blob.
    for (const dir of dirs.slice(0, 2)) expect(existsSync(path.join(dir as string, 'blobs'))).toBe(false);

    const li = nodeB.api();
    expect((await li.post('/api/auth/login', { email: 'li@acme.test', password })).status).toBe(200);
    const raw = await li.request('GET', `/api/messages/${message.id}/raw`);
    expect(raw.status).toBe(200);
    expect(sha(Buffer.from(raw.body as string, 'utf8'))).toBe(message.raw_sha256);
    const file = await li.request('GET', `/api/attachments/${attachment.id}`);
    expect(file.status).toBe(200);
    expect(file.body).toBe(pdf.toString());
  }, 60_000);
});
