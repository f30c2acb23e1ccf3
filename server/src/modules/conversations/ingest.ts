import type { Kysely, Transaction } from 'kysely';
import { type Engine, isUniqueViolation } from '../../db/database.js';
import { newId } from '../../db/ids.js';
import type { Database, MessageRow } from '../../db/schema.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { recordParticipants } from '../contacts/index.js';
import { publishEvent } from '../events/index.js';
import { indexMessage } from '../search/index.js';
import {
  bumpConversation,
  conversationExists,
  findConversationByMessageIds,
  findConversationByReplies,
  findConversationBySubject,
  findConversationOfMessage,
  findMessageByIdentity,
  insertConversation,
  insertLocations,
  insertMessage,
  linkMailboxes,
  linkMessage,
  refreshConversationLatest,
} from './conversation-queries.js';
import type { AuthResults } from './mail-auth.js';
import { conversationIdFromMessageIds } from './pier-message-id.js';
import { type PreparedMail, participantsOf, prepareMail } from './prepare-mail.js';
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
  const now = Date.now();
  const receivedAt = location.receivedAt ?? now;
  const existing = await findMessageByIdentity(trx, mail.identity);
  let messageId: string;
  let conversationId: string;
  if (existing) {
    messageId = existing.id;
    const link = await findConversationOfMessage(trx, existing.id);
    if (!link) throw new Error(`message ${existing.id} has no conversation`);
    conversationId = link.conversation_id;
  } else {
    messageId = newId();
    const direction = location.direction ?? (mail.parsed.from?.address && ctx.ownAddresses.has(mail.parsed.from.address) ? 'out' : 'in');
    await insertMessage(trx, toMessageRow(mail, { id: messageId, direction, receivedAt, now }));
    await trx.insertInto('message_bodies').values({ message_id: messageId, text: mail.parsed.text, html: mail.parsed.html }).execute();
    if (mail.attachments.length > 0) {
      await trx
        .insertInto('attachments')
        .values(
          mail.attachments.map((a, position) => ({
            id: newId(),
            message_id: messageId,
            sha256: a.sha256,
            filename: a.filename,
            mime: a.mime,
            size: a.size,
            content_id: a.contentId,
            is_inline: a.isInline ? 1 : 0,
            position,
          })),
        )
        .execute();
    }
    const participants = participantsOf(mail.parsed);
    await recordParticipants(trx, { messageId, participants, ownAddresses: ctx.ownAddresses, seenAt: receivedAt });
    conversationId = await threadMessage(trx, ctx, mail.parsed, { messageId, direction, receivedAt, now });
    await linkMessage(trx, conversationId, messageId);
    // The one place ingest keeps the list line (sender, snippet of the newest message) in step.
    await refreshConversationLatest(trx, conversationId);
    // The index texts were made with the mail, off the transaction (prepareMail).
    await indexMessage(trx, ctx.engine, { messageId, receivedAt, texts: mail.indexTexts });
    await publishEvent(trx, 'message.received', {
      messageId,
      conversationId,
      mailboxId: location.mailboxId,
      direction,
      source: location.source,
      receivedAt,
    });
  }
  await linkMailboxes(trx, conversationId, [location.mailboxId]);
  await insertLocations(trx, [
    {
      id: newId(),
      message_id: messageId,
      mailbox_id: location.mailboxId,
      folder_id: location.folderId ?? null,
      folder_path: location.folderPath ?? '',
      uid: location.uid ?? null,
      flags: JSON.stringify(location.flags ?? []),
      source: location.source,
      seen_at: now,
    },
  ]);
  return { messageId, conversationId, isNew: !existing };
}

/**
 * Finds the conversation of a new message, most reliable evidence first:
 * 1. Pier's own token in In-Reply-To/References (survives providers that rewrite Message-IDs);
 * 2. In-Reply-To/References naming a stored message;
 * 3. a stored reply naming this message (newest-first sync stores replies first);
 * 4. a reply-prefixed subject + the same customer within 60 days (Outlook replies that lost
 *    their headers). Two customers writing "Inquiry" never meet here: the customer is part of the key,
 *    and a subject without Re:/Fwd: never joins an old thread on its own.
 */
async function threadMessage(
  trx: Db,
  ctx: IngestContext,
  parsed: PreparedMail['parsed'],
  message: { messageId: string; direction: 'in' | 'out'; receivedAt: number; now: number },
): Promise<string> {
  const headerIds = [...(parsed.inReplyTo ? [parsed.inReplyTo] : []), ...parsed.references];
  const key = subjectKey(parsed.subject);
  const counterparty = counterpartyOf(parsed, message.direction, ctx.ownAddresses);
  const tokenConversation = conversationIdFromMessageIds(headerIds);
  let found: string | undefined;
  if (tokenConversation && (await conversationExists(trx, tokenConversation))) found = tokenConversation;
  found ??= (await findConversationByMessageIds(trx, headerIds))?.conversation_id;
  if (!found && parsed.messageId) found = (await findConversationByReplies(trx, parsed.messageId))?.conversation_id;
  if (!found && headerIds.length === 0 && counterparty && key && isReplyOrForward(parsed.subject)) {
    found = (await findConversationBySubject(trx, key, counterparty, message.receivedAt - SUBJECT_FALLBACK_WINDOW_MS))?.conversation_id;
  }
  if (found) {
    await bumpConversation(trx, found, message.receivedAt, message.direction === 'in');
    return found;
  }
  const id = newId();
  await insertConversation(trx, {
    id,
    subject: parsed.subject,
    subjectKey: key,
    counterparty,
    last_message_at: message.receivedAt,
    now: message.now,
  });
  return id;
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
