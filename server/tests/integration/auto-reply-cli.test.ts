import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AutoReplySettingsResponse } from '@pier/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAutoReplySettings } from '../../src/modules/auto-reply/index.js';
import { findMailboxByAddress } from '../../src/modules/mailboxes/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';
import { startTestPier } from '../support/pier.js';
import { runCli } from '../support/pier-process.js';
import { openTestWorkspace } from '../support/workspace.js';
import { addMailbox, withTestWorkspace } from '../support/workspace-setup.js';

const boss = { email: 'boss@acme.test', name: 'Boss', password: 'correct horse battery staple' };

/** `pier autoreply set|off` (the contract) and the settings API, on both engines. */
describe.each(engines)('auto-reply settings through the CLI and the API on %s', (engine) => {
  let database: TestDatabase;
  const file = (name: string) => path.join(database.dataDir, name);
  // One workspace beside the CLI processes, reading what they stored.
  let ws: Awaited<ReturnType<typeof openTestWorkspace>>;
  const settingsOf = async () => {
    const mailbox = await findMailboxByAddress(ws.db, 'info@acme.test');
    return loadAutoReplySettings(ws.db, mailbox?.id ?? '');
  };

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    await withTestWorkspace(database, (ws) => addMailbox(ws, { address: 'info@acme.test', name: 'ACME Info' }));
    ws = await openTestWorkspace(database);
  });
  afterAll(async () => {
    await ws?.close();
    await database?.drop();
  });

  it('turns the auto-reply on with a UTF-8 text file and off again, keeping the text', async () => {
    const text = '您好 {{customer.name}}，感谢来信 {{mailbox.name}}。\r\nWe answer by {{expected_reply_time}}. Ref {{reference}}\r\n';
    await writeFile(file('reply.txt'), `\uFEFF${text}`, 'utf8');
    const on = await runCli(database, ['autoreply', 'set', '--mailbox', 'info@acme.test', '--text-file', file('reply.txt')]);
    expect(JSON.parse(on.stdout)).toEqual({ mailbox: 'info@acme.test', enabled: true, periodHours: 96 });
    const stored = await settingsOf();
    expect(stored.enabled).toBe(true);
    expect(stored.templates.versions).toEqual([
      {
        language: null,
        insideHours: '您好 {{customer.name}}，感谢来信 {{mailbox.name}}。\nWe answer by {{expected_reply_time}}. Ref {{reference}}',
        outsideHours: null,
      },
    ]);
    const off = await runCli(database, ['autoreply', 'off', '--mailbox', 'info@acme.test']);
    expect(JSON.parse(off.stdout)).toEqual({ mailbox: 'info@acme.test', enabled: false });
    const after = await settingsOf();
    expect(after.enabled).toBe(false);
    expect(after.templates).toEqual(stored.templates);
  }, 120_000);

  it('refuses a file that is not UTF-8, an unknown variable and an unknown mailbox with exit code 2', async () => {
    // "您好" in GB18030: not UTF-8, refused instead of stored garbled.
    await writeFile(file('gbk.txt'), Buffer.from([0xc4, 0xfa, 0xba, 0xc3]));
    await expect(
      runCli(database, ['autoreply', 'set', '--mailbox', 'info@acme.test', '--text-file', file('gbk.txt')]),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('is not UTF-8 text'),
    });
    await writeFile(file('unknown.txt'), 'Dear {{customer.firstname}}', 'utf8');
    await expect(
      runCli(database, ['autoreply', 'set', '--mailbox', 'info@acme.test', '--text-file', file('unknown.txt')]),
    ).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown variable {{customer.firstname}}'),
    });
    await expect(runCli(database, ['autoreply', 'off', '--mailbox', 'nobody@acme.test'])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('no mailbox nobody@acme.test'),
    });
    expect((await settingsOf()).enabled).toBe(false);
  }, 120_000);

  it('reads and saves language versions through the API, and answers an unknown variable with 400 naming it', async () => {
    const pier = await startTestPier(database);
    try {
      const admin = pier.api();
      expect((await admin.post('/api/setup', boss)).status).toBe(201);
      const mailbox = await findMailboxByAddress(pier.workspace.db, 'info@acme.test');
      const url = `/api/mailboxes/${mailbox?.id}/auto-reply`;
      const read = await admin.get<AutoReplySettingsResponse>(url);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ enabled: false, periodHours: 96, hourlyCap: 1 });
      expect(read.body.variables).toEqual(['customer.name', 'mailbox.name', 'expected_reply_time', 'reference']);

      const settings = {
        enabled: true,
        periodHours: 48,
        hourlyCap: 2,
        templates: {
          versions: [
            { language: null, insideHours: 'Thanks, {{customer.name}}.', outsideHours: 'We are closed; by {{expected_reply_time}}.' },
            { language: 'de', insideHours: 'Danke, {{customer.name}}.', outsideHours: null },
          ],
        },
      };
      const saved = await admin.put<AutoReplySettingsResponse>(url, settings);
      expect(saved.status).toBe(200);
      expect(saved.body).toMatchObject({ ...settings, mailboxId: mailbox?.id });

      const bad = await admin.put<{ error: { code: string; message: string } }>(url, {
        ...settings,
        templates: { versions: [{ language: null, insideHours: 'Hi {{name}} and {{ order.id }}', outsideHours: null }] },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('unknown variable {{name}}, {{order.id}}');
      expect((await admin.get<AutoReplySettingsResponse>(url)).body.templates).toEqual(settings.templates);
    } finally {
      await pier.stop();
    }
  }, 120_000);
});
