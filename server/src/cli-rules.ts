import type { Command } from 'commander';
import type { Workspace } from './compose.js';
import { AppError } from './errors.js';
import { findMailboxByAddress } from './modules/mailboxes/index.js';
import { testMailFiles } from './modules/rules/index.js';

/**
 * `pier rules test --mailbox ADDRESS FILE…` (issue 15 contract): one JSON line per file, nothing
 * stored. Registered from cli.ts, which passes its workspace opener.
 */
export function registerRulesCommands(program: Command, withWorkspace: <T>(run: (ws: Workspace) => Promise<T>) => Promise<T>): void {
  program
    .command('rules')
    .description('rules (Settings → Rules)')
    .command('test')
    .description(
      'what Pier would make of mail files in a mailbox now: category, country, language, matching rules, auto-reply; stores nothing',
    )
    .requiredOption('--mailbox <address>', 'the mailbox the mail would arrive in')
    .argument('<files...>', '.eml files')
    .action(async (files: string[], opts: { mailbox: string }) => {
      await withWorkspace(async (ws) => {
        const mailbox = await findMailboxByAddress(ws.db, opts.mailbox);
        if (!mailbox) throw new AppError('mailbox.not_found', 404, `no mailbox ${opts.mailbox}`);
        const deps = { db: ws.db, clock: ws.clock, businessHoursOf: ws.businessHoursOf };
        for (const file of files) {
          try {
            console.log(JSON.stringify(await testMailFiles(deps, mailbox, file)));
          } catch (error) {
            // One unreadable file does not stop the others; the exit code tells the script.
            console.error(`error: ${file}: ${error instanceof Error ? error.message : String(error)}`);
            process.exitCode = 1;
          }
        }
      });
    });
}
