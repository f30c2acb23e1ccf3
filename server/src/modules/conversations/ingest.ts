import type { Insertable, Kysely, Transaction } from 'kysely';
import { type Engine, isUniqueViolation } from '../../db/database.js';
import { newId } from '../../db/ids.js';
import type { Database, MessageRow } from '../../db/schema.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { recordParticipantsBatch } from '../contacts/index.js';
import { type MessageReceivedEvent, publishEvents } from '../events/index.js';
import { indexNewMessages } from '../search/index.js';
import { type ConversationState, type FreshMail, type RepeatDelivery, startBatchThreading } from './batch-threading.js';
import {
  bumpConversation,
  findMessagesByIdentities,
  insertAttachments,
  insertConversations,
  insertLocations,
  insertMessageBodies,
  insertMessages,
  linkMailboxPairs,
  linkMessages,
  refreshConversationLatest,
  selectNewestReceivedAt,
} from './conversation-queries.js';
import type { AuthResults } from './mail-auth.js';
import { type LongText, longTextsOf, type StorableMail } from './packed-mail.js';
import type { PierMessageIds } from './pier-message-id.js';
import { type PreparedMail, prepareMail } from './prepare-mail.js';
import { relateConversations } from './relations.js';

type Db = Kysely<Database> | Transaction<Database>;

export type { StorableMail } from './packed-mail.js';
export { type PreparedMail, prepareMail } from './prepare-mail.js';

/** Where one copy of a mail was seen. */
export type MailLocation = {
  mailboxId: string;
  source: 'smtp' | 'imap' | 'import';
  folderId?: string | null;
  folderPath?: string;
  uid?: number | null;
  flags?: string[];
  /** Mail found in a Sent folder was written by the team (e.g. answered from Outlook). */
  direction?: 'in' | 'out';
  receivedAt?: number | undefined;
};

/** What storing needs to know about the workspace. */
export type IngestContext = {
  engine: Engine;
  /** The team's own mailbox addresses: never contacts, never the counterparty. */
  ownAddresses: ReadonlySet<string>;
  /** Verifies the tag of Pier's own Message-IDs in threading headers (the workspace's `messageIds`). */
  messageIds: PierMessageIds;
  /** Triage's "reopened" event, written in this transaction when a customer's mail reopens a conversation (decision 0011). */
  recordReopened: RecordReopened;
  /**
   * Which of these conversations the team has worked on (notes, a person's events, outgoing mail,
   * drafts): a copy of a stored mail never links such a conversation to one more mailbox (decision
   * 0027). Triage and the outbox own that state, so the workspace passes it in (`teamActivity`).
   */
  teamActivity: TeamActivityCheck;
};

/** The conversations among `conversationIds` with team activity (see IngestContext.teamActivity). */
export type TeamActivityCheck = (db: Db, conversationIds: string[]) => Promise<ReadonlySet<string>>;

/**
 * Records that a customer's mail reopened a conversation from `previousStatus`, inside ingest's
 * transaction. Triage owns the event table and supplies this (compose.ts wires it): conversations
 * comes before triage, so it is passed in rather than imported.
 */
export type RecordReopened = (trx: Db, conversationId: string, previousStatus: string) => Promise<void>;

export type IngestResult = { messageId: string; conversationId: string; isNew: boolean };

/**
 * Step 2, inside the caller's transaction: one message row per identity, its
 * body, attachments, contacts, search entry and conversation, and where it was
 * seen. Storing the same mail again only adds a location. Sync commits its
 * folder checkpoint in the same transaction.
 */
export async function storePreparedMail(
  trx: Db,
  ctx: IngestContext,
  mail: PreparedMail,
  location: MailLocation,
  conversationId?: string,
): Promise<IngestResult> {
  const [result] = await storePreparedBatch(trx, ctx, [{ mail, location, conversationId }]);
  if (!result) throw new Error('nothing stored');
  return result;
}

export type BatchItem = {
  mail: StorableMail;
  location: MailLocation;
  /**
   * The conversation a new mail belongs to when its writer decided it (the outbox: the agent's
   * reply, or a new mail whose Message-ID names a conversation not stored yet); no threading.
   */
  conversationId?: string | undefined;
};

/**
 * storePreparedMail for a batch of mails, in order, with the same outcome as storing them one
 * by one, but with a few statements per batch instead of ~20 per mail: what the batch needs
 * from the database (known identities, the messages its threading headers name, stored
 * replies) is read first in a few IN-list queries; the batch's own messages and conversations
 * are kept in memory so later mails of the batch find them (batch-threading.ts; the decision
 * is threading.ts); then every table gets one multi-row INSERT. `message.received` is published once per new message, in this transaction.
 */
export async function storePreparedBatch(trx: Db, ctx: IngestContext, input: BatchItem[]): Promise<IngestResult[]> {
  const now = Date.now();
  const byIdentity = new Map<string, { messageId: string; conversationId: string }>();
  const lookup = input.flatMap((i) => [i.mail.identity, copyIdentity(i.mail.identity, i.location.mailboxId)]);
  for (const row of await findMessagesByIdentities(trx, [...new Set(lookup)])) {
    if (!row.conversation_id) throw new Error(`message ${row.id} has no conversation`);
    byIdentity.set(row.identity, { messageId: row.id, conversationId: row.conversation_id });
  }
  // A mailbox that already holds its own copy of a mail (see below) gets that copy again.
  const items = input.map((item) => {
    const copy = copyIdentity(item.mail.identity, item.location.mailboxId);
    return byIdentity.has(copy) ? { ...item, mail: { ...item.mail, identity: copy } } : item;
  });
  // A new mail is threaded once, knowing every mailbox the batch delivers it to (SMTP: all recipients).
  const fresh = new Map<string, FreshMail>();
  const repeats: RepeatDelivery[] = [];
  for (const { mail, location, conversationId } of items) {
    const stored = byIdentity.get(mail.identity);
    if (stored) repeats.push({ ...stored, mailboxId: location.mailboxId });
    else {
      const known = fresh.get(mail.identity);
      if (known && !known.mailboxes.includes(location.mailboxId)) known.mailboxes.push(location.mailboxId);
      if (!known) {
        const direction =
          location.direction ?? (mail.parsed.from?.address && ctx.ownAddresses.has(mail.parsed.from.address) ? 'out' : 'in');
        const receivedAt = location.receivedAt ?? now;
        fresh.set(mail.identity, { parsed: mail.parsed, mailboxes: [location.mailboxId], direction, receivedAt, conversationId });
      }
    }
  }
  const threading = await startBatchThreading(trx, ctx, [...fresh.values()], repeats);

  const rows = newBatchRows();
  const results: IngestResult[] = [];
  const copies: { index: number; item: BatchItem; of: string }[] = [];
  for (const { mail, location } of items) {
    const receivedAt = location.receivedAt ?? now;
    const existing = byIdentity.get(mail.identity);
    let messageId: string;
    let conversationId: string;
    if (existing) {
      ({ messageId, conversationId } = existing);
    } else {
      messageId = newId();
      const freshMail = fresh.get(mail.identity);
      if (!freshMail) throw new Error('a new mail of the batch was not threaded');
      const { direction } = freshMail;
      conversationId = await threading.threadNew(freshMail);
      byIdentity.set(mail.identity, { messageId, conversationId });
      addNewMessage(rows, mail, { messageId, conversationId, direction, receivedAt, now, location, engine: ctx.engine });
    }
    if (threading.showsIn(conversationId, location.mailboxId)) {
      rows.mailboxLinks.set(`${conversationId}\n${location.mailboxId}`, {
        conversation_id: conversationId,
        mailbox_id: location.mailboxId,
      });
    } else {
      // The stored conversation may not follow this delivery (decision 0027): the mailbox gets
      // the mail as a message of its own, threaded within that mailbox, stored after this batch.
      copies.push({ index: results.length, item: { mail, location }, of: conversationId });
      results.push({ messageId, conversationId, isNew: false });
      continue;
    }
    rows.locations.push({
      id: newId(),
      message_id: messageId,
      mailbox_id: location.mailboxId,
      folder_id: location.folderId ?? null,
      folder_path: location.folderPath ?? '',
      uid: location.uid ?? null,
      flags: JSON.stringify(location.flags ?? []),
      source: location.source,
      seen_at: now,
    });
    results.push({ messageId, conversationId, isNew: !existing });
  }
  await writeBatch(trx, ctx, rows, threading.conversations, byIdentity, now);
  await relateConversations(trx, threading.relations, now);
  if (copies.length > 0) {
    const stored = await storePreparedBatch(
      trx,
      ctx,
      copies.map(({ item }) => ({ ...item, mail: { ...item.mail, identity: copyIdentity(item.mail.identity, item.location.mailboxId) } })),
    );
    copies.forEach((copy, i) => {
      const result = stored[i];
      if (result) results[copy.index] = result;
    });
    const relations = copies.flatMap((copy, i) => {
      const result = stored[i];
      return result ? [{ conversationId: result.conversationId, relatedId: copy.of, reason: 'copy' as const }] : [];
    });
    await relateConversations(trx, relations, now);
  }
  return results;
}

/**
 * The identity of a mailbox's own copy of a stored mail whose conversation may not be shown in
 * that mailbox (decision 0027): a reply Cc'd to sales@ into an accounting@-only thread, synced by
 * accounting@ first. Stored identities are SHA-256 hex, so the prefix never meets one.
 */
export function copyIdentity(identity: string, mailboxId: string): string {
  return `copy:${mailboxId}:${identity}`;
}

/** The rows a batch inserts, table by table. */
function newBatchRows() {
  return {
    messages: [] as MessageRow[],
    bodies: [] as { message_id: string; text: LongText; html: LongText | null }[],
    attachments: [] as Insertable<Database['attachments']>[],
    participants: [] as {
      messageId: string;
      participants: PreparedMail['participants'];
      seenAt: number;
      category: PreparedMail['category'];
    }[],
    messageLinks: [] as { conversation_id: string; message_id: string }[],
    indexDocs: [] as Parameters<typeof indexNewMessages>[2],
    events: [] as MessageReceivedEvent[],
    mailboxLinks: new Map<string, { conversation_id: string; mailbox_id: string }>(),
    locations: [] as Parameters<typeof insertLocations>[1],
  };
}
type BatchRows = ReturnType<typeof newBatchRows>;

function addNewMessage(
  rows: BatchRows,
  mail: StorableMail,
  m: {
    messageId: string;
    conversationId: string;
    direction: 'in' | 'out';
    receivedAt: number;
    now: number;
    location: MailLocation;
    engine: Engine;
  },
) {
  const { messageId, conversationId, direction, receivedAt } = m;
  const long = longTextsOf(mail, m.engine);
  rows.messages.push(toMessageRow(mail, { id: messageId, direction, receivedAt, now: m.now, snippet: long.snippet }));
  rows.bodies.push({ message_id: messageId, text: long.text, html: long.html });
  mail.attachments.forEach((a, position) => {
    rows.attachments.push({
      id: newId(),
      message_id: messageId,
      sha256: a.sha256,
      filename: a.filename,
      mime: a.mime,
      size: a.size,
      content_id: a.contentId,
      is_inline: a.isInline ? 1 : 0,
      position,
    });
  });
  rows.participants.push({ messageId, participants: mail.participants, seenAt: receivedAt, category: mail.category });
  rows.messageLinks.push({ conversation_id: conversationId, message_id: messageId });
  // The index texts were made with the mail, off the transaction (prepareMail).
  rows.indexDocs.push({ messageId, receivedAt, texts: { ...mail.indexTexts, body: long.indexBody } });
  rows.events.push({ messageId, conversationId, mailboxId: m.location.mailboxId, direction, source: m.location.source, receivedAt });
}

/** One multi-row INSERT per table (parents before children: SQLite checks foreign keys per statement). */
async function writeBatch(
  trx: Db,
  ctx: IngestContext,
  rows: BatchRows,
  conversations: Map<string, ConversationState>,
  byIdentity: Map<string, { messageId: string; conversationId: string }>,
  now: number,
) {
  // The list line (decision 0014): a new conversation takes it from its newest message of the
  // batch ("newest" = received_at, then id, as refreshConversationLatest). A stored one takes it
  // from the batch when the batch's newest is newer than every stored message (compared before
  // the batch is linked), keeps it when older, and is refreshed from the database on a tie.
  const newestOf = new Map<string, MessageRow>();
  for (const row of rows.messages) {
    const conversationId = byIdentity.get(row.identity)?.conversationId;
    if (!conversationId) continue;
    const best = newestOf.get(conversationId);
    if (!best || row.received_at > best.received_at || (row.received_at === best.received_at && row.id > best.id)) {
      newestOf.set(conversationId, row);
    }
  }
  await insertConversations(
    trx,
    [...conversations]
      .filter(([, c]) => c.isNew)
      .map(([id, c]) => ({
        id,
        subject: c.subject,
        subjectKey: c.subjectKey,
        counterparty: c.counterparty,
        last_message_at: c.lastMessageAt,
        now,
        latest: latestLine(newestOf.get(id)),
      })),
  );
  const storedTouched = [...conversations].filter(([id, c]) => !c.isNew && newestOf.has(id)).map(([id]) => id);
  const storedNewest = await selectNewestReceivedAt(trx, storedTouched);
  const refreshAfterLink: string[] = [];
  for (const [id, c] of conversations) {
    if (c.isNew) continue;
    const newest = newestOf.get(id);
    const storedAt = storedNewest.get(id);
    const batchIsNewest = newest !== undefined && (storedAt === undefined || newest.received_at > storedAt);
    if (newest !== undefined && newest.received_at === storedAt) refreshAfterLink.push(id);
    const reopenedFrom = await bumpConversation(
      trx,
      id,
      c.lastMessageAt,
      c.reopen,
      c.storedStatus,
      batchIsNewest ? latestLine(newest) : undefined,
    );
    if (reopenedFrom !== undefined) await ctx.recordReopened(trx, id, reopenedFrom);
  }
  await insertMessages(trx, rows.messages);
  await insertMessageBodies(trx, rows.bodies);
  await insertAttachments(trx, rows.attachments);
  await recordParticipantsBatch(trx, { ownAddresses: ctx.ownAddresses, messages: rows.participants });
  await linkMessages(trx, rows.messageLinks);
  for (const id of refreshAfterLink) await refreshConversationLatest(trx, id);
  await indexNewMessages(trx, ctx.engine, rows.indexDocs);
  await publishEvents(trx, 'message.received', rows.events);
  await linkMailboxPairs(trx, [...rows.mailboxLinks.values()]);
  await insertLocations(trx, rows.locations);
}

function latestLine(row: MessageRow | undefined) {
  return row ? { from_addr: row.from_addr ?? null, from_name: row.from_name ?? null, snippet: row.snippet ?? '' } : undefined;
}

function toMessageRow(
  mail: StorableMail,
  m: { id: string; direction: 'in' | 'out'; receivedAt: number; now: number; snippet: string },
): MessageRow {
  const p = mail.parsed;
  return {
    id: m.id,
    identity: mail.identity,
    message_id_header: p.messageId,
    raw_sha256: mail.raw.sha256,
    raw_size: mail.raw.size,
    direction: m.direction,
    from_addr: p.from?.address ?? null,
    from_name: p.from?.name ?? null,
    to_addrs: JSON.stringify(p.to.map((a) => a.address).filter(Boolean)),
    cc_addrs: JSON.stringify(p.cc.map((a) => a.address).filter(Boolean)),
    subject: p.subject,
    sent_at: p.date,
    received_at: m.receivedAt,
    in_reply_to: p.inReplyTo,
    references_json: JSON.stringify(p.references),
    snippet: m.snippet,
    parse_status: p.parseStatus,
    parse_error: p.parseError,
    created_at: m.now,
    auth_results: mail.authResults ? JSON.stringify(mail.authResults) : null,
    attachment_count: mail.attachments.filter((a) => !a.isInline).length,
    // Filled after ingest by the mail-facts subscriber (decision 0031): ingest stays fast.
    language: null,
    category: null,
    category_reasons: null,
    country: null,
    country_source: null,
  };
}

/** Prepare and store one mail that reached one or more mailboxes (SMTP listener, import). */
export async function ingestMail(
  deps: { db: Kysely<Database>; blobs: BlobStore; ctx: IngestContext },
  mail: { raw: Buffer; mailboxIds: string[]; source: 'smtp' | 'imap' | 'import'; receivedAt?: number; authResults?: AuthResults },
): Promise<IngestResult> {
  const prepared = await prepareMail(deps.blobs, mail.raw);
  if (mail.authResults) prepared.authResults = mail.authResults;
  // One batch: a new mail is threaded knowing all its mailboxes, and is one message in all of them.
  const store = () =>
    deps.db.transaction().execute(async (trx) => {
      const items = mail.mailboxIds.map((mailboxId) => ({
        mail: prepared,
        location: { mailboxId, source: mail.source, receivedAt: mail.receivedAt },
      }));
      const [result] = await storePreparedBatch(trx, deps.ctx, items);
      if (!result) throw new Error('a mail needs at least one mailbox');
      return result;
    });
  try {
    return await store();
  } catch (error) {
    // The same mail stored by a concurrent delivery: the retry finds it and adds the location.
    if (isUniqueViolation(error)) return store();
    throw error;
  }
}
