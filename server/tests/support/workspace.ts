import pino from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { createMovableClock, type MovableClock } from '../../src/clock.js';
import { openWorkspace, type Workspace } from '../../src/compose.js';
import type { MailboxRow } from '../../src/db/schema.js';
import { createMailbox } from '../../src/modules/mailboxes/index.js';
import { createTestDatabase, type TestDatabase, type TestEngine } from './databases.js';
import { mailServer } from './mail-server.js';

export const quietLogger = pino({ level: 'silent' });

/** The running Pier of a workspace (startTestPier), so a mailbox a test adds is synced now, not at the next 10-s scan. */
const rescans = new WeakMap<Workspace, () => void>();
export function onTestMailboxesChanged(ws: Workspace, rescan: () => void): void {
  rescans.set(ws, rescan);
}

/** A workspace whose clock the test moves (`ws.clock.advance(ms)`) instead of sleeping. */
export async function openTestWorkspace(database: TestDatabase): Promise<Workspace & { clock: MovableClock }> {
  const clock = createMovableClock();
  const ws = await openWorkspace({ ...database, secretKey: undefined }, undefined, clock);
  return { ...ws, clock };
}

/**
 * A fresh database and workspace for the tests of one engine's `describe` block, opened before them
 * and closed (and the database dropped) after; the returned function gives the workspace.
 */
export function useTestWorkspace(engine: TestEngine): () => Workspace {
  let database: TestDatabase | undefined;
  let ws: Workspace | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    ws = await openWorkspace({ ...database, secretKey: undefined });
  });
  afterAll(async () => {
    await ws?.close();
    await database?.drop();
  });
  return () => {
    if (!ws) throw new Error('the workspace opens in beforeAll');
    return ws;
  };
}

/** A mailbox connected to the test Dovecot (plain IMAP on loopback) with every folder role synced. */
export async function addTestImapMailbox(
  ws: Workspace,
  address: string,
  options: { password?: string; imapPort?: number } = {},
): Promise<MailboxRow> {
  const mailbox = await createMailbox(
    ws.db,
    {
      address,
      displayName: address,
      purpose: 'sales',
      connection: {
        preset: 'other',
        imap: { host: mailServer.host, port: options.imapPort ?? mailServer.imapPort, tls: 'none', user: address },
        smtp: { host: mailServer.host, port: mailServer.submissionPort, tls: 'none', user: address },
        authMethod: 'password',
        password: options.password ?? mailServer.password,
        syncFolders: ['inbox', 'sent', 'spam'],
        syncSinceDays: null,
      },
    },
    ws.secrets,
  );
  rescans.get(ws)?.();
  return mailbox;
}
