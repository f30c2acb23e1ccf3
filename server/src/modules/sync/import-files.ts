import { createReadStream } from 'node:fs';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Engine } from '../../db/database.js';
import type { Database, MailboxRow } from '../../db/schema.js';
import type { BlobStore } from '../../storage/blob-store.js';
import {
  type IngestResult,
  type PierMessageIds,
  prepareMail,
  type RecordReopened,
  storePreparedMail,
  type TeamActivityCheck,
} from '../conversations/index.js';
import { loadOwnAddresses } from '../mailboxes/index.js';

export type ImportCounts = { new: number; known: number; failed: number; failures: { file: string; error: string }[] };

/**
 * Imports history from .mbox files (mboxo and mboxrd: "From " separator lines,
 * ">From " unescaped only in mboxrd's form), single .eml files and folders of
 * them, through the same ingest path as sync. Importing twice adds nothing.
 */
export async function importMailFiles(
  deps: {
    db: Kysely<Database>;
    blobs: BlobStore;
    engine: Engine;
    messageIds: PierMessageIds;
    recordReopened: RecordReopened;
    teamActivity: TeamActivityCheck;
    onStored?: (results: IngestResult[]) => void;
  },
  mailbox: MailboxRow,
  paths: string[],
): Promise<ImportCounts> {
  const counts: ImportCounts = { new: 0, known: 0, failed: 0, failures: [] };
  const ctx = {
    engine: deps.engine,
    ownAddresses: await loadOwnAddresses(deps.db),
    messageIds: deps.messageIds,
    recordReopened: deps.recordReopened,
    teamActivity: deps.teamActivity,
  };
  for await (const { file, raw } of mailSources(paths, counts)) {
    try {
      const prepared = await prepareMail(deps.blobs, raw);
      const result = await deps.db
        .transaction()
        .execute((trx) => storePreparedMail(trx, ctx, prepared, { mailboxId: mailbox.id, source: 'import' }));
      deps.onStored?.([result]);
      if (result.isNew) counts.new++;
      else counts.known++;
    } catch (error) {
      counts.failed++;
      counts.failures.push({ file, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return counts;
}

async function* mailSources(paths: string[], counts: ImportCounts): AsyncGenerator<{ file: string; raw: Buffer }> {
  for (const p of paths) {
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(p);
    } catch (error) {
      counts.failed++;
      counts.failures.push({ file: p, error: error instanceof Error ? error.message : String(error) });
      continue;
    }
    if (info.isDirectory()) {
      const entries = (await readdir(p)).sort();
      yield* mailSources(
        entries.filter((e) => !e.startsWith('.')).map((e) => path.join(p, e)),
        counts,
      );
    } else if (/\.mbox$/i.test(p) || (await looksLikeMbox(p))) {
      let index = 0;
      for await (const raw of splitMbox(p)) yield { file: `${p}#${++index}`, raw };
    } else {
      yield { file: p, raw: await readFile(p) };
    }
  }
}

async function looksLikeMbox(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(5), 0, 5, 0);
    return buffer.subarray(0, bytesRead).toString('latin1') === 'From ';
  } finally {
    await handle.close();
  }
}

/** Splits an mbox into raw messages, streaming (history files can be gigabytes). */
export async function* splitMbox(file: string): AsyncGenerator<Buffer> {
  let pending = Buffer.alloc(0);
  let current: Buffer[] = [];
  let started = false;
  const flush = () => {
    const raw = unescapeFromLines(Buffer.concat(current));
    current = [];
    return raw;
  };
  for await (const chunk of createReadStream(file)) {
    pending = Buffer.concat([pending, chunk as Buffer]);
    let newline = pending.indexOf(0x0a);
    while (newline !== -1) {
      const line = pending.subarray(0, newline + 1);
      pending = pending.subarray(newline + 1);
      if (line.subarray(0, 5).toString('latin1') === 'From ') {
        if (started && current.length > 0) yield trimSeparator(flush());
        started = true;
      } else if (started) {
        current.push(line);
      }
      newline = pending.indexOf(0x0a);
    }
  }
  if (pending.length > 0 && started) current.push(pending);
  if (started && current.length > 0) yield trimSeparator(flush());
}

/** mboxrd escapes "From " at line starts as ">From ", ">>From " …; remove one level. */
function unescapeFromLines(raw: Buffer): Buffer {
  const text = raw.toString('latin1').replace(/^>(>*From )/gm, '$1');
  return Buffer.from(text, 'latin1');
}

/** The blank line before the next "From " line belongs to the mbox format, not the message. */
function trimSeparator(raw: Buffer): Buffer {
  let end = raw.length;
  if (raw[end - 1] === 0x0a) end--;
  if (raw[end - 1] === 0x0d) end--;
  return raw.subarray(0, end);
}
