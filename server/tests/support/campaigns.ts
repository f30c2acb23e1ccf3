import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import type { Workspace } from '../../src/compose.js';
import type { MailboxRow } from '../../src/db/schema.js';
import { ingestMail } from '../../src/modules/conversations/index.js';
import { createMailbox, grantMailboxAccess, loadOwnAddresses } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { createTestDatabase, type TestDatabase, type TestEngine } from './databases.js';
import { testEnv } from './env.js';
import { emptyMailboxes, mailServer, withImap } from './mail-server.js';
import type { findMail } from './outbox.js';
import { startTestPier } from './pier.js';
import { runCli } from './pier-process.js';

export const NEWSLETTER = 'newsletter@acme.test';

type ReceivedMail = Awaited<ReturnType<typeof findMail>>[number];

/** The (first) To address of a mail read from the bench's Dovecot. */
export const recipientOf = (m: ReceivedMail): string =>
  (m.parsed.to && !Array.isArray(m.parsed.to) ? m.parsed.to.value[0]?.address : '') ?? '';

/** The double opt-in confirmation link in a confirmation mail's text part. */
export const confirmLinkIn = (text: string | undefined): string =>
  /(http:\/\/127\.0\.0\.1:\d+\/confirm-subscription\/[\w.-]+)/.exec(text ?? '')?.[1] ?? '';

/** The bench's newsletter@ as a marketing mailbox (IMAP inbox synced, SMTP through `smtpPort`, default Postfix submission). */
export async function addMarketingMailbox(ws: Workspace, smtpPort = mailServer.submissionPort): Promise<MailboxRow> {
  return createMailbox(
    ws.db,
    {
      address: NEWSLETTER,
      displayName: 'Acme News',
      purpose: 'marketing',
      connection: {
        preset: 'other',
        imap: { host: mailServer.host, port: mailServer.imapPort, tls: 'none', user: NEWSLETTER },
        smtp: { host: mailServer.host, port: smtpPort, tls: 'none', user: NEWSLETTER },
        authMethod: 'password',
        password: mailServer.password,
        syncFolders: ['inbox'],
        syncSinceDays: null,
      },
    },
    ws.secrets,
  );
}

/**
 * A free loopback port below the ephemeral range (in this bench's block, port base + 200…299), so a
 * test can give Pier its public URL (the unsubscribe link) before it starts, and a restarted Pier
 * gets the same port: an ephemeral one may meanwhile be the local end of an outgoing connection.
 */
export async function freePort(): Promise<number> {
  const base = Number(testEnv('PIER_TEST_SMTP_PORT')) - 25 + 200;
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = base + Math.floor(Math.random() * 100);
    const server = net.createServer();
    const free = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (!free) continue;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
  }
  throw new Error('no free port in the bench block');
}

/**
 * A test database and Pier on a bench port it also has as its public URL (the unsubscribe and
 * confirmation links point to it), the given bench mailboxes emptied first: a campaign test's start.
 */
export async function startCampaignPier(engine: TestEngine, emptied: string[] = []) {
  const database = await createTestDatabase(engine);
  for (const address of emptied) await emptyMailboxes(address);
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const pier = await startTestPier(database, { PIER_PORT: String(port), PIER_PUBLIC_URL: baseUrl });
  return { database, pier, baseUrl };
}

/** Imports `addresses` into list `name` and queues a campaign through the CLI (the contract); returns its printed JSON. */
export async function queueCampaignByCli(
  database: TestDatabase,
  input: { list: string; addresses: string[]; subject: string; ratePerMinute?: number },
): Promise<{ stdout: string; parsed: { campaign: string; recipients: number } }> {
  const dir = database.dataDir;
  const csv = path.join(dir, `${input.list}.csv`);
  const rows = input.addresses.map(
    (a, i) => `${a},Buyer ${i + 1},Customer ${i % 7} GmbH,DE,Europe/Berlin,Canton Fair 2026 form,2026-10-15`,
  );
  await writeFile(csv, ['email,name,company,country,time_zone,consent_source,consent_date', ...rows].join('\n'));
  await runCli(database, ['campaign', 'import-list', '--name', input.list, '--file', csv]);
  const html = path.join(dir, `${input.list}.html`);
  const text = path.join(dir, `${input.list}.txt`);
  await writeFile(
    html,
    '<p>Dear {{name}} of {{company}},</p><p>our new LED panels are out.</p><p><a href="{{unsubscribe_url}}">Unsubscribe</a></p>',
  );
  await writeFile(text, 'Dear {{name}} of {{company}},\n\nour new LED panels are out.\n');
  const { stdout } = await runCli(database, [
    'campaign',
    'send',
    '--mailbox',
    NEWSLETTER,
    '--list',
    input.list,
    '--subject',
    input.subject,
    '--html-file',
    html,
    '--text-file',
    text,
    ...(input.ratePerMinute ? ['--rate-per-minute', String(input.ratePerMinute)] : []),
  ]);
  return { stdout, parsed: JSON.parse(stdout) as { campaign: string; recipients: number } };
}

export async function campaignStatusByCli(database: TestDatabase, id: string): Promise<Record<string, unknown>> {
  const { stdout } = await runCli(database, ['campaign', 'status', id]);
  return JSON.parse(stdout) as Record<string, unknown>;
}

let customerMails = 0;

/**
 * A customer's mail stored in `mailboxId` as if synced (through ingestMail, so the contacts module
 * records the sender and its company, and mail-facts detects the language): segment tests' customers.
 */
export async function ingestCustomerMail(ws: Workspace, input: { mailboxId: string; from: string; receivedAt: number; body?: string }) {
  const { db, blobs, engine, messageIds, recordReopened, teamActivity } = ws;
  const ctx = { engine, ownAddresses: await loadOwnAddresses(db), messageIds, recordReopened, teamActivity };
  const n = ++customerMails;
  const raw = [
    `Message-ID: <customer${n}-${Math.random().toString(36).slice(2)}@x.test>`,
    `From: ${input.from}`,
    'To: sales@acme.test',
    `Subject: Inquiry ${n}`,
    `Date: ${new Date(input.receivedAt).toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    input.body ?? 'Please quote 500 pieces.',
    '',
  ].join('\r\n');
  await ingestMail(
    { db, blobs, ctx },
    { raw: Buffer.from(raw), mailboxIds: [input.mailboxId], source: 'imap', receivedAt: input.receivedAt },
  );
}

/** The To addresses of the mails in `customer`'s INBOX whose subject holds `token` (buyer+N@ all land in buyer@'s). */
export async function receivedAddresses(customer: string, token: string): Promise<string[]> {
  return withImap(customer, async (client) => {
    const lock = await client.getMailboxLock('INBOX');
    try {
      const uids = (await client.search({ subject: token }, { uid: true })) || [];
      if (uids.length === 0) return [];
      const out: string[] = [];
      for await (const m of client.fetch(uids.join(','), { envelope: true }, { uid: true })) {
        out.push(m.envelope?.to?.[0]?.address ?? '');
      }
      return out;
    } finally {
      lock.release();
    }
  });
}

/**
 * The people a campaign authorisation test signs in beside the admin: an agent of info@ (reply), an
 * agent managing newsletter@ itself, and an auditor. Returns their API clients and newsletter@'s id.
 */
export async function campaignRoles(pier: Awaited<ReturnType<typeof startTestPier>>) {
  const { db } = pier.workspace;
  const infoId = (await createMailbox(db, { address: 'info@acme.test', displayName: 'Info', purpose: 'sales' })).id;
  const marketingId = (await addMarketingMailbox(pier.workspace)).id;
  const li = await createAccount(db, { email: 'li@acme.test', name: '李娜', password: 'agent password 1', role: 'agent' });
  const wang = await createAccount(db, { email: 'wang@acme.test', name: '王强', password: 'agent password 2', role: 'agent' });
  await createAccount(db, { email: 'audit@acme.test', name: 'Auditor', password: 'auditor password 3', role: 'auditor' });
  await grantMailboxAccess(db, li.id, infoId, 'reply');
  await grantMailboxAccess(db, wang.id, marketingId, 'manage');
  const signIn = async (email: string, password: string) => {
    const client = pier.api();
    const response = await client.post('/api/auth/login', { email, password });
    if (response.status !== 200) throw new Error(`${email} could not sign in: ${response.status}`);
    return client;
  };
  return {
    marketingId,
    agents: [await signIn('li@acme.test', 'agent password 1'), await signIn('wang@acme.test', 'agent password 2')],
    auditor: await signIn('audit@acme.test', 'auditor password 3'),
  };
}

/**
 * A form POST to a list's public sign-up page as a company website's pasted form sends it: urlencoded,
 * across origins (its Origin and Referer are the website's), no cookie.
 */
export async function postSignup(baseUrl: string, slug: string, fields: Record<string, string>) {
  const response = await fetch(`${baseUrl}/subscribe/${slug}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: 'https://www.acme-leds.example',
      referer: 'https://www.acme-leds.example/newsletter',
    },
    body: new URLSearchParams({ name: '', language: '', url: '', lang: 'en', ...fields }).toString(),
    redirect: 'manual',
  });
  return { status: response.status, body: await response.text() };
}
