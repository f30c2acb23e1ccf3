import type { Insertable, Kysely, Transaction } from 'kysely';
import { type Engine, isUniqueViolation } from '../../db/database.js';
import { newId } from '../../db/ids.js';
import type { Database, MessageRow } from '../../db/schema.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { recordParticipantsBatch } from '../contacts/index.js';
import { type MessageReceivedEvent, publishEvents } from '../events/index.js';
import { indexNewMessages } from '../search/index.js';
import {
  bumpConversation,
  conversationExists,
  findConversationBySubject,
  findConversationsByMessageIds,
  findConversationsByReplies,
  findMessagesByIdentities,
  insertAttachments,
  insertConversations,
  insertLocations,
  insertMessageBodies,
  insertMessages,
  linkMailboxPairs,
  linkMessages,
  refreshConversationLatest,
  selectConversationForBump,
  selectConversationsForBump,
  selectNewestReceivedAt,
} from './conversation-queries.js';
import type { AuthResults } from './mail-auth.js';
import { conversationIdFromMessageIds } from './pier-message-id.js';
import { type PreparedMail, prepareMail } from './prepare-mail.js';
import { isReplyOrForward, subjectKey } from './subject.js';

type Db = Kysely<Database> | Transaction<Database>;

export { type PreparedMail, prepareMail } from './prepare-mail.js';

/** Replies whose threading headers were lost join a conversation with the same subject and customer this recent. */
const SUBJECT_FALLBACK_WINDOW_MS = 60 * 24 * 60 * 60_000;

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
};

export type IngestResult = { messageId: string; conversationId: string; isNew: boolean };

/**
 * Step 2, inside the caller's transaction: one message row per identity, its
 * body, attachments, contacts, search entry and conversation, and where it was
 * seen. Storing the same mail again only adds a location. Sync commits its
 * folder checkpoint in the same transaction.
 */
export async function storePreparedMail(trx: Db, ctx: IngestContext, mail: PreparedMail, location: MailLocation): Promise<IngestResult> {
  const [result] = await storePreparedBatch(trx, ctx, [{ mail, location }]);
  if (!result) throw new Error('nothing stored');
  return result;
}

export type BatchItem = { mail: PreparedMail; location: MailLocation };

type ConversationState = {
  isNew: boolean;
  subject: string;
  subjectKey: string;
  counterparty: string | null;
  lastMessageAt: number;
  /** Stored conversations: what the database had when the batch first touched it. */
  storedStatus?: string;
  storedLastMessageAt?: number;
  /** A message from the customer reopens a stored conversation that is not open. */
  reopen: boolean;
};

type MailboxLink = { conversation_id: string; mailbox_id: string };

/**
 * storePreparedMail for a batch of mails, in order, with the same outcome as storing them one
 * by one, but with a few statements per batch instead of ~20 per mail: what the batch needs
 * from the database (known identities, the messages its threading headers name, stored
 * replies) is read first in a few IN-list queries; the batch's own messages and conversations
 * are kept in memory so later mails of the batch find them; then every table gets one
 * multi-row INSERT. `message.received` is published once per new message, in this transaction.
 */
export async function storePreparedBatch(trx: Db, ctx: IngestContext, items: BatchItem[]): Promise<IngestResult[]> {
  const now = Date.now();
  const identities = [...new Set(items.map((i) => i.mail.identity))];
  const byIdentity = new Map<string, { messageId: string; conversationId: string }>();
  for (const row of await findMessagesByIdentities(trx, identities)) {
    if (!row.conversation_id) throw new Error(`message ${row.id} has no conversation`);
    byIdentity.set(row.identity, { messageId: row.id, conversationId: row.conversation_id });
  }

  // Threading evidence in the database for the new mails of the batch.
  const fresh = items.filter((i) => !byIdentity.has(i.mail.identity)).map((i) => i.mail.parsed);
  const headerMatches = new Map<string, { receivedAt: number; conversationId: string }[]>();
  const addHeaderMatch = (header: string, match: { receivedAt: number; conversationId: string }) => {
    const list = headerMatches.get(header);
    if (list) list.push(match);
    else headerMatches.set(header, [match]);
  };
  const named = [...new Set(fresh.flatMap((p) => [...(p.inReplyTo ? [p.inReplyTo] : []), ...p.references]))];
  for (const row of await findConversationsByMessageIds(trx, named)) {
    if (row.message_id_header) addHeaderMatch(row.message_id_header, { receivedAt: row.received_at, conversationId: row.conversation_id });
  }
  const replyMatches = new Map<string, string>();
  const own = [...new Set(fresh.map((p) => p.messageId).filter((id): id is string => Boolean(id)))];
  for (const row of await findConversationsByReplies(trx, own)) {
    if (row.in_reply_to && !replyMatches.has(row.in_reply_to)) replyMatches.set(row.in_reply_to, row.conversation_id);
  }

  // The stored conversations the threading evidence names, read at once (the rest one by one).
  const evidence = new Set([...[...headerMatches.values()].flat().map((m) => m.conversationId), ...replyMatches.values()]);
  const storedRows = new Map((await selectConversationsForBump(trx, [...evidence])).map((row) => [row.id, row]));

  const conversations = new Map<string, ConversationState>();
  const knownToExist = new Map<string, boolean>();
  const touchStored = async (id: string): Promise<ConversationState> => {
    let state = conversations.get(id);
    if (!state) {
      const row = storedRows.get(id) ?? (await selectConversationForBump(trx, id));
      if (!row) throw new Error(`conversation ${id} vanished`);
      state = {
        isNew: false,
        subject: row.subject,
        subjectKey: row.subject_key,
        counterparty: row.counterparty,
        lastMessageAt: row.last_message_at,
        storedStatus: row.status,
        storedLastMessageAt: row.last_message_at,
        reopen: false,
      };
      conversations.set(id, state);
    }
    return state;
  };

  /**
   * Finds the conversation of a new message, most reliable evidence first:
   * 1. Pier's own token in In-Reply-To/References (survives providers that rewrite Message-IDs);
   * 2. In-Reply-To/References naming a stored message (the newest one);
   * 3. a stored reply naming this message (newest-first sync stores replies first);
   * 4. a reply-prefixed subject + the same customer within 60 days (Outlook replies that lost
   *    their headers). Two customers writing "Inquiry" never meet here: the customer is part of the key,
   *    and a subject without Re:/Fwd: never joins an old thread on its own.
   */
  const threadMessage = async (parsed: PreparedMail['parsed'], direction: 'in' | 'out', receivedAt: number): Promise<string> => {
    const headerIds = [...(parsed.inReplyTo ? [parsed.inReplyTo] : []), ...parsed.references];
    const key = subjectKey(parsed.subject);
    const counterparty = counterpartyOf(parsed, direction, ctx.ownAddresses);
    const tokenConversation = conversationIdFromMessageIds(headerIds);
    let found: string | undefined;
    if (tokenConversation) {
      let exists = conversations.has(tokenConversation) || knownToExist.get(tokenConversation);
      if (exists === undefined) {
        exists = await conversationExists(trx, tokenConversation);
        knownToExist.set(tokenConversation, exists);
      }
      if (exists) found = tokenConversation;
    }
    if (!found) {
      let best: { receivedAt: number; conversationId: string } | undefined;
      for (const id of headerIds) {
        for (const match of headerMatches.get(id) ?? []) if (!best || match.receivedAt > best.receivedAt) best = match;
      }
      found = best?.conversationId;
    }
    if (!found && parsed.messageId) found = replyMatches.get(parsed.messageId);
    if (!found && headerIds.length === 0 && counterparty && key && isReplyOrForward(parsed.subject)) {
      const since = receivedAt - SUBJECT_FALLBACK_WINDOW_MS;
      // The batch's own conversations hold their current last_message_at; the database the rest.
      let best: { id: string; at: number } | undefined;
      const stored = await findConversationBySubject(trx, key, counterparty, since);
      if (stored)
        best = { id: stored.conversation_id, at: conversations.get(stored.conversation_id)?.lastMessageAt ?? stored.last_message_at };
      for (const [id, c] of conversations) {
        if (c.subjectKey !== key || c.counterparty !== counterparty || c.lastMessageAt < since) continue;
        if (!best || c.lastMessageAt > best.at) best = { id, at: c.lastMessageAt };
      }
      found = best?.id;
    }
    if (found) {
      // A new message moves the conversation up the list (never down: mail can arrive late).
      const state = await touchStored(found);
      if (state.lastMessageAt < receivedAt) state.lastMessageAt = receivedAt;
      if (direction === 'in') state.reopen = true;
      return found;
    }
    const id = newId();
    conversations.set(id, {
      isNew: true,
      subject: parsed.subject,
      subjectKey: key,
      counterparty,
      lastMessageAt: receivedAt,
      reopen: false,
    });
    return id;
  };

  const results: IngestResult[] = [];
  const messageRows: MessageRow[] = [];
  const bodies: { message_id: string; text: string; html: string | null }[] = [];
  const attachments: Insertable<Database['attachments']>[] = [];
  const participants: { messageId: string; participants: PreparedMail['participants']; seenAt: number }[] = [];
  const messageLinks: { conversation_id: string; message_id: string }[] = [];
  const indexDocs: { messageId: string; receivedAt: number; texts: PreparedMail['indexTexts'] }[] = [];
  const events: MessageReceivedEvent[] = [];
  const mailboxLinks = new Map<string, MailboxLink>();
  const locations: Parameters<typeof insertLocations>[1] = [];

  for (const { mail, location } of items) {
    const receivedAt = location.receivedAt ?? now;
    const existing = byIdentity.get(mail.identity);
    let messageId: string;
    let conversationId: string;
    if (existing) {
      ({ messageId, conversationId } = existing);
    } else {
      messageId = newId();
      const parsed = mail.parsed;
      const direction = location.direction ?? (parsed.from?.address && ctx.ownAddresses.has(parsed.from.address) ? 'out' : 'in');
      conversationId = await threadMessage(parsed, direction, receivedAt);
      byIdentity.set(mail.identity, { messageId, conversationId });
      // Later mails of the batch find this one as stored mail would be found.
      if (parsed.messageId) addHeaderMatch(parsed.messageId, { receivedAt, conversationId });
      if (parsed.inReplyTo && !replyMatches.has(parsed.inReplyTo)) replyMatches.set(parsed.inReplyTo, conversationId);
      messageRows.push(toMessageRow(mail, { id: messageId, direction, receivedAt, now }));
      bodies.push({ message_id: messageId, text: parsed.text, html: parsed.html });
      mail.attachments.forEach((a, position) => {
        attachments.push({
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
      participants.push({ messageId, participants: mail.participants, seenAt: receivedAt });
      messageLinks.push({ conversation_id: conversationId, message_id: messageId });
      // The index texts were made with the mail, off the transaction (prepareMail).
      indexDocs.push({ messageId, receivedAt, texts: mail.indexTexts });
      events.push({ messageId, conversationId, mailboxId: location.mailboxId, direction, source: location.source, receivedAt });
    }
    mailboxLinks.set(`${conversationId}\n${location.mailboxId}`, { conversation_id: conversationId, mailbox_id: location.mailboxId });
    locations.push({
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

  // The list line (decision 0014): a new conversation takes it from its newest message of the
  // batch ("newest" = received_at, then id, as refreshConversationLatest). A stored one takes it
  // from the batch when the batch's newest is newer than every stored message (compared before
  // the batch is linked), keeps it when older, and is refreshed from the database on a tie.
  const newestOf = new Map<string, MessageRow>();
  for (const row of messageRows) {
    const conversationId = byIdentity.get(row.identity)?.conversationId;
    if (!conversationId) continue;
    const best = newestOf.get(conversationId);
    if (!best || row.received_at > best.received_at || (row.received_at === best.received_at && row.id > best.id)) {
      newestOf.set(conversationId, row);
    }
  }

  // Parents before children (foreign keys are checked per statement on SQLite).
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
    await bumpConversation(trx, id, c.lastMessageAt, c.reopen, c.storedStatus, batchIsNewest ? latestLine(newest) : undefined);
  }
  await insertMessages(trx, messageRows);
  await insertMessageBodies(trx, bodies);
  await insertAttachments(trx, attachments);
  await recordParticipantsBatch(trx, { ownAddresses: ctx.ownAddresses, messages: participants });
  await linkMessages(trx, messageLinks);
  for (const id of refreshAfterLink) await refreshConversationLatest(trx, id);
  await indexNewMessages(trx, ctx.engine, indexDocs);
  await publishEvents(trx, 'message.received', events);
  await linkMailboxPairs(trx, [...mailboxLinks.values()]);
  await insertLocations(trx, locations);
  return results;
}

function latestLine(row: MessageRow | undefined) {
  return row ? { from_addr: row.from_addr ?? null, from_name: row.from_name ?? null, snippet: row.snippet ?? '' } : undefined;
}

/** The customer side of a message: who wrote in, or whom the team wrote to. */
function counterpartyOf(parsed: PreparedMail['parsed'], direction: 'in' | 'out', own: ReadonlySet<string>): string | null {
  const candidates = direction === 'in' ? [parsed.from, ...parsed.replyTo] : [...parsed.to, ...parsed.cc];
  return candidates.map((a) => a?.address?.toLowerCase()).find((a): a is string => Boolean(a) && !own.has(a as string)) ?? null;
}

function toMessageRow(mail: PreparedMail, m: { id: string; direction: 'in' | 'out'; receivedAt: number; now: number }): MessageRow {
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
    // Only the start of a (possibly megabytes long) body is needed for the list line.
    snippet: p.text.slice(0, 1000).replace(/\s+/g, ' ').trim().slice(0, 200),
    parse_status: p.parseStatus,
    parse_error: p.parseError,
    created_at: m.now,
    auth_results: mail.authResults ? JSON.stringify(mail.authResults) : null,
    attachment_count: mail.attachments.filter((a) => !a.isInline).length,
    language: null,
  };
}

/** Prepare and store one mail that reached one or more mailboxes (SMTP listener, import). */
export async function ingestMail(
  deps: { db: Kysely<Database>; blobs: BlobStore; ctx: IngestContext },
  mail: { raw: Buffer; mailboxIds: string[]; source: 'smtp' | 'imap' | 'import'; receivedAt?: number; authResults?: AuthResults },
): Promise<IngestResult> {
  const prepared = await prepareMail(deps.blobs, mail.raw);
  if (mail.authResults) prepared.authResults = mail.authResults;
  const store = () =>
    deps.db.transaction().execute(async (trx) => {
      let result: IngestResult | undefined;
      for (const mailboxId of mail.mailboxIds) {
        result = await storePreparedMail(trx, deps.ctx, prepared, { mailboxId, source: mail.source, receivedAt: mail.receivedAt });
      }
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
