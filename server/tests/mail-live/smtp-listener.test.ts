import { existsSync } from 'node:fs';
import path from 'node:path';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMailboxWithCli } from '../support/cli-mailbox.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { createApiClient } from '../support/http-client.js';
import { type PierProcess, runCli, startPierProcess } from '../support/pier-process.js';
import { TEST_PASSWORD } from '../support/users.js';

const admin = { email: 'admin@acme.test', password: TEST_PASSWORD };

describe.each(engines)("Pier's own SMTP listener on %s", (engine) => {
  let database: TestDatabase;
  let pier: PierProcess;

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    await runCli(database, ['admin', 'create', '--email', admin.email, '--password', admin.password]);
    await addMailboxWithCli(database, { address: 'sales@acme.test', name: 'ACME Sales', purpose: 'sales' });
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

  it('refuses a mail over the size limit with 552', async () => {
    await pier.stop();
    pier = await startPierProcess(database, { PIER_SMTP_MAX_MB: '0.01' });
    const attempt = send(pier.smtpPort, { from: 'a@customer.test', to: 'sales@acme.test', subject: 'big', text: 'x'.repeat(50_000) });
    await expect(attempt).rejects.toMatchObject({ responseCode: 552 });
  });
});
