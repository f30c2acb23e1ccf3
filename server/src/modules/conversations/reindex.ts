import type { Kysely, Transaction } from 'kysely';
import type { Engine } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { deleteSetting, readSetting, writeSetting } from '../../db/settings.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { type IndexTexts, indexMessage, indexTextsOf } from '../search/index.js';
import { refreshConversationLatest } from './conversation-queries.js';
import { type ParsedMail, parseMail } from './parse-mail.js';
import { participantsOf, searchDocumentOf } from './prepare-mail.js';
import { snippetOf } from './snippet.js';
import { subjectKey } from './subject.js';

export type ReindexCounts = {
  /** Messages whose index entry was rebuilt in this run. */
  indexed: number;
  /** Messages whose stored subject, text or parse status changed (today's parser reads them better). */
  rewritten: number;
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
 * Rebuilds stored mail after a change of the parser or of how text is tokenized (the join of
 * hard-wrapped Chinese lines, traditional/simplified folding): each message's raw bytes are
 * parsed again and indexed exactly as ingest indexes new mail, replacing the old entry (same
 * sort key), and its stored subject, text and parse status are rewritten where they changed.
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
  const counts: ReindexCounts = { indexed: 0, rewritten: 0, failed: 0, resumedAfter: cursor?.done ?? 0, total: 0 };

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
    const prepared: ({ row: (typeof rows)[number] } & Reparsed)[] = [];
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < rows.length; i = next++) {
        const row = rows[i] as (typeof rows)[number];
        prepared[i] = { row, ...(await reparseStored(deps.blobs, row.raw_sha256)) };
      }
    };
    await Promise.all(Array.from({ length: PARSE_CONCURRENCY }, worker));
    const last = rows[rows.length - 1]?.id as string;
    const done = (cursor?.done ?? 0) + rows.length;
    await deps.db.transaction().execute(async (trx) => {
      for (const { row, texts, stored } of prepared) {
        if (texts) await indexMessage(trx, deps.engine, { messageId: row.id, receivedAt: row.received_at, texts });
        if (stored) counts.rewritten += (await rewriteStoredText(trx, row.id, stored)) ? 1 : 0;
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

type StoredText = Pick<ParsedMail, 'subject' | 'text' | 'html' | 'parseStatus' | 'parseError'>;
type Reparsed = { texts: IndexTexts | null; stored: StoredText | null };

/** The index texts and readable text of a stored mail, as ingest makes them; nulls when its raw bytes cannot be read or parsed. */
async function reparseStored(blobs: BlobStore, sha256: string): Promise<Reparsed> {
  try {
    const parsed = await parseMail(await blobs.get(sha256));
    const { subject, text, html, parseStatus, parseError } = parsed;
    return {
      texts: indexTextsOf(searchDocumentOf(parsed, participantsOf(parsed), parsed.attachments)),
      stored: { subject, text, html, parseStatus, parseError },
    };
  } catch {
    return { texts: null, stored: null };
  }
}

/**
 * A stored message read again by today's parser (a better charset guess, a repaired body,
 * decoded entities): its subject, body, list excerpt and parse status follow, and so do its
 * conversation's list line and a subject the conversation took from it. Attachments are not
 * re-extracted. Returns whether anything changed.
 */
async function rewriteStoredText(trx: Transaction<Database>, messageId: string, now: StoredText): Promise<boolean> {
  const before = await trx
    .selectFrom('messages')
    .leftJoin('message_bodies', 'message_bodies.message_id', 'messages.id')
    .select(['messages.subject', 'messages.parse_status', 'messages.parse_error', 'message_bodies.text', 'message_bodies.html'])
    .where('messages.id', '=', messageId)
    .executeTakeFirst();
  if (!before) return false;
  const same =
    before.subject === now.subject &&
    before.text === now.text &&
    (before.html ?? null) === now.html &&
    before.parse_status === now.parseStatus &&
    (before.parse_error ?? null) === now.parseError;
  if (same) return false;
  await trx
    .updateTable('messages')
    .set({ subject: now.subject, snippet: snippetOf(now.text), parse_status: now.parseStatus, parse_error: now.parseError })
    .where('id', '=', messageId)
    .execute();
  await trx.updateTable('message_bodies').set({ text: now.text, html: now.html }).where('message_id', '=', messageId).execute();
  const links = await trx.selectFrom('conversation_messages').select('conversation_id').where('message_id', '=', messageId).execute();
  for (const { conversation_id } of links) {
    if (before.subject !== now.subject) {
      await trx
        .updateTable('conversations')
        .set({ subject: now.subject, subject_key: subjectKey(now.subject) })
        .where('id', '=', conversation_id)
        .where('subject', '=', before.subject)
        .execute();
    }
    await refreshConversationLatest(trx, conversation_id);
  }
  return true;
}
