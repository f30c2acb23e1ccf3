import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type BlobStore, sha256Hex } from '../../storage/blob-store.js';
import { storedBlobs } from '../../storage/blob-stores.js';
import { type IngestContext, ingestMail } from './ingest.js';
import { contentIdentity } from './message-identity.js';
import { parseMail } from './parse-mail.js';

/** What `pier doctor` prints (JSON keys are part of the CLI's contract). */
export type StoredMailCheck = {
  dry_run: boolean;
  blobs: number;
  /** Blobs a row points at (messages, attachments, uploads). */
  referenced: number;
  /** Referenced by a row but absent from the blob store: lost bytes, nothing to repair them from. */
  missing_blobs: number;
  /** Blobs no row points at, before any repair. */
  orphans: number;
  orphan_kinds: {
    /** An attachment of another orphan (referenced again once that mail is stored). */
    attachment: number;
    /** Another copy of a stored message (same Message-ID, originator and body; transit headers differ). */
    copy: number;
    /** A mail that was merged into an unrelated message by the identity of a mail without Message-ID (issue 14). */
    merged: number;
    /** A mail no stored message accounts for (its message was deleted, or it was never accepted). */
    unplaced: number;
  };
  /** Merged mails stored as messages of their own, in the mailboxes of the message they were merged into. */
  repaired: number;
  remaining_orphans: number;
  /** The first 100 unplaced blobs, to look at with `cat DATA_DIR/blobs/xx/SHA` (or `xx/yy/SHA`, stored before decision 0040). */
  unplaced: string[];
};

type Deps = { db: Kysely<Database>; blobs: BlobStore; ctx: IngestContext };

type Host = { id: string; receivedAt: number };

/**
 * Every accepted mail must be reachable from a message row. Finds the blobs no row points at
 * and tells what they are; unless `dryRun`, stores each mail that an earlier identity formula
 * merged into an unrelated message (a mail without Message-ID whose originator headers and body
 * matched another's: the same empty ones, for body-only or header-only mail) as its own message,
 * in that message's mailboxes. Copies and attachments are left as they are; unplaced mail is
 * reported, not guessed into a mailbox.
 */
export async function checkStoredMail(
  deps: Deps,
  options: { dryRun: boolean; otherReferences: Iterable<string> },
): Promise<StoredMailCheck> {
  const referenced = await referencedBlobs(deps.db, options.otherReferences);
  const stored = new Set<string>();
  const orphans: string[] = [];
  for await (const sha256 of storedBlobs(deps.blobs)) {
    stored.add(sha256);
    if (!referenced.has(sha256)) orphans.push(sha256);
  }
  const report: StoredMailCheck = {
    dry_run: options.dryRun,
    blobs: stored.size,
    referenced: referenced.size,
    missing_blobs: [...referenced].filter((sha256) => !stored.has(sha256)).length,
    orphans: orphans.length,
    orphan_kinds: { attachment: 0, copy: 0, merged: 0, unplaced: 0 },
    repaired: 0,
    remaining_orphans: orphans.length,
    unplaced: [],
  };
  if (orphans.length === 0) return report;

  // Attachments first: a forwarded mail kept as an attachment is not a mail of its own.
  const attachmentOfOrphan = new Set<string>();
  for (const sha256 of orphans) {
    for (const attachment of (await parseMail(await deps.blobs.get(sha256))).attachments) {
      attachmentOfOrphan.add(sha256Hex(attachment.content));
    }
  }
  let legacyHosts: Map<string, Host> | undefined; // read once, when the first orphan without Message-ID needs it
  for (const sha256 of orphans) {
    if (attachmentOfOrphan.has(sha256)) {
      report.orphan_kinds.attachment++;
      continue;
    }
    const raw = await deps.blobs.get(sha256);
    const { messageId } = await parseMail(raw);
    const content = contentIdentity(raw);
    if (!messageId) legacyHosts ??= await hostsByContentIdentity(deps);
    const host = await findHost(deps.db, content, messageId ? undefined : legacyHosts);
    if (host && messageId) {
      report.orphan_kinds.copy++;
    } else if (host && (await repairMerged(deps, raw, host, options.dryRun))) {
      report.orphan_kinds.merged++;
      if (!options.dryRun) report.repaired++;
    } else {
      report.orphan_kinds.unplaced++;
      if (report.unplaced.length < 100) report.unplaced.push(sha256);
    }
  }
  if (report.repaired > 0) {
    const after = await referencedBlobs(deps.db, options.otherReferences);
    report.remaining_orphans = [...stored].filter((sha256) => !after.has(sha256)).length;
  }
  return report;
}

/** How many mails are stored and which blobs they need (raw bytes and attachments): what a backup must hold. */
export async function storedMailSummary(db: Kysely<Database>): Promise<{ messages: number; blobs: Set<string> }> {
  const count = await db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { messages: Number(count.n), blobs: await referencedBlobs(db, []) };
}

async function referencedBlobs(db: Kysely<Database>, otherReferences: Iterable<string>): Promise<Set<string>> {
  const set = new Set<string>(otherReferences);
  for (const row of await db.selectFrom('messages').select('raw_sha256').distinct().execute()) set.add(row.raw_sha256);
  for (const row of await db.selectFrom('attachments').select('sha256').distinct().execute()) set.add(row.sha256);
  return set;
}

/**
 * Messages without Message-ID by the identity they had before it covered their raw bytes: the
 * message a merged mail was merged into. Read from the raw blobs (mail without Message-ID is rare).
 */
async function hostsByContentIdentity(deps: Deps): Promise<Map<string, Host>> {
  const rows = await deps.db
    .selectFrom('messages')
    .select(['id', 'raw_sha256', 'received_at'])
    .where((eb) => eb.or([eb('message_id_header', 'is', null), eb('message_id_header', '=', '')]))
    .orderBy('received_at')
    .orderBy('id')
    .execute();
  const hosts = new Map<string, Host>();
  for (const row of rows) {
    const raw = await deps.blobs.get(row.raw_sha256).catch(() => null);
    if (!raw) continue;
    const identity = contentIdentity(raw);
    if (!hosts.has(identity)) hosts.set(identity, { id: row.id, receivedAt: Number(row.received_at) });
  }
  return hosts;
}

async function findHost(db: Kysely<Database>, content: string, legacyHosts: Map<string, Host> | undefined): Promise<Host | undefined> {
  const row = await db.selectFrom('messages').select(['id', 'received_at']).where('identity', '=', content).executeTakeFirst();
  if (row) return { id: row.id, receivedAt: Number(row.received_at) };
  return legacyHosts?.get(content);
}

/** Stores the merged mail in the host's mailboxes (as received on the listener there, or imported). */
async function repairMerged(deps: Deps, raw: Buffer, host: Host, dryRun: boolean): Promise<boolean> {
  const locations = await deps.db
    .selectFrom('message_locations')
    .select(['mailbox_id', 'source'])
    .where('message_id', '=', host.id)
    .execute();
  if (locations.length === 0) return false;
  if (dryRun) return true;
  const smtp = new Set(locations.filter((l) => l.source === 'smtp').map((l) => l.mailbox_id));
  const imported = new Set(locations.map((l) => l.mailbox_id).filter((id) => !smtp.has(id)));
  for (const [source, mailboxIds] of [
    ['smtp', smtp],
    ['import', imported],
  ] as const) {
    if (mailboxIds.size === 0) continue;
    await ingestMail(deps, { raw, mailboxIds: [...mailboxIds], source, receivedAt: host.receivedAt });
  }
  return true;
}
