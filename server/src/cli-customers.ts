import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import iconv from 'iconv-lite';
import type { Workspace } from './compose.js';
import { AppError } from './errors.js';
import type { AuditActor } from './modules/audit/index.js';
import { exportContactsCsv, importContactsCsv } from './modules/contacts/index.js';

type WithWorkspace = <T>(run: (ws: Workspace) => Promise<T>) => Promise<T>;

/**
 * A CSV file's text: UTF-8 (with or without BOM), else GB18030, which is what Excel on a Chinese
 * Windows saves as "CSV" (a file that is neither fails in the parser, not as mojibake in the data).
 */
export function decodeCsvFile(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return iconv.decode(bytes, 'gb18030');
  }
}

/** `pier contacts export --to FILE.csv` and `pier contacts import FILE.csv` (issue 19 contract). */
export function registerContactsCommands(program: Command, withWorkspace: WithWorkspace, actor: AuditActor): void {
  const contacts = program.command('contacts').description('customers: contacts and their companies');
  contacts
    .command('export')
    .description('write every contact to FILE as CSV (UTF-8 with BOM, opens in Excel)')
    .requiredOption('--to <file>', 'the CSV file to write')
    .action(async (opts: { to: string }) => {
      await withWorkspace(async (ws) => {
        const { csv, rows } = await exportContactsCsv(ws.db);
        await writeFile(opts.to, csv, 'utf8');
        console.log(JSON.stringify({ file: opts.to, rows }));
      });
    });
  contacts
    .command('import')
    .description(
      'add or update contacts from FILE (CSV with a header row: address, name, company_name, country, phones, owner, tags; other columns become custom fields)',
    )
    .argument('<file>', 'the CSV file')
    .action(async (file: string) => {
      let bytes: Buffer;
      try {
        bytes = await readFile(file);
      } catch (error) {
        throw new AppError('request.invalid', 400, `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
      }
      await withWorkspace(async (ws) => {
        const result = await importContactsCsv(ws.db, {
          csv: decodeCsvFile(bytes),
          mapping: 'by-header',
          actor,
          mayAssignOwners: true,
          now: ws.clock.now(),
        });
        console.log(JSON.stringify(result));
        if (result.created + result.updated === 0 && result.skipped.length > 0) process.exitCode = 1;
      });
    });
}
