#!/usr/bin/env node
import { MailboxAccessSchema, MailboxPurposeSchema, RoleSchema } from '@pier/contracts';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { z } from 'zod';
import { openWorkspace, type Workspace } from './compose.js';
import { ConfigError, loadConfig } from './config.js';
import { AppError } from './errors.js';
import { createMailbox, findMailboxesByAddresses, grantMailboxAccess, listMailboxes } from './modules/mailboxes/index.js';
import { createAccount } from './modules/security/index.js';
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

async function withWorkspace<T>(run: (ws: Workspace) => Promise<T>): Promise<T> {
  const globals = program.opts<{ dataDir?: string; databaseUrl?: string }>();
  const config = loadConfig(process.env, {
    ...(globals.dataDir ? { PIER_DATA_DIR: globals.dataDir } : {}),
    ...(globals.databaseUrl ? { DATABASE_URL: globals.databaseUrl } : {}),
  });
  const ws = await openWorkspace(config);
  try {
    return await run(ws);
  } finally {
    await ws.close();
  }
}

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
      const user = await createAccount(db, {
        email: opts.email,
        name: opts.name ?? opts.email.split('@')[0] ?? opts.email,
        password,
        role: opts.role,
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
      const [mailbox] = await findMailboxesByAddresses(db, [opts.mailbox]);
      if (!mailbox) throw new AppError('mailbox.not_found', 404, `no mailbox ${opts.mailbox}`);
      await grantMailboxAccess(db, user.id, mailbox.id, opts.access);
      console.log(JSON.stringify({ granted: opts.access, user: user.email, mailbox: mailbox.address }));
    });
  });

const mailbox = program.command('mailbox').description('public mailboxes');
mailbox
  .command('add')
  .description('add a mailbox (its address then receives mail on the SMTP listener)')
  .requiredOption('--address <address>', 'e.g. sales@acme.com')
  .requiredOption('--name <name>', 'display name, e.g. "ACME Sales"')
  .addOption(
    new Option('--purpose <purpose>', MailboxPurposeSchema.options.join(' | ')).default('inquiry').argParser(choice(MailboxPurposeSchema)),
  )
  .action(async (opts: { address: string; name: string; purpose: z.infer<typeof MailboxPurposeSchema> }) => {
    await withWorkspace(async ({ db }) => {
      const row = await createMailbox(db, { address: opts.address, displayName: opts.name, purpose: opts.purpose });
      console.log(JSON.stringify({ created: 'mailbox', id: row.id, address: row.address }));
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

program
  .command('db')
  .description('database')
  .command('migrate')
  .description('apply pending migrations (start-up does this too)')
  .action(async () => {
    await withWorkspace(async (ws) => console.log(JSON.stringify({ migrated: true, engine: ws.database.engine })));
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof AppError || error instanceof ConfigError || error instanceof InvalidArgumentError) {
    console.error(`error: ${error.message}`);
    process.exit(2);
  }
  throw error;
}
