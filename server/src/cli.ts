#!/usr/bin/env node
import {
  type ConnectionSettings,
  ConnectionSettingsSchema,
  findPreset,
  MailboxAccessSchema,
  MailboxPurposeSchema,
  mailboxPresets,
  RoleSchema,
  TlsModeSchema,
} from '@pier/contracts';
import { Command, InvalidArgumentError, Option } from 'commander';
import pino from 'pino';
import { ZodError, type z } from 'zod';
import { registerApiCommands } from './cli-api.js';
import { registerAutoReplyCommands } from './cli-autoreply.js';
import { registerBackupCommands } from './cli-backup.js';
import { registerCampaignCommands } from './cli-campaign.js';
import { registerContactsCommands } from './cli-customers.js';
import { registerRulesCommands } from './cli-rules.js';
import { openWorkspace, type Workspace } from './compose.js';
import { ConfigError, loadConfig } from './config.js';
import { AppError } from './errors.js';
import { type AuditActor, auditUserCreated, recordAudit, verifyAuditChain } from './modules/audit/index.js';
import { checkStoredMail, reindexStoredMail } from './modules/conversations/index.js';
import { assessPendingMessages, checkMailFile } from './modules/fraud/index.js';
import {
  createMailbox,
  findMailboxByAddress,
  grantMailboxAccess,
  listActiveImapMailboxes,
  listMailboxes,
  loadOwnAddresses,
  testMailboxConnection,
} from './modules/mailboxes/index.js';
import { uploadBlobHashes } from './modules/outbox/index.js';
import { createAccount } from './modules/security/index.js';
import { importMailFiles, syncMailboxOnce } from './modules/sync/index.js';
import { findUserByEmail } from './modules/workspace/index.js';

/**
 * `npm run pier -- [--data-dir DIR] [--database-url URL] <command>`: everything an
 * admin does in the UI, for scripts and ops. The global options default to the
 * same settings as `npm start` (PIER_DATA_DIR, DATABASE_URL).
 */
const program = new Command('pier')
  .description('Pier — the shared public mailbox for export teams')
  .option('--data-dir <dir>', 'data folder (SQLite file, blobs, key); default PIER_DATA_DIR or ./data')
  .option('--database-url <url>', 'postgres://… to use PostgreSQL; default DATABASE_URL or the embedded SQLite')
  .showHelpAfterError();

function choice<T extends z.ZodType>(schema: T) {
  return (value: string) => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new InvalidArgumentError(`expected one of: ${parsed.error.issues[0]?.message ?? ''}`);
    return parsed.data as z.infer<T>;
  };
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new InvalidArgumentError('expected a whole number from 1 to 100000');
  return n;
}

function cliConfig() {
  const globals = program.opts<{ dataDir?: string; databaseUrl?: string }>();
  return loadConfig(process.env, {
    ...(globals.dataDir ? { PIER_DATA_DIR: globals.dataDir } : {}),
    ...(globals.databaseUrl ? { DATABASE_URL: globals.databaseUrl } : {}),
  });
}

async function withWorkspace<T>(run: (ws: Workspace) => Promise<T>): Promise<T> {
  const ws = await openWorkspace(cliConfig());
  try {
    return await run(ws);
  } finally {
    await ws.close();
  }
}

/** The CLI runs with the server's own rights; the record says so (no user to name). */
const cliActor: AuditActor = { actorId: null, via: 'cli' };

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

const admin = program.command('admin').description('users and access');
admin
  .command('create')
  .description('create a user (a super admin unless --role says otherwise)')
  .requiredOption('--email <email>', 'sign-in email')
  .option('--password <password>', 'password (at least 12 characters); prefer --password-stdin')
  .option('--password-stdin', 'read the password from standard input')
  .option('--name <name>', 'display name (default: the part before @)')
  .addOption(new Option('--role <role>', 'super_admin | admin | agent | auditor').default('super_admin').argParser(choice(RoleSchema)))
  .action(async (opts: { email: string; password?: string; passwordStdin?: boolean; name?: string; role: z.infer<typeof RoleSchema> }) => {
    const password = opts.passwordStdin ? await readStdin() : opts.password;
    if (!password) throw new InvalidArgumentError('give --password or --password-stdin');
    await withWorkspace(async ({ db }) => {
      const user = await db.transaction().execute(async (trx) => {
        const created = await createAccount(trx, {
          email: opts.email,
          name: opts.name ?? opts.email.split('@')[0] ?? opts.email,
          password,
          role: opts.role,
        });
        await recordAudit(trx, auditUserCreated(created, 'cli'));
        return created;
      });
      console.log(JSON.stringify({ created: 'user', id: user.id, email: user.email, role: user.role }));
    });
  });
admin
  .command('grant')
  .description('give a user access to a mailbox')
  .requiredOption('--email <email>', 'the user')
  .requiredOption('--mailbox <address>', 'the mailbox address')
  .addOption(new Option('--access <level>', 'read | reply | manage').default('reply').argParser(choice(MailboxAccessSchema)))
  .action(async (opts: { email: string; mailbox: string; access: z.infer<typeof MailboxAccessSchema> }) => {
    await withWorkspace(async ({ db }) => {
      const user = await findUserByEmail(db, opts.email);
      if (!user) throw new AppError('request.not_found', 404, `no user ${opts.email}`);
      const mailbox = await findMailboxByAddress(db, opts.mailbox);
      if (!mailbox) throw new AppError('mailbox.not_found', 404, `no mailbox ${opts.mailbox}`);
      await grantMailboxAccess(db, user.id, mailbox.id, opts.access, cliActor);
      console.log(JSON.stringify({ granted: opts.access, user: user.email, mailbox: mailbox.address }));
    });
  });

const mailbox = program.command('mailbox').description('public mailboxes');
mailbox
  .command('add')
  .description('add a mailbox: with IMAP/SMTP settings it is synced; without, it receives mail on the SMTP listener')
  .requiredOption('--address <address>', 'e.g. sales@acme.com')
  .requiredOption('--name <name>', 'display name, e.g. "ACME Sales"')
  .addOption(
    new Option('--purpose <purpose>', MailboxPurposeSchema.options.join(' | ')).default('inquiry').argParser(choice(MailboxPurposeSchema)),
  )
  .option('--preset <preset>', `provider preset: ${mailboxPresets.map((p) => p.id).join(' | ')}`)
  .option('--imap-host <host>')
  .option('--imap-port <port>')
  .addOption(new Option('--imap-tls <mode>', 'tls | starttls | none').argParser(choice(TlsModeSchema)))
  .option('--smtp-host <host>')
  .option('--smtp-port <port>')
  .addOption(new Option('--smtp-tls <mode>', 'tls | starttls | none').argParser(choice(TlsModeSchema)))
  .option('--user <user>', 'login name (default: the address)')
  .option('--password-stdin', 'read the password (or client-specific password) from standard input')
  .option('--access-token-stdin', 'read an XOAUTH2 access token from standard input (Google, Microsoft 365)')
  .option('--oauth-refresh-token-stdin', 'XOAUTH2 with renewal: read an OAuth refresh token from standard input')
  .option('--oauth-client-id <id>', 'the OAuth client (app) id the refresh token was issued to')
  .option('--oauth-client-secret-stdin', 'read the OAuth client secret from standard input (after the tokens, one per line)')
  .option('--oauth-token-endpoint <url>', 'token endpoint (default: the preset’s, for gmail and m365)')
  .option('--folders <roles>', 'folders to sync: inbox,sent,spam', 'inbox,sent')
  .option('--since-days <days>', 'first sync reaches back this many days, or "all"', '365')
  .action(async (opts: MailboxAddOptions) => {
    const connection = await connectionFromOptions(opts);
    await withWorkspace(async ({ db, secrets, live }) => {
      const row = await createMailbox(
        db,
        { address: opts.address, displayName: opts.name, purpose: opts.purpose, connection },
        secrets,
        cliActor,
      );
      // As the mailbox routes do: running nodes sync it now, not at their next scan (PostgreSQL's
      // NOTIFY; on SQLite the bus is the server's own process, so its 5-s scan finds it).
      await live.mailboxesChanged();
      console.log(JSON.stringify({ created: 'mailbox', id: row.id, address: row.address, synced: Boolean(connection) }));
    });
  });
mailbox
  .command('list')
  .description('list mailboxes')
  .action(async () => {
    await withWorkspace(async ({ db }) => {
      for (const m of await listMailboxes(db, { kind: 'all', level: 'manage' })) console.log(JSON.stringify(m));
    });
  });
mailbox
  .command('test')
  .description('check IMAP login, folder list and SMTP auth of a mailbox')
  .argument('<address>', 'the mailbox address')
  .action(async (address: string) => {
    await withWorkspace(async ({ db, secrets }) => {
      const row = await findMailboxByAddress(db, address);
      if (!row) throw new AppError('mailbox.not_found', 404, `no mailbox ${address}`);
      const result = await testMailboxConnection(row, secrets, undefined, db);
      console.log(JSON.stringify(result));
      if (!result.ok) process.exitCode = 1;
    });
  });

program
  .command('sync')
  .description('sync mailboxes over IMAP once and exit (`npm start` keeps every mailbox synced with IMAP IDLE)')
  .option('--mailbox <address>', 'only this mailbox (default: every active mailbox with IMAP settings)')
  .option('--once', 'sync each mailbox once and exit; prints one JSON report line per mailbox')
  .action(async (opts: { mailbox?: string; once?: boolean }) => {
    if (!opts.once) {
      throw new InvalidArgumentError('sync runs once: add --once (`npm start`, or PIER_ROLE=worker, keeps mailboxes synced)');
    }
    await withWorkspace(async (ws) => {
      let rows = await listActiveImapMailboxes(ws.db);
      if (opts.mailbox) {
        const row = await findMailboxByAddress(ws.db, opts.mailbox);
        if (!row) throw new AppError('mailbox.not_found', 404, `no mailbox ${opts.mailbox}`);
        rows = [row];
      }
      const deps = {
        ...ws,
        logger: pino({ level: 'warn' }, pino.destination(2)),
        onStored: (results: Parameters<typeof ws.live.messagesStored>[0]) => ws.live.messagesStored(results),
      };
      for (const row of rows) {
        const report = await syncMailboxOnce(deps, row);
        console.log(JSON.stringify(report));
        if (!report.ok) process.exitCode = 1;
      }
    });
  });

program
  .command('import')
  .description('import history from .mbox files, .eml files or folders of them')
  .requiredOption('--mailbox <address>', 'the mailbox the mail belongs to')
  .argument('<paths...>', '.mbox / .eml files or folders')
  .action(async (paths: string[], opts: { mailbox: string }) => {
    await withWorkspace(async (ws) => {
      const row = await findMailboxByAddress(ws.db, opts.mailbox);
      if (!row) throw new AppError('mailbox.not_found', 404, `no mailbox ${opts.mailbox}`);
      const counts = await importMailFiles({ ...ws, onStored: (results) => ws.live.messagesStored(results) }, row, paths);
      // The same assessment as live mail (the fraud.assess subscriber), oldest first, so the
      // imported history is judged and learned from before anything is compared with it.
      await assessPendingMessages(ws);
      console.log(JSON.stringify(counts));
      if (counts.failed > 0) process.exitCode = 1;
    });
  });

program
  .command('fraud')
  .description('fraud checks')
  .command('check')
  .description("score mail files against the workspace's history without storing them; one JSON line per file")
  .requiredOption('--mailbox <address>', 'the mailbox the mail would arrive in')
  .argument('<files...>', '.eml files')
  .action(async (files: string[], opts: { mailbox: string }) => {
    await withWorkspace(async (ws) => {
      const row = await findMailboxByAddress(ws.db, opts.mailbox);
      if (!row) throw new AppError('mailbox.not_found', 404, `no mailbox ${opts.mailbox}`);
      // A pure read: nothing is assessed or stored here (`pier import` assesses what it imports).
      for (const file of files) {
        try {
          const { score, level, signals } = await checkMailFile(ws.db, file);
          console.log(JSON.stringify({ file, score, level, signals }));
        } catch (error) {
          // One unreadable file does not stop the others; the exit code tells the script.
          console.error(`error: ${file}: ${error instanceof Error ? error.message : String(error)}`);
          process.exitCode = 1;
        }
      }
    });
  });

type MailboxAddOptions = {
  address: string;
  name: string;
  purpose: z.infer<typeof MailboxPurposeSchema>;
  preset?: string;
  imapHost?: string;
  imapPort?: string;
  imapTls?: z.infer<typeof TlsModeSchema>;
  smtpHost?: string;
  smtpPort?: string;
  smtpTls?: z.infer<typeof TlsModeSchema>;
  user?: string;
  passwordStdin?: boolean;
  accessTokenStdin?: boolean;
  oauthRefreshTokenStdin?: boolean;
  oauthClientId?: string;
  oauthClientSecretStdin?: boolean;
  oauthTokenEndpoint?: string;
  folders: string;
  sinceDays: string;
};

/** IMAP/SMTP settings from the options, a preset filling what is not given; none when no server is named. */
async function connectionFromOptions(opts: MailboxAddOptions): Promise<ConnectionSettings | undefined> {
  const preset = opts.preset ? findPreset(opts.preset) : undefined;
  if (opts.preset && !preset)
    throw new InvalidArgumentError(`unknown preset ${opts.preset}: ${mailboxPresets.map((p) => p.id).join(', ')}`);
  const imapHost = opts.imapHost ?? preset?.imap?.host;
  const smtpHost = opts.smtpHost ?? preset?.smtp?.host;
  if (!imapHost && !smtpHost) return undefined;
  if (!imapHost || !smtpHost) throw new InvalidArgumentError('give both --imap-host and --smtp-host (or a --preset)');
  // Standard input holds one line per *-stdin option, in this order: password or access token,
  // refresh token, client secret.
  const wanted = [opts.passwordStdin || opts.accessTokenStdin, opts.oauthRefreshTokenStdin, opts.oauthClientSecretStdin];
  const lines = wanted.some(Boolean) ? (await readStdin()).split(/\r?\n/) : [];
  const next = (want: boolean | undefined) => (want ? lines.shift() || undefined : undefined);
  const secret = next(wanted[0]);
  const refreshToken = next(wanted[1]);
  const clientSecret = next(wanted[2]);
  if (opts.passwordStdin && (opts.accessTokenStdin || opts.oauthRefreshTokenStdin)) {
    throw new InvalidArgumentError('--password-stdin cannot go with the XOAUTH2 options');
  }
  if (!secret && !refreshToken) {
    throw new InvalidArgumentError(
      'give the password with --password-stdin (or a token with --access-token-stdin / --oauth-refresh-token-stdin)',
    );
  }
  if (refreshToken && !opts.oauthClientId) throw new InvalidArgumentError('--oauth-refresh-token-stdin needs --oauth-client-id');
  const xoauth2 = Boolean(opts.accessTokenStdin || opts.oauthRefreshTokenStdin);
  const user = opts.user ?? opts.address;
  return ConnectionSettingsSchema.parse({
    preset: preset?.id ?? 'other',
    imap: { host: imapHost, port: opts.imapPort ?? preset?.imap?.port ?? 993, tls: opts.imapTls ?? preset?.imap?.tls ?? 'tls', user },
    smtp: { host: smtpHost, port: opts.smtpPort ?? preset?.smtp?.port ?? 465, tls: opts.smtpTls ?? preset?.smtp?.tls ?? 'tls', user },
    authMethod: xoauth2 ? 'xoauth2' : 'password',
    ...(xoauth2 ? (secret ? { accessToken: secret } : {}) : { password: secret }),
    ...(refreshToken
      ? { oauth: { refreshToken, clientId: opts.oauthClientId, clientSecret, tokenEndpoint: opts.oauthTokenEndpoint } }
      : {}),
    syncFolders: opts.folders.split(',').map((f) => f.trim()),
    syncSinceDays: opts.sinceDays === 'all' ? null : Number(opts.sinceDays),
  });
}

registerRulesCommands(program, withWorkspace);
registerApiCommands(program, withWorkspace);

program
  .command('db')
  .description('database')
  .command('migrate')
  .description('apply pending migrations (start-up does this too)')
  .action(async () => {
    await withWorkspace(async (ws) => console.log(JSON.stringify({ migrated: true, engine: ws.database.engine })));
  });

program
  .command('search')
  .description('the full-text index')
  .command('reindex')
  .description('rebuild the index entries of stored mail (e.g. after a tokenizer change); resumable, in batches')
  .option('--mailbox <address>', 'only the mail of this mailbox (default: all stored mail)')
  .option('--batch-size <n>', 'messages per transaction', positiveInt, 200)
  .option('--restart', 'start from the beginning even if an earlier run was interrupted')
  .action(async (opts: { mailbox?: string; batchSize: number; restart?: boolean }) => {
    await withWorkspace(async (ws) => {
      let mailboxId: string | undefined;
      if (opts.mailbox) {
        const row = await findMailboxByAddress(ws.db, opts.mailbox);
        if (!row) throw new AppError('mailbox.not_found', 404, `no mailbox ${opts.mailbox}`);
        mailboxId = row.id;
      }
      const counts = await reindexStoredMail(ws, {
        mailboxId,
        batchSize: opts.batchSize,
        restart: opts.restart,
        // Progress on stderr; the last line on stdout is the JSON of the counts.
        onBatch: (c) => process.stderr.write(`reindexed ${c.total} (${c.failed} failed)\n`),
      });
      console.log(JSON.stringify(counts));
      if (counts.failed > 0) process.exitCode = 1;
    });
  });

program
  .command('audit')
  .description('the hash-chained audit trail')
  .command('verify')
  .description('check every audit record against the hash chain; exit 1 when a record was edited, removed or reordered')
  .option('--json', 'print the report as one JSON object')
  .action(async (opts: { json?: boolean }) => {
    await withWorkspace(async ({ db }) => {
      const report = await verifyAuditChain(db);
      if (opts.json) console.log(JSON.stringify(report));
      else {
        for (const p of report.problems) console.log(`BROKEN #${p.seq} ${p.kind}: ${p.message}`);
        console.log(
          report.ok
            ? `audit chain intact: ${report.records} records, head #${report.headSeq} ${report.headHash}`
            : `audit chain BROKEN: ${report.problems.length} problem(s) in ${report.records} records (head #${report.headSeq})`,
        );
      }
      if (!report.ok) process.exitCode = 1;
    });
  });

program
  .command('doctor')
  .description(
    'check that every stored mail is reachable from a message: report blobs no row points at, and store mail an ' +
      'earlier identity merged into another message as its own; prints a JSON summary, exit 1 when bytes are missing or a merge is left',
  )
  .option('--dry-run', 'report only, change nothing')
  .action(async (opts: { dryRun?: boolean }) => {
    await withWorkspace(async (ws) => {
      const ctx = {
        engine: ws.engine,
        ownAddresses: await loadOwnAddresses(ws.db),
        messageIds: ws.messageIds,
        recordReopened: ws.recordReopened,
        teamActivity: ws.teamActivity,
      };
      const report = await checkStoredMail(
        { db: ws.db, blobs: ws.blobs, ctx },
        { dryRun: opts.dryRun === true, otherReferences: await uploadBlobHashes(ws.db) },
      );
      console.log(JSON.stringify(report));
      if (report.missing_blobs > 0 || report.orphan_kinds.merged > report.repaired) process.exitCode = 1;
    });
  });

registerAutoReplyCommands(program, withWorkspace);
registerBackupCommands(program, cliConfig);
registerContactsCommands(program, withWorkspace, cliActor);
registerCampaignCommands(program, withWorkspace);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof AppError || error instanceof ConfigError || error instanceof InvalidArgumentError || error instanceof ZodError) {
    console.error(`error: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
