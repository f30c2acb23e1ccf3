import type { Kysely, Transaction } from 'kysely';
import { type AddressObject, simpleParser } from 'mailparser';
import { isUniqueViolation } from '../../db/database.js';
import { newId } from '../../db/ids.js';
import type { Database, MessageRow } from '../../db/schema.js';
import type { BlobStore } from '../../storage/blob-store.js';
import {
  bumpConversation,
  findConversationByMessageIds,
  findConversationByReplies,
  findConversationOfMessage,
  findMessageByIdentity,
  insertConversation,
  insertLocations,
  insertMessage,
  linkMailboxes,
  linkMessage,
} from './conversation-queries.js';
import { type AuthResults, readProviderAuthResults } from './mail-auth.js';
import { messageIdentity } from './message-identity.js';

type Db = Kysely<Database> | Transaction<Database>;

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
  receivedAt?: number;
};

/** A mail whose raw bytes are safely in the blob store and whose fields are parsed; no database work yet. */
export type PreparedMail = {
  identity: string;
  raw: { sha256: string; size: number };
  fields: ParsedFields;
  /** Pier's own verdicts (SMTP listener) or the provider's Authentication-Results (IMAP). */
  authResults: AuthResults | null;
};

export type IngestResult = { messageId: string; conversationId: string; isNew: boolean };

/**
 * Step 1 of ingest, outside any transaction: keep the raw bytes (so nothing is
 * lost even if parsing fails) and parse them. Safe to repeat: blobs are
 * content-addressed.
 */
export async function prepareMail(blobs: BlobStore, raw: Buffer): Promise<PreparedMail> {
  const blob = await blobs.put(raw);
  return { identity: messageIdentity(raw), raw: blob, fields: await parseFields(raw), authResults: readProviderAuthResults(raw) };
}

/**
 * Step 2, inside the caller's transaction: one message row per identity, its
 * conversation, and where it was seen. Storing the same mail again only adds a
 * location. Sync commits its folder checkpoint in the same transaction.
 */
export async function storePreparedMail(trx: Db, mail: PreparedMail, location: MailLocation): Promise<IngestResult> {
  const now = Date.now();
  const receivedAt = location.receivedAt ?? now;
  const existing = await findMessageByIdentity(trx, mail.identity);
  const messageId = existing?.id ?? newId();
  let conversationId: string;
  if (existing) {
    const link = await findConversationOfMessage(trx, existing.id);
    if (!link) throw new Error(`message ${existing.id} has no conversation`);
    conversationId = link.conversation_id;
  } else {
    const row: MessageRow = {
      id: messageId,
      identity: mail.identity,
      raw_sha256: mail.raw.sha256,
      raw_size: mail.raw.size,
      direction: location.direction ?? 'in',
      received_at: receivedAt,
      created_at: now,
      auth_results: mail.authResults ? JSON.stringify(mail.authResults) : null,
      attachment_count: 0,
      language: null,
      ...mail.fields,
    };
    await insertMessage(trx, row);
    const thread =
      (await findConversationByMessageIds(trx, [
        ...(mail.fields.in_reply_to ? [mail.fields.in_reply_to] : []),
        ...(JSON.parse(mail.fields.references_json) as string[]),
      ])) ?? (mail.fields.message_id_header ? await findConversationByReplies(trx, mail.fields.message_id_header) : undefined);
    if (thread) {
      conversationId = thread.conversation_id;
      await bumpConversation(trx, conversationId, receivedAt);
    } else {
      conversationId = newId();
      await insertConversation(trx, { id: conversationId, subject: mail.fields.subject, last_message_at: receivedAt, now });
    }
    await linkMessage(trx, conversationId, messageId);
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

/** Prepare and store one mail that reached one or more mailboxes (SMTP listener, import). */
export async function ingestMail(
  deps: { db: Kysely<Database>; blobs: BlobStore },
  mail: { raw: Buffer; mailboxIds: string[]; source: 'smtp' | 'imap' | 'import'; receivedAt?: number; authResults?: AuthResults },
): Promise<IngestResult> {
  const prepared = await prepareMail(deps.blobs, mail.raw);
  if (mail.authResults) prepared.authResults = mail.authResults;
  const store = () =>
    deps.db.transaction().execute(async (trx) => {
      let result: IngestResult | undefined;
      for (const mailboxId of mail.mailboxIds) {
        result = await storePreparedMail(trx, prepared, { mailboxId, source: mail.source, receivedAt: mail.receivedAt });
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

type ParsedFields = Pick<
  MessageRow,
  | 'message_id_header'
  | 'from_addr'
  | 'from_name'
  | 'to_addrs'
  | 'cc_addrs'
  | 'subject'
  | 'sent_at'
  | 'in_reply_to'
  | 'references_json'
  | 'snippet'
  | 'parse_status'
  | 'parse_error'
>;

async function parseFields(raw: Buffer): Promise<ParsedFields> {
  try {
    const parsed = await simpleParser(raw, { skipHtmlToText: false, skipTextLinks: true, skipImageLinks: true });
    const from = parsed.from?.value[0];
    const text = parsed.text ?? (typeof parsed.html === 'string' ? parsed.html.replace(/<[^>]+>/g, ' ') : '');
    const references = typeof parsed.references === 'string' ? [parsed.references] : (parsed.references ?? []);
    return {
      message_id_header: parsed.messageId ?? null,
      from_addr: from?.address?.toLowerCase() ?? null,
      from_name: from?.name || null,
      to_addrs: JSON.stringify(addresses(parsed.to)),
      cc_addrs: JSON.stringify(addresses(parsed.cc)),
      subject: parsed.subject ?? '',
      sent_at: parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date.getTime() : null,
      in_reply_to: parsed.inReplyTo ?? null,
      references_json: JSON.stringify(references),
      snippet: text.replace(/\s+/g, ' ').trim().slice(0, 200),
      parse_status: 'ok',
      parse_error: null,
    };
  } catch (error) {
    // Never drop a mail: keep the raw blob and show it raw with a notice.
    return {
      message_id_header: null,
      from_addr: null,
      from_name: null,
      to_addrs: '[]',
      cc_addrs: '[]',
      subject: '',
      sent_at: null,
      in_reply_to: null,
      references_json: '[]',
      snippet: '',
      parse_status: 'failed',
      parse_error: error instanceof Error ? error.message.slice(0, 500) : String(error),
    };
  }
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.flatMap((group) => group.value.map((a) => a.address?.toLowerCase()).filter((a): a is string => Boolean(a)));
}
