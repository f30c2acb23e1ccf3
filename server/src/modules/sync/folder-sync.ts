import type { ImapFlow } from 'imapflow';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { type Engine, isUniqueViolation } from '../../db/database.js';
import type { Database, FolderRow, MailboxRow } from '../../db/schema.js';
import type { BlobStore } from '../../storage/blob-store.js';
import {
  type IngestResult,
  type PierMessageIds,
  preparePoolFor,
  type RecordReopened,
  type StorableMail,
  storePreparedBatch,
  type TeamActivityCheck,
} from '../conversations/index.js';
import { loadOwnAddresses } from '../mailboxes/index.js';
import { storedFlags } from './flags.js';
import { type FolderCheckpoint, resetFolder, saveCheckpoint } from './folder-queries.js';
import { openFolder, type ResyncMode, reconcileFolder } from './qresync.js';

export type SyncDeps = {
  db: Kysely<Database>;
  blobs: BlobStore;
  logger: Logger;
  engine: Engine;
  messageIds: PierMessageIds;
  recordReopened: RecordReopened;
  teamActivity: TeamActivityCheck;
  /** Told after each committed batch (live updates); never inside the transaction. */
  onStored?: (results: IngestResult[]) => void;
  /** Told when each batch enters and leaves a pipeline stage (bench:sync's wait analysis, decision 0066). */
  trace?: (event: SyncTraceEvent) => void;
};

/** A batch's stages: fetch (first to last literal), prepared (its last mail back), flush (its blobs durable), store (the write transaction). */
export type SyncTraceEvent = { batch: number; stage: 'fetch' | 'prepared' | 'flush' | 'store'; edge: 'start' | 'end'; at: number };

export type FolderSyncStats = {
  fetched: number;
  stored: number;
  known: number;
  failed: number;
  removed: number;
  flagsUpdated: number;
  /** How expunges and flag changes were found: QRESYNC, CONDSTORE + UID sets, or UID sets alone. */
  resync: ResyncMode;
};

/**
 * Mails per batch (one FETCH, one flush of the workers' blob packs, one write transaction): each
 * batch costs the same fixed work whatever its size (statements, a commit, a flush, a FETCH round
 * trip), so history goes in batches of 250 (decision 0078); the first batch of a sync stays at 100
 * so that the newest mail is on screen as soon as before.
 */
const MAX_BATCH_MESSAGES = 250;
const FIRST_BATCH_MESSAGES = 100;
const MAX_BATCH_BYTES = 32 * 1024 * 1024;
/**
 * Batches fetched and prepared ahead of the one being written: the prepare workers' queue, which
 * must not run dry while the main thread writes (the workers are the slower stage). Two of 250
 * mails hold about as many mails as four of 100 did.
 */
const PREFETCH_BATCHES = 2;
/** …and no further batch once this many bytes of mail source are ahead (a big mail is a batch of its own). */
const PREFETCH_BYTES = 64 * 1024 * 1024;

/**
 * Brings one folder up to date, once. The invariants that make it lossless:
 * - the folder's checkpoint (last_uid, backfill_below_uid) is committed in the
 *   same transaction as the messages it covers, so a crash repeats a batch and
 *   never skips one; repeating is harmless because a message is found again by
 *   its identity and a location by (message, mailbox, folder);
 * - the folder is opened read-only (EXAMINE) and bodies fetched with
 *   BODY.PEEK, so Pier never sets \Seen on the server;
 * - the first sync goes newest first, so the inbox is usable at once, while
 *   older history backfills below `backfill_below_uid`.
 */
export async function syncFolder(deps: SyncDeps, client: ImapFlow, mailbox: MailboxRow, initial: FolderRow): Promise<FolderSyncStats> {
  const { db } = deps;
  // QRESYNC where the server offers it: the open itself reports what vanished and which flags changed.
  const opened = await openFolder(client, initial);
  const box = opened.box;
  const stats: FolderSyncStats = { fetched: 0, stored: 0, known: 0, failed: 0, removed: 0, flagsUpdated: 0, resync: opened.mode };
  const uidValidity = Number(box.uidValidity);
  let folder = initial;
  if (folder.uidvalidity !== null && folder.uidvalidity !== uidValidity) {
    deps.logger.warn(
      { mailbox: mailbox.address, folder: folder.path, was: folder.uidvalidity, now: uidValidity },
      'UIDVALIDITY changed: full resync',
    );
    await resetFolder(db, folder.id, uidValidity);
    folder = { ...folder, uidvalidity: uidValidity, last_uid: 0, backfill_below_uid: 0, highest_modseq: null };
  } else if (folder.uidvalidity === null) {
    await saveCheckpoint(db, folder.id, { uidvalidity: uidValidity });
  }
  const since = mailbox.sync_since ? new Date(mailbox.sync_since) : undefined;
  const store = (uids: number[], checkpoint: (done: number[]) => FolderCheckpoint) =>
    storeUids(deps, client, mailbox, folder, uids, checkpoint, stats);

  if (folder.last_uid === 0) {
    // First sync of this folder (or after a UIDVALIDITY reset): newest first.
    const uids = desc((await client.search(since ? { since } : { all: true }, { uid: true })) || []);
    const top = uids[0] ?? 0;
    let lowest = Number.MAX_SAFE_INTEGER;
    const progress = await startBacklog(db, folder.id, uids.length);
    await store(uids, (done) => {
      lowest = Math.min(lowest, ...done);
      const remaining = uids.some((uid) => uid < lowest);
      return { last_uid: top, backfill_below_uid: remaining ? lowest : 0, ...progress(done) };
    });
    if (uids.length === 0) await saveCheckpoint(db, folder.id, { last_uid: Math.max(0, box.uidNext - 1), backfill_below_uid: 0 });
  } else {
    // New mail since the last sync, oldest first so last_uid only ever moves up.
    const fresh = asc(
      ((await client.search({ uid: `${folder.last_uid + 1}:*` }, { uid: true })) || []).filter((uid) => uid > folder.last_uid),
    );
    await store(fresh, (done) => ({ last_uid: Math.max(...done) }));
    if (folder.backfill_below_uid > 1) {
      const older = desc(
        ((await client.search({ uid: `1:${folder.backfill_below_uid - 1}`, ...(since ? { since } : {}) }, { uid: true })) || []).filter(
          (uid) => uid < folder.backfill_below_uid,
        ),
      );
      let lowest = folder.backfill_below_uid;
      const progress = await startBacklog(db, folder.id, older.length);
      await store(older, (done) => {
        lowest = Math.min(lowest, ...done);
        return { backfill_below_uid: older.some((uid) => uid < lowest) ? lowest : 0, ...progress(done) };
      });
    }
  }

  Object.assign(stats, await reconcileFolder(deps, client, folder, opened, folder.last_uid));
  await saveCheckpoint(db, folder.id, { synced_at: Date.now(), status: 'active', status_detail: null });
  return stats;
}

/**
 * Starts counting a run of history (the first sync, or a backfill that resumes it): the total
 * is what this run fetches, so a resumed run counts from where it picks up. Returns the
 * checkpoint fields for each stored batch ("12,400 of 20,000", shown in Settings).
 */
async function startBacklog(db: SyncDeps['db'], folderId: string, total: number) {
  await saveCheckpoint(db, folderId, { backlog_total: total, backlog_done: 0, backlog_started_at: Date.now() });
  // A set, not a counter: a batch retried after a concurrent delivery asks again for the same UIDs.
  const counted = new Set<number>();
  return (batch: number[]) => {
    for (const uid of batch) counted.add(uid);
    return { backlog_done: Math.min(total, counted.size) };
  };
}

type PreparedBatch = {
  no: number;
  uids: number[];
  mails: { uid: number; flags: string[]; receivedAt: number | undefined; mail: StorableMail }[];
};

/**
 * Fetches, prepares and stores the UIDs batch by batch, as a two-stage
 * pipeline: while one batch is written to the database, the next is fetched
 * and parsed. Writes stay in order, so the
 * checkpoint only ever covers batches that are fully stored.
 */
async function storeUids(
  deps: SyncDeps,
  client: ImapFlow,
  mailbox: MailboxRow,
  folder: FolderRow,
  uids: number[],
  checkpoint: (done: number[]) => FolderCheckpoint,
  stats: FolderSyncStats,
): Promise<void> {
  if (uids.length === 0) return;
  // Started before anything is fetched: a cold pool's workers load their modules meanwhile.
  const pool = preparePoolFor(deps.blobs);
  const ctx = {
    engine: deps.engine,
    ownAddresses: await loadOwnAddresses(deps.db),
    messageIds: deps.messageIds,
    recordReopened: deps.recordReopened,
    teamActivity: deps.teamActivity,
  };
  const mark = (batch: number, stage: SyncTraceEvent['stage'], edge: SyncTraceEvent['edge']) =>
    deps.trace?.({ batch, stage, edge, at: performance.now() });
  let batchNo = 0;
  const prepare = async (batch: number[]): Promise<PreparedBatch> => {
    const no = batchNo++;
    // Each mail goes to the prepare worker as soon as its bytes arrive, not when the whole batch
    // has: the worker then always has work queued, also while the main thread is busy writing.
    const preparing: Promise<PreparedBatch['mails'][number]>[] = [];
    let fetching = false;
    for await (const message of client.fetch(
      batch.join(','),
      { uid: true, source: true, flags: true, internalDate: true },
      { uid: true },
    )) {
      stats.fetched++;
      if (!fetching) mark(no, 'fetch', 'start');
      fetching = true;
      if (!message.source) {
        stats.failed++;
        deps.logger.warn({ mailbox: mailbox.address, folder: folder.path, uid: message.uid }, 'server returned no body for a message');
        continue;
      }
      const internalDate = message.internalDate ? new Date(message.internalDate).getTime() : undefined;
      const { uid, flags } = message;
      // Handed over: the literal moves to the worker uncopied (nothing here reads it again).
      const mail = pool.prepare(message.source, { handOver: true }).then((prepared) => ({
        uid,
        flags: storedFlags(flags),
        receivedAt: Number.isNaN(internalDate) ? undefined : internalDate,
        mail: prepared,
      }));
      // Awaited below; until then a failure must not count as unhandled.
      mail.catch(() => {});
      preparing.push(mail);
    }
    mark(no, 'fetch', 'end');
    const mails = await Promise.all(preparing);
    mark(no, 'prepared', 'end');
    // The batch's blobs made durable (their own files only) before the rows that point at them are committed.
    mark(no, 'flush', 'start');
    await pool.flush();
    mark(no, 'flush', 'end');
    // Oldest first within a batch, so an original is stored before the replies to it.
    mails.sort((a, b) => a.uid - b.uid);
    return { no, uids: batch, mails };
  };
  const write = (prepared: PreparedBatch) =>
    deps.db.transaction().execute(async (trx) => {
      // The whole batch in a few multi-row statements (storePreparedBatch), same outcome as one by one.
      const results = await storePreparedBatch(
        trx,
        ctx,
        prepared.mails.map((p) => ({
          mail: p.mail,
          location: {
            mailboxId: mailbox.id,
            source: 'imap' as const,
            folderId: folder.id,
            folderPath: folder.path,
            uid: p.uid,
            flags: p.flags,
            direction: folder.role === 'sent' ? ('out' as const) : ('in' as const),
            receivedAt: p.receivedAt,
          },
        })),
      );
      await saveCheckpoint(trx, folder.id, checkpoint(prepared.uids));
      const stored = results.filter((r) => r.isNew).length;
      return { stored, known: results.length - stored, results };
    });

  // Batches being fetched and prepared while the oldest is written; sizes are asked for as the
  // batches are needed (see sizedBatches), so the first batch is fetched after one small FETCH.
  const sized = sizedBatches(client, uids);
  const batches = sized.batches;
  const ahead: { bytes: number; prepared: Promise<PreparedBatch> }[] = [];
  let nextBatch = 0;
  const fetchAhead = (limit = PREFETCH_BATCHES) => {
    if (batches.length - nextBatch < 2 * PREFETCH_BATCHES) sized.more();
    const bytesAhead = () => ahead.reduce((sum, p) => sum + p.bytes, 0);
    while (ahead.length < limit && nextBatch < batches.length && (ahead.length === 0 || bytesAhead() < PREFETCH_BYTES)) {
      const batch = batches[nextBatch++] as Batch;
      const preparing = prepare(batch.uids);
      // Keep a failed prefetch from becoming an unhandled rejection while another batch is written.
      preparing.catch(() => {});
      ahead.push({ bytes: batch.bytes, prepared: preparing });
    }
  };
  await sized.more();
  // The first batch alone: with the next three fetched beside it, its mails shared the workers and
  // the main thread with theirs, and the first screen waited for four batches instead of one.
  fetchAhead(1);
  while (ahead.length > 0 || !sized.done()) {
    if (ahead.length === 0) {
      await sized.more();
      fetchAhead();
      continue;
    }
    const prepared = await (ahead.shift() as (typeof ahead)[number]).prepared;
    fetchAhead();
    // A concurrent delivery of the same mail (e.g. the SMTP listener) makes the batch retry once.
    mark(prepared.no, 'store', 'start');
    const counts = await write(prepared).catch((error: unknown) => (isUniqueViolation(error) ? write(prepared) : Promise.reject(error)));
    mark(prepared.no, 'store', 'end');
    deps.onStored?.(counts.results);
    stats.stored += counts.stored;
    stats.known += counts.known;
  }
}

/** Splits UIDs into fetch batches bounded in count and bytes (a 40 MB mail gets a batch of its own). */
type Batch = { uids: number[]; bytes: number };

/** UIDs whose sizes the first FETCH asks for: enough for the first screen's batches, and quick (the first batch and one more, whole). */
const FIRST_SIZES = FIRST_BATCH_MESSAGES + MAX_BATCH_MESSAGES;
const MORE_SIZES = 2000;

/**
 * The batches of `uids`, their sizes fetched a slice at a time as they are needed: asking for all
 * 20,000 sizes first (ten round trips) kept the first batch, and the first screen, waiting.
 * `more()` starts the next slice (or returns the one under way); `done()` says all are batched.
 */
function sizedBatches(client: ImapFlow, uids: number[]) {
  const batches: Batch[] = [];
  let sized = 0;
  let running: Promise<void> | null = null;
  const more = (): Promise<void> => {
    if (running) return running;
    if (sized >= uids.length) return Promise.resolve();
    const slice = uids.slice(sized, sized + (sized === 0 ? FIRST_SIZES : MORE_SIZES));
    sized += slice.length;
    running = batchesBySize(client, slice, batches.length === 0).then((next) => {
      batches.push(...next);
      running = null;
    });
    // Awaited by the loop when it runs out of batches; until then a failure must not count as unhandled.
    running.catch(() => {});
    return running;
  };
  return { batches, more, done: () => sized >= uids.length && running === null };
}

/** `first`: these UIDs start the sync, so their first batch is a small one (the first screen waits for it). */
async function batchesBySize(client: ImapFlow, uids: number[], first: boolean): Promise<Batch[]> {
  const batches: Batch[] = [];
  const limit = () => (first && batches.length === 0 ? FIRST_BATCH_MESSAGES : MAX_BATCH_MESSAGES);
  for (let i = 0; i < uids.length; i += 2000) {
    const slice = uids.slice(i, i + 2000);
    const sizes = new Map<number, number>();
    for (const m of await client.fetchAll(slice.join(','), { uid: true, size: true }, { uid: true })) sizes.set(m.uid, m.size ?? 0);
    let batch: number[] = [];
    let bytes = 0;
    for (const uid of slice) {
      if (!sizes.has(uid)) continue; // expunged meanwhile
      const size = sizes.get(uid) ?? 0;
      if (batch.length > 0 && (batch.length >= limit() || bytes + size > MAX_BATCH_BYTES)) {
        batches.push({ uids: batch, bytes });
        batch = [];
        bytes = 0;
      }
      batch.push(uid);
      bytes += size;
    }
    if (batch.length > 0) batches.push({ uids: batch, bytes });
  }
  return batches;
}

const desc = (uids: number[]) => [...uids].sort((a, b) => b - a);
const asc = (uids: number[]) => [...uids].sort((a, b) => a - b);
