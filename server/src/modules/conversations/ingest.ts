import type { Kysely } from 'kysely';
import { type AddressObject, simpleParser } from 'mailparser';
import { isUniqueViolation } from '../../db/database.js';
import { newId } from '../../db/ids.js';
import type { Database, MessageRow } from '../../db/schema.js';
import type { BlobStore } from '../../storage/blob-store.js';
import {
  bumpConversation,
  findConversationByMessageIds,
  findConversationOfMessage,
  findMessageByIdentity,
  insertConversation,
  insertLocations,
  insertMessage,
  linkMailboxes,
  linkMessage,
} from './conversation-queries.js';
import { messageIdentity } from './message-identity.js';

export type IncomingMail = {
  raw: Buffer;
  mailboxIds: string[];
  source: 'smtp' | 'imap' | 'import';
  folderPath?: string;
  uid?: number;
  receivedAt?: number;
};

export type IngestResult = { messageId: string; conversationId: string; isNew: boolean };

/**
 * Stores one mail: raw bytes first (so nothing is lost even if parsing fails),
 * then one message row per identity, its conversation and every mailbox it
 * reached, in one transaction. Storing the same mail again only adds where it
 * was seen. Threading here follows In-Reply-To/References; the mail engine
 * issue grows it (subject fallback, Pier's own Message-ID tokens).
 */
export async function ingestMail(deps: { db: Kysely<Database>; blobs: BlobStore }, mail: IncomingMail): Promise<IngestResult> {
  const blob = await deps.blobs.put(mail.raw);
  const identity = messageIdentity(mail.raw);
  const fields = await parseFields(mail.raw);
  const now = Date.now();
  const receivedAt = mail.receivedAt ?? now;

  const store = () =>
    deps.db.transaction().execute(async (trx) => {
      const existing = await findMessageByIdentity(trx, identity);
      const messageId = existing?.id ?? newId();
      let conversationId: string;
      if (existing) {
        const link = await findConversationOfMessage(trx, existing.id);
        if (!link) throw new Error(`message ${existing.id} has no conversation`);
        conversationId = link.conversation_id;
      } else {
        const row: MessageRow = {
          id: messageId,
          identity,
          raw_sha256: blob.sha256,
          raw_size: blob.size,
          direction: 'in',
          received_at: receivedAt,
          created_at: now,
          ...fields,
        };
        await insertMessage(trx, row);
        const thread = await findConversationByMessageIds(trx, [
          ...(fields.in_reply_to ? [fields.in_reply_to] : []),
          ...JSON.parse(fields.references_json),
        ]);
        if (thread) {
          conversationId = thread.conversation_id;
          await bumpConversation(trx, conversationId, receivedAt);
        } else {
          conversationId = newId();
          await insertConversation(trx, { id: conversationId, subject: fields.subject, last_message_at: receivedAt, now });
        }
        await linkMessage(trx, conversationId, messageId);
      }
      await linkMailboxes(trx, conversationId, mail.mailboxIds);
      await insertLocations(
        trx,
        mail.mailboxIds.map((mailbox_id) => ({
          id: newId(),
          message_id: messageId,
          mailbox_id,
          folder_path: mail.folderPath ?? '',
          uid: mail.uid ?? null,
          source: mail.source,
          seen_at: now,
        })),
      );
      return { messageId, conversationId, isNew: !existing };
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
