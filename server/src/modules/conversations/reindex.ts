import type { Kysely } from 'kysely';
import type { Engine } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { deleteSetting, readSetting, writeSetting } from '../../db/settings.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { type IndexTexts, indexMessage, indexTextsOf } from '../search/index.js';
import { parseMail } from './parse-mail.js';
import { participantsOf, searchDocumentOf } from './prepare-mail.js';

export type ReindexCounts = {
  /** Messages whose index entry was rebuilt in this run. */
  indexed: number;
  /** Messages whose raw mail could not be read (blob missing); their old entry stays. */
  failed: number;
  /** Messages done by an earlier, interrupted run of the same scope (skipped here). */
  resumedAfter: number;
  /** Messages in scope at the end of the run. */
  total: number;
};

export type ReindexOptions = {
  /** Only the mail seen in this mailbox; all stored mail when left out. */
  mailboxId?: string | undefined;
  batchSize?: number | undefined;
  /** Start from the beginning even if an earlier run of this scope was interrupted. */
  restart?: boolean | undefined;
  /** Called after each committed batch (progress for the CLI). */
  onBatch?: ((counts: ReindexCounts) => void) | undefined;
  /** Stop after this many batches, leaving the cursor for the next run (tests of resuming). */
  maxBatches?: number | undefined;
};

type Deps = { db: Kysely<Database>; engine: Engine; blobs: BlobStore };

const PARSE_CONCURRENCY = 4;

const cursorKey = (mailboxId: string | undefined) => `search.reindex.cursor:${mailboxId ?? 'all'}`;

/**
 * Rebuilds the full-text index entries of stored mail (after a change of how text is tokenized,
 * e.g. the join of hard-wrapped Chinese lines): each message's raw bytes are parsed again and
 * indexed exactly as ingest indexes new mail, replacing the old entry (same sort key).
 *
 * Batches go in message-id order; each batch and the cursor after it (in `settings`) commit in one
 * transaction, so an interrupted run resumes where it stopped, and a repeated batch is harmless
 * (indexMessage replaces). The cursor is removed when the scope is done.
 */
export async function reindexStoredMail(deps: Deps, options: ReindexOptions = {}): Promise<ReindexCounts> {
  const batchSize = options.batchSize ?? 200;
  const key = cursorKey(options.mailboxId);
  if (options.restart) await deleteSetting(deps.db, key);
  const saved = await readSetting(deps.db, key);
  let cursor = saved ? (JSON.parse(saved) as { after: string; done: number }) : null;
  const counts: ReindexCounts = { indexed: 0, failed: 0, resumedAfter: cursor?.done ?? 0, total: 0 };

  let batches = 0;
  for (;;) {
    if (options.maxBatches !== undefined && batches >= options.maxBatches) break;
    let query = deps.db.selectFrom('messages').select(['messages.id', 'messages.raw_sha256', 'messages.received_at']);
    if (options.mailboxId) {
      const mailboxId = options.mailboxId;
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom('message_locations')
            .select('message_locations.message_id')
            .whereRef('message_locations.message_id', '=', 'messages.id')
            .where('message_locations.mailbox_id', '=', mailboxId),
        ),
      );
    }
    if (cursor) query = query.where('messages.id', '>', cursor.after);
    const rows = await query.orderBy('messages.id').limit(batchSize).execute();
    if (rows.length === 0) {
      await deleteSetting(deps.db, key);
      break;
    }
    // Parsing happens before the transaction (a few at a time: a mail can be 40 MB), so the
    // database waits only for the writes.
    const prepared: { row: (typeof rows)[number]; texts: IndexTexts | null }[] = [];
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < rows.length; i = next++) {
        const row = rows[i] as (typeof rows)[number];
        prepared[i] = { row, texts: await indexTextsOfStored(deps.blobs, row.raw_sha256) };
      }
    };
    await Promise.all(Array.from({ length: PARSE_CONCURRENCY }, worker));
    const last = rows[rows.length - 1]?.id as string;
    const done = (cursor?.done ?? 0) + rows.length;
    await deps.db.transaction().execute(async (trx) => {
      for (const { row, texts } of prepared) {
        if (texts) await indexMessage(trx, deps.engine, { messageId: row.id, receivedAt: row.received_at, texts });
      }
      await writeSetting(trx, key, JSON.stringify({ after: last, done }));
    });
    cursor = { after: last, done };
    for (const { texts } of prepared) texts ? counts.indexed++ : counts.failed++;
    batches++;
    options.onBatch?.({ ...counts, total: done });
  }
  counts.total = counts.resumedAfter + counts.indexed + counts.failed;
  return counts;
}

/** The index texts of a stored mail, as ingest makes them; null when its raw bytes cannot be read or parsed. */
async function indexTextsOfStored(blobs: BlobStore, sha256: string): Promise<IndexTexts | null> {
  try {
    const parsed = await parseMail(await blobs.get(sha256));
    return indexTextsOf(searchDocumentOf(parsed, participantsOf(parsed), parsed.attachments));
  } catch {
    return null;
  }
}
