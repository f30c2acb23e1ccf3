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
  for await (const { file, raw, filedAt, fileTime } of mailSources(paths, counts)) {
    try {
      const prepared = await prepareMail(deps.blobs, raw);
      const receivedAt = importedReceivedAt({ filedAt, headerDate: prepared.parsed.date, fileTime }, Date.now());
      const result = await deps.db
        .transaction()
        .execute((trx) => storePreparedMail(trx, ctx, prepared, { mailboxId: mailbox.id, source: 'import', receivedAt }));
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

/** Before this, a date on imported mail is a broken clock or a parse accident, not history. */
const EARLIEST_PLAUSIBLE = Date.UTC(1990, 0, 1);

/**
 * When an imported mail arrived. History must sort as it happened, not all "now": the mbox
 * "From " line is the delivering agent's own stamp (the Date header is the sender's claim, and
 * may be forged or skewed), then the Date header, then an .eml file's modification time. A date
 * in the future or before 1990 is not believed.
 */
export function importedReceivedAt(
  dates: { filedAt: number | null; headerDate: number | null; fileTime: number | null },
  now: number,
): number {
  for (const candidate of [dates.filedAt, dates.headerDate, dates.fileTime]) {
    if (candidate !== null && Number.isFinite(candidate) && candidate >= EARLIEST_PLAUSIBLE && candidate <= now) {
      return Math.floor(candidate);
    }
  }
  return now;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * The date of an mbox separator, "From sender asctime-date" (e.g. "From a@b.c Mon Jun  1 10:00:00
 * 2025"), read as UTC as mbox writers (qmail, Postfix local, Thunderbird) mostly write it, or with
 * its numeric offset when it has one; null when the line carries no date.
 */
export function mboxSeparatorDate(separator: string): number | null {
  const match = /\b([A-Z][a-z]{2})\s+(\d{1,2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s+(?:([+-])(\d{2})(\d{2})\s+|[A-Z]{3,4}\s+)?(\d{4})\b/.exec(
    separator,
  );
  if (!match) return null;
  const [, mon, day, hour, minute, second, sign, offsetHours, offsetMinutes, year] = match;
  const month = MONTHS.indexOf(String(mon).toLowerCase());
  if (month === -1) return null;
  const offset = sign ? (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes)) * 60_000 : 0;
  const time = Date.UTC(Number(year), month, Number(day), Number(hour), Number(minute), Number(second ?? 0)) - offset;
  return Number.isNaN(time) || time < EARLIEST_PLAUSIBLE ? null : time;
}

type MailSource = { file: string; raw: Buffer; filedAt: number | null; fileTime: number | null };

async function* mailSources(paths: string[], counts: ImportCounts): AsyncGenerator<MailSource> {
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
      for await (const { raw, separator } of splitMbox(p)) {
        yield { file: `${p}#${++index}`, raw, filedAt: mboxSeparatorDate(separator), fileTime: null };
      }
    } else {
      yield { file: p, raw: await readFile(p), filedAt: null, fileTime: Math.floor(info.mtimeMs) };
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

/** Splits an mbox into raw messages with their "From " lines, streaming (history files can be gigabytes). */
export async function* splitMbox(file: string): AsyncGenerator<{ raw: Buffer; separator: string }> {
  let pending = Buffer.alloc(0);
  let current: Buffer[] = [];
  let started = false;
  let separator = '';
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
        if (started && current.length > 0) yield { raw: trimSeparator(flush()), separator };
        separator = line.toString('latin1').trimEnd();
        started = true;
      } else if (started) {
        current.push(line);
      }
      newline = pending.indexOf(0x0a);
    }
  }
  if (pending.length > 0 && started) current.push(pending);
  if (started && current.length > 0) yield { raw: trimSeparator(flush()), separator };
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
