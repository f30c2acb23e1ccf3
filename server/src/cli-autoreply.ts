import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Workspace } from './compose.js';
import { AppError } from './errors.js';
import { turnOffAutoReply, turnOnAutoReplyWithText } from './modules/auto-reply/index.js';
import { findMailboxByAddress } from './modules/mailboxes/index.js';

type WithWorkspace = <T>(run: (ws: Workspace) => Promise<T>) => Promise<T>;

/** A text file as the auto-reply's text: UTF-8 only (a wrong encoding is refused, not garbled), BOM and CRLF removed. */
export async function readAutoReplyText(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new AppError('request.invalid', 400, `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new AppError('request.invalid', 400, `${file} is not UTF-8 text`);
  }
  return text.replace(/\r\n?/g, '\n').trimEnd();
}

/** `pier autoreply set|off` (issue 15 contract), registered from cli.ts. */
export function registerAutoReplyCommands(program: Command, withWorkspace: WithWorkspace): void {
  const autoreply = program.command('autoreply').description("a mailbox's automatic reply to new senders");
  autoreply
    .command('set')
    .description('turn the auto-reply on with the text of FILE (plain text, UTF-8), used inside and outside business hours')
    .requiredOption('--mailbox <address>', 'the mailbox')
    .requiredOption('--text-file <file>', 'the text; variables: {{customer.name}} {{mailbox.name}} {{expected_reply_time}} {{reference}}')
    .action(async (opts: { mailbox: string; textFile: string }) => {
      const text = await readAutoReplyText(opts.textFile);
      await withWorkspace(async (ws) => {
        const mailbox = await findMailboxByAddress(ws.db, opts.mailbox);
        if (!mailbox) throw new AppError('mailbox.not_found', 404, `no mailbox ${opts.mailbox}`);
        const saved = await turnOnAutoReplyWithText(ws.db, { mailboxId: mailbox.id, text, actorId: null, now: ws.clock.now() });
        console.log(JSON.stringify({ mailbox: mailbox.address, enabled: saved.enabled, periodHours: saved.periodHours }));
      });
    });
  autoreply
    .command('off')
    .description('turn the auto-reply off (its texts are kept)')
    .requiredOption('--mailbox <address>', 'the mailbox')
    .action(async (opts: { mailbox: string }) => {
      await withWorkspace(async (ws) => {
        const mailbox = await findMailboxByAddress(ws.db, opts.mailbox);
        if (!mailbox) throw new AppError('mailbox.not_found', 404, `no mailbox ${opts.mailbox}`);
        await turnOffAutoReply(ws.db, { mailboxId: mailbox.id, actorId: null, now: ws.clock.now() });
        console.log(JSON.stringify({ mailbox: mailbox.address, enabled: false }));
      });
    });
}
