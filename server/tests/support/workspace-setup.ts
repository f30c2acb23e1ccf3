import { type ConnectionSettings, ConnectionSettingsSchema, type MailboxAccess, type MailboxPurpose, type Role } from '@pier/contracts';
import { openWorkspace, type Workspace } from '../../src/compose.js';
import type { MailboxRow, UserRow } from '../../src/db/schema.js';
import { type AuditActor, auditUserCreated, recordAudit } from '../../src/modules/audit/index.js';
import { createMailbox, findMailboxByAddress, grantMailboxAccess } from '../../src/modules/mailboxes/index.js';
import { createAccount } from '../../src/modules/security/index.js';
import { findUserByEmail } from '../../src/modules/workspace/index.js';
import type { CliMailbox } from './cli-mailbox.js';
import type { TestDatabase } from './databases.js';
import { mailServer } from './mail-server.js';
import { quietLogger } from './workspace.js';

// A test's setup — users, grants, mailboxes — done in this process with the same use cases and the
// same audit actor as `pier admin create`, `admin grant` and `mailbox add` (server/src/cli.ts),
// without a CLI process each (1.1–1.8 CPU-s measured: Node's start and the server's modules).
// Tests of the CLI itself (integration/cli.test.ts and the other *-cli tests) still run the command.

/** What the CLI writes into the audit log as the actor (cli.ts `cliActor`). */
const cliActor: AuditActor = { actorId: null, via: 'cli' };

/** Opens the test database's workspace (as the CLI does: key file in the data dir), runs `run`, closes it. */
export async function withTestWorkspace<T>(database: TestDatabase, run: (ws: Workspace) => Promise<T>): Promise<T> {
  const ws = await openWorkspace({ ...database, secretKey: undefined }, quietLogger);
  try {
    return await run(ws);
  } finally {
    await ws.close();
  }
}

export type SetupUser = { email: string; password: string; name?: string; role?: Role };

/** `pier admin create`: a user (super admin unless `role` says otherwise), with the same audit entry. */
export async function addUser(ws: Workspace, user: SetupUser): Promise<UserRow> {
  return ws.db.transaction().execute(async (trx) => {
    const created = await createAccount(trx, {
      email: user.email,
      name: user.name ?? user.email.split('@')[0] ?? user.email,
      password: user.password,
      role: user.role ?? 'super_admin',
    });
    await recordAudit(trx, auditUserCreated(created, 'cli'));
    return created;
  });
}

/** `pier admin grant`: gives a user access to a mailbox, both named by address. */
export async function grantAccess(ws: Workspace, email: string, mailbox: string, access: MailboxAccess = 'reply'): Promise<void> {
  const user = await findUserByEmail(ws.db, email);
  const row = await findMailboxByAddress(ws.db, mailbox);
  if (!user || !row) throw new Error(`grantAccess: no user ${email} or no mailbox ${mailbox}`);
  await grantMailboxAccess(ws.db, user.id, row.id, access, cliActor);
}

/**
 * `pier mailbox add` with the arguments `addMailboxWithCli` would give (cli-mailbox.ts): without
 * `testBench` a mailbox that receives on Pier's SMTP listener only; with it, connected to the bench's
 * Dovecot and Postfix (no TLS, user = address, the bench password).
 */
export async function addMailbox(ws: Workspace, mailbox: CliMailbox): Promise<MailboxRow> {
  // Kept to what the converted setups use; the CLI's own options are tested through the CLI.
  if (mailbox.extra?.length || mailbox.xoauth2) throw new Error('addMailbox: `extra` and `xoauth2` need addMailboxWithCli');
  return createMailbox(
    ws.db,
    {
      address: mailbox.address,
      displayName: mailbox.name,
      purpose: (mailbox.purpose ?? 'inquiry') as MailboxPurpose,
      connection: mailbox.testBench ? benchConnection(mailbox) : undefined,
    },
    ws.secrets,
    cliActor,
  );
}

function benchConnection(mailbox: CliMailbox): ConnectionSettings {
  const bench = mailbox.testBench ?? {};
  const since = bench.sinceDays ?? 'all';
  return ConnectionSettingsSchema.parse({
    preset: 'other',
    imap: { host: mailServer.host, port: mailServer.imapPort, tls: 'none', user: mailbox.address },
    smtp: { host: mailServer.host, port: mailServer.submissionPort, tls: 'none', user: mailbox.address },
    authMethod: 'password',
    password: mailServer.password,
    syncFolders: (bench.folders ?? 'inbox').split(',').map((f) => f.trim()),
    syncSinceDays: since === 'all' ? null : Number(since),
  });
}
