import type { Command } from 'commander';
import type { Config } from './config.js';
import { BackupError, backupWorkspace, restoreWorkspace } from './ops/backup.js';

type Settings = Pick<Config, 'databaseUrl' | 'dataDir' | 'secretKey'>;

/**
 * `pier backup --to DIR` and `pier restore --from DIR` (issue 20 contract), on both engines. They
 * take the node's settings, not an opened workspace: a restore must find its target empty.
 */
export function registerBackupCommands(program: Command, settings: () => Settings): void {
  program
    .command('backup')
    .description('copy the database (a consistent snapshot, while Pier runs), the blobs and the secret key into DIR; prints a JSON summary')
    .requiredOption('--to <dir>', 'the backup folder (an earlier backup there is refreshed: only new blobs are copied)')
    .action(async (opts: { to: string }) => {
      await reportErrors(async () => {
        const summary = await backupWorkspace(settings(), opts.to);
        console.log(JSON.stringify(summary));
        if (summary.missing_blobs > 0) process.exitCode = 1;
      });
    });
  program
    .command('restore')
    .description("restore a backup into this node's empty database and data folder, migrate it and check every mail is there")
    .requiredOption('--from <dir>', 'a folder written by `pier backup`')
    .action(async (opts: { from: string }) => {
      await reportErrors(async () => {
        const summary = await restoreWorkspace(settings(), opts.from);
        console.log(JSON.stringify(summary));
        if (summary.missing_blobs > 0) process.exitCode = 1;
      });
    });
}

async function reportErrors(run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof BackupError)) throw error;
    console.error(`error: ${error.message}`);
    process.exitCode = 2;
  }
}
