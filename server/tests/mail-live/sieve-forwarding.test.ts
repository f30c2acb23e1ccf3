import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Workspace } from '../../src/compose.js';
import type { MailboxRow } from '../../src/db/schema.js';
import {
  forwardingAudit,
  ManageSieveClient,
  type SieveConnectOptions,
  saveSieveSettings,
  scanMailboxSieve,
} from '../../src/modules/audit/index.js';
import { createMailbox, mailboxCredentials } from '../../src/modules/mailboxes/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { testEnv } from '../support/env.js';
import { mailServer } from '../support/mail-server.js';
import { addTestImapMailbox, openTestWorkspace } from '../support/workspace.js';

const user = 'support@acme.test';
const sieve = (): SieveConnectOptions => ({
  host: mailServer.host,
  port: Number(testEnv('PIER_TEST_SIEVE_PORT')),
  tls: 'none',
  user,
  password: mailServer.password,
});

async function withSieve<T>(run: (client: ManageSieveClient) => Promise<T>): Promise<T> {
  const client = await ManageSieveClient.connect(sieve());
  try {
    return await run(client);
  } finally {
    await client.logout();
  }
}

async function removeAllScripts() {
  await withSieve(async (client) => {
    // The active script cannot be deleted: activate none first (SETACTIVE "").
    await client.setActive('');
    for (const s of await client.listScripts()) await client.deleteScript(s.name);
  });
}

const mainScript = [
  'require ["copy", "vacation", "fileinto"];',
  '# 客户来信转给老板 — a comment that says redirect "comment@evil.test";',
  'if header :contains "subject" ["发票", "invoice"] {',
  '  redirect :copy "boss@acme.test";',
  '  redirect "pay-team@evil-payments.test";',
  '}',
  'vacation :days 3 :subject "Out of office" text:',
  'Back next week; urgent: write to someone@elsewhere.test',
  '.',
  ';',
  '',
].join('\r\n');

describe('the ManageSieve client against Dovecot', () => {
  beforeAll(removeAllScripts);
  afterAll(removeAllScripts);

  it('uploads, lists (with the active flag) and reads back a script byte for byte', async () => {
    await withSieve(async (client) => {
      expect(client.capabilities.get('IMPLEMENTATION')).toMatch(/dovecot/i);
      await client.putScript('pier-test', mainScript);
      await client.putScript('spare', 'keep;\r\n');
      await client.setActive('pier-test');
      expect(await client.listScripts()).toEqual(
        expect.arrayContaining([
          { name: 'pier-test', active: true },
          { name: 'spare', active: false },
        ]),
      );
      expect(await client.getScript('pier-test')).toBe(mainScript);
    });
  });

  it('reports a wrong password as auth_failed, and refuses to go on when STARTTLS is required but not offered', async () => {
    await expect(ManageSieveClient.connect({ ...sieve(), password: 'wrong' })).rejects.toMatchObject({ kind: 'auth_failed' });
    await expect(ManageSieveClient.connect({ ...sieve(), tls: 'starttls' })).rejects.toMatchObject({ kind: 'no_tls' });
    await expect(ManageSieveClient.connect({ ...sieve(), port: 1 })).rejects.toMatchObject({ kind: 'unavailable' });
  });

  it('refuses a bad script with the server’s reason', async () => {
    await withSieve(async (client) => {
      await expect(client.putScript('broken', 'redirect "x@y.test"')).rejects.toThrow(/PUTSCRIPT failed/);
    });
  });
});

describe.each(engines)('the forwarding audit reads Sieve scripts on %s', (engine) => {
  let database: TestDatabase;
  let ws: Workspace;
  let mailbox: MailboxRow;
  const scan = () => scanMailboxSieve(ws.db, mailbox, mailboxCredentials(ws.secrets));
  const foundRecords = () =>
    ws.db
      .selectFrom('audit_log')
      .select(['action', 'mailbox_id', 'details'])
      .where('action', '=', 'forwarding.external_redirect_found')
      .execute();

  beforeAll(async () => {
    await removeAllScripts();
    database = await createTestDatabase(engine);
    ws = await openTestWorkspace(database);
    mailbox = await addTestImapMailbox(ws, user);
    // A second domain of the company: forwards there are internal.
    await createMailbox(ws.db, { address: 'info@acme-group.test', displayName: 'Group', purpose: 'inquiry' });
    await saveSieveSettings(ws.db, mailbox.id, { enabled: 1, port: Number(testEnv('PIER_TEST_SIEVE_PORT')), tls: 'none' });
    await withSieve(async (client) => {
      await client.putScript('pier-test', mainScript);
      await client.setActive('pier-test');
    });
  });
  afterAll(async () => {
    await removeAllScripts();
    await ws?.close();
    await database?.drop();
  });

  it('flags the external redirect, lists the internal :copy, ignores vacation and comments, and records it once', async () => {
    const first = await scan();
    expect(first).toMatchObject({ status: 'ok', scripts: 1, findings: 2 });
    expect(first.newExternal).toEqual([{ script: 'pier-test', kind: 'redirect', target: 'pay-team@evil-payments.test' }]);
    const audit = await forwardingAudit(ws.db);
    expect(audit.companyDomains).toEqual(['acme-group.test', 'acme.test']);
    expect(audit.pierRules).toEqual({ available: true, items: [] });
    expect(audit.sieve).toEqual([
      expect.objectContaining({
        address: user,
        status: 'ok',
        findings: [
          expect.objectContaining({ kind: 'redirect_copy', target: 'boss@acme.test', external: false, active: true }),
          expect.objectContaining({ kind: 'redirect', target: 'pay-team@evil-payments.test', external: true, active: true }),
        ],
      }),
    ]);
    const again = await scan();
    expect(again.newExternal).toEqual([]);
    const records = await foundRecords();
    expect(records).toHaveLength(1);
    expect(JSON.parse(records[0]?.details ?? '{}')).toMatchObject({
      target: 'pay-team@evil-payments.test',
      script: 'pier-test',
      via: 'schedule',
    });
  });

  it('records a newly added external forward, drops removed ones, and keeps findings when the server cannot be read', async () => {
    await withSieve(async (client) => {
      await client.putScript(
        'pier-test',
        'require ["copy"];\r\nredirect :copy "info@acme-group.test";\r\nredirect :copy "leak@gmail.test";\r\n',
      );
    });
    const result = await scan();
    expect(result.newExternal).toEqual([{ script: 'pier-test', kind: 'redirect_copy', target: 'leak@gmail.test' }]);
    const targets = (await forwardingAudit(ws.db)).sieve[0]?.findings.map((f) => [f.target, f.external]);
    expect(targets).toEqual([
      ['info@acme-group.test', false],
      ['leak@gmail.test', true],
    ]);
    expect(await foundRecords()).toHaveLength(2);

    await saveSieveSettings(ws.db, mailbox.id, { enabled: 1, port: 1, tls: 'none' });
    expect(await scan()).toMatchObject({ status: 'unavailable' });
    const after = (await forwardingAudit(ws.db)).sieve[0];
    expect(after).toMatchObject({ status: 'unavailable', lastError: expect.stringContaining('cannot reach ManageSieve') });
    expect(after?.findings).toHaveLength(2);
  });
});
