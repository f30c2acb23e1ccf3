import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import path from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { createApiClient } from '../support/http-client.js';
import { type PierProcess, startPierProcess } from '../support/pier-process.js';
import { TEST_PASSWORD } from '../support/users.js';
import { addMailbox, addUser, withTestWorkspace } from '../support/workspace-setup.js';

const admin = { email: 'admin@acme.test', password: TEST_PASSWORD };

/** A raw SMTP connection and the server's first line (220 greeting, or 421 when full). */
function openSmtp(port: number): Promise<{ socket: Socket; greeting: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (text.includes('\r\n')) resolve({ socket, greeting: text.split('\r\n')[0] ?? '' });
    });
    socket.on('error', reject);
  });
}

describe.each(engines)("Pier's own SMTP listener on %s", (engine) => {
  let database: TestDatabase;
  let pier: PierProcess;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    await withTestWorkspace(database, async (ws) => {
      await addUser(ws, admin);
      await addMailbox(ws, { address: 'sales@acme.test', name: 'ACME Sales', purpose: 'sales' });
    });
    pier = await startPierProcess(database);
  });
  afterAll(async () => {
    await pier?.stop();
    await database?.drop();
  });

  const send = (port: number, mail: SendMailOptions) => {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
    return transport.sendMail(mail).finally(() => transport.close());
  };

  async function conversationSubjects(url: string) {
    const api = createApiClient(url);
    expect((await api.post('/api/auth/login', admin)).status).toBe(200);
    const res = await api.get<{ items: { subject: string; snippet: string }[] }>('/api/conversations');
    return res.body.items;
  }

  it('stores a mail for a configured mailbox (raw blob and message row) before answering 250', async () => {
    const info = await send(pier.smtpPort, {
      from: 'Maria Gonzalez <maria@customer.test>',
      to: 'sales@acme.test',
      subject: '询价 LED panel 600x600',
      text: 'Dear ACME team, please quote 500 pcs. 谢谢',
    });
    expect(info.response).toMatch(/^250 .*stored as/);
    const items = await conversationSubjects(pier.url);
    expect(items).toEqual([expect.objectContaining({ subject: '询价 LED panel 600x600', snippet: expect.stringContaining('谢谢') })]);
  });

  it('keeps every stored mail across a hard kill and restart', async () => {
    await send(pier.smtpPort, { from: 'buyer@customer.test', to: 'SALES@acme.test', subject: 'Order #4711', text: 'Confirmed.' });
    await pier.stop('SIGKILL');
    pier = await startPierProcess(database);
    const subjects = (await conversationSubjects(pier.url)).map((c) => c.subject).sort();
    expect(subjects).toEqual(['Order #4711', '询价 LED panel 600x600']);
    const blobsDir = path.join(database.dataDir, 'blobs');
    expect(existsSync(blobsDir)).toBe(true);
  });

  it('refuses a recipient that is not a mailbox with a clear 550 5.1.1 and stores nothing', async () => {
    const attempt = send(pier.smtpPort, { from: 'spam@elsewhere.test', to: 'nobody@acme.test', subject: 'hi', text: 'x' });
    await expect(attempt).rejects.toMatchObject({
      responseCode: 550,
      response: expect.stringMatching(/5\.1\.1 .*not a mailbox of this Pier workspace/),
    });
    expect(await conversationSubjects(pier.url)).toHaveLength(2);
  });

  it('stores four different mails without Message-ID or blank line as four messages, each with its own bytes (the 250s name four ids)', async () => {
    const mails = ['\r\nbody ONE\r\n', '\r\nbody TWO\r\n', 'X-Note: no blank line A\r\n', 'X-Note: no blank line B\r\n'];
    const ids: string[] = [];
    for (const text of mails) {
      const info = await send(pier.smtpPort, { envelope: { from: 'odd@customer.test', to: ['sales@acme.test'] }, raw: text });
      ids.push(/stored as (\S+)/.exec(info.response)?.[1] ?? info.response);
    }
    expect(new Set(ids).size).toBe(4);
    const handle = openDatabase(database);
    try {
      const rows = await handle.db
        .selectFrom('messages')
        .innerJoin('message_bodies', 'message_bodies.message_id', 'messages.id')
        .select(['messages.id', 'messages.raw_sha256', 'message_bodies.text'])
        .where('messages.id', 'in', ids)
        .execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      expect(ids.map((id) => byId.get(id)?.raw_sha256)).toEqual(mails.map((text) => createHash('sha256').update(text).digest('hex')));
      expect(ids.slice(0, 2).map((id) => byId.get(id)?.text)).toEqual(['body ONE', 'body TWO']);
    } finally {
      await handle.close();
    }
  });

  it('stores a mail larger than the spool threshold byte for byte, streamed to the blob store', async () => {
    // 6 MB of base64 lines: over the 1 MB above which the listener writes to disk while receiving.
    const body = randomBytes(4_500_000).toString('base64').replace(/.{76}/g, '$&\r\n');
    const raw = [
      'From: Maria Gonzalez <maria@customer.test>',
      'To: sales@acme.test',
      'Subject: Drawings, large',
      `Message-ID: <large-${Date.now()}@customer.test>`,
      'MIME-Version: 1.0',
      'Content-Type: application/octet-stream; name="drawings.bin"',
      'Content-Transfer-Encoding: base64',
      'Content-Disposition: attachment; filename="drawings.bin"',
      '',
      `${body.trimEnd()}\r\n`,
    ].join('\r\n');
    const info = await send(pier.smtpPort, { envelope: { from: 'maria@customer.test', to: ['sales@acme.test'] }, raw });
    const messageId = /stored as (\S+)/.exec(info.response)?.[1];
    expect(messageId).toBeDefined();
    const api = createApiClient(pier.url);
    expect((await api.post('/api/auth/login', admin)).status).toBe(200);
    const stored = await api.get<string>(`/api/messages/${messageId}/raw?download=1`);
    expect(stored.status).toBe(200);
    expect(stored.body.length).toBe(raw.length);
    expect(createHash('sha256').update(stored.body).digest('hex')).toBe(createHash('sha256').update(raw).digest('hex'));
    // Nothing of the stream is left behind in the blob store's temp folder.
    const tmp = path.join(database.dataDir, 'blobs', 'tmp');
    expect(existsSync(tmp) ? readdirSync(tmp).filter((f) => f.startsWith('stream.')) : []).toEqual([]);
  });

  it('answers 421 to a client over PIER_SMTP_MAX_CONNECTIONS, and greets the next one once a place is free', async () => {
    await pier.stop();
    pier = await startPierProcess(database, { PIER_SMTP_MAX_CONNECTIONS: '2' });
    const first = await openSmtp(pier.smtpPort);
    const second = await openSmtp(pier.smtpPort);
    expect([first.greeting, second.greeting]).toEqual([expect.stringMatching(/^220 /), expect.stringMatching(/^220 /)]);
    const third = await openSmtp(pier.smtpPort);
    expect(third.greeting).toMatch(/^421 .*Too many connected clients/);
    third.socket.destroy();
    first.socket.destroy();
    // The server notices the closed socket on its own schedule: a new client is greeted once it has.
    let fourth = await openSmtp(pier.smtpPort);
    for (let i = 0; i < 50 && fourth.greeting.startsWith('421'); i++) {
      fourth.socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      fourth = await openSmtp(pier.smtpPort);
    }
    expect(fourth.greeting).toMatch(/^220 /);
    second.socket.destroy();
    fourth.socket.destroy();
  });

  it('refuses a mail over the size limit with 552', async () => {
    await pier.stop();
    pier = await startPierProcess(database, { PIER_SMTP_MAX_MB: '0.01' });
    const attempt = send(pier.smtpPort, { from: 'a@customer.test', to: 'sales@acme.test', subject: 'big', text: 'x'.repeat(50_000) });
    await expect(attempt).rejects.toMatchObject({ responseCode: 552 });
  });
});
