import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { conversationMailboxIds, moveMessageToConversation } from '../conversations/index.js';
import { type DeliveryReport, parseDeliveryReport, splitMessageHeaders } from './dsn.js';

/**
 * A delivery status notification (RFC 3464, multipart/report) that names one of
 * our sent messages and reached the mailbox that sent it: the message is marked
 * bounced with the server's reason, and the report joins the conversation of the
 * mail it is about (the customer thread, not a "Mail Delivery System" conversation
 * of its own) when that conversation is already in every mailbox the report reached.
 */
export async function attachBounce(deps: { db: Kysely<Database>; blobs: BlobStore }, incomingMessageId: string): Promise<boolean> {
  const { db } = deps;
  const message = await db
    .selectFrom('messages')
    .select(['id', 'raw_sha256', 'direction'])
    .where('id', '=', incomingMessageId)
    .executeTakeFirst();
  if (message?.direction !== 'in') return false;
  const raw = await deps.blobs.get(message.raw_sha256);
  const contentType = splitMessageHeaders(raw).get('content-type')?.[0] ?? '';
  if (!/multipart\/report/i.test(contentType) || !/delivery-status/i.test(contentType)) return false;
  const report = parseDeliveryReport(raw);
  if (!report || report.originalMessageIds.length === 0) return false;
  const original = await db
    .selectFrom('outbox_messages')
    .selectAll()
    .where('message_id_header', 'in', report.originalMessageIds)
    .executeTakeFirst();
  if (!original) return false;
  const failed = report.recipients.filter((r) => r.action === 'failed');
  if (failed.length === 0) return false;
  // Reports come back to the mailbox that sent the mail; one that reached only other mailboxes is
  // anyone's mail naming a Message-ID every recipient saw, and changes nothing.
  const reached = await db.selectFrom('message_locations').select('mailbox_id').where('message_id', '=', message.id).execute();
  if (!reached.some((m) => m.mailbox_id === original.mailbox_id)) return false;
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('outbox_messages')
      .set({ state: 'bounced', bounced_at: Date.now(), bounce_detail: describe(failed).slice(0, 1000), updated_at: Date.now() })
      .where('id', '=', original.id)
      .where('state', 'in', ['sent', 'uncertain', 'bounced'])
      .execute();
    // The report joins the sent mail's conversation only when that shows it to no one new: every
    // mailbox it reached already holds the conversation (a report is mail anyone can write, and it
    // must never open a conversation to another mailbox; decision 0027). Its own conversation,
    // made for it alone, goes.
    const held = new Set(await conversationMailboxIds(trx, original.conversation_id));
    if (!reached.every((m) => held.has(m.mailbox_id))) return;
    await moveMessageToConversation(trx, message.id, original.conversation_id);
  });
  return true;
}

function describe(recipients: DeliveryReport['recipients']): string {
  return recipients.map((r) => `${r.recipient}: ${r.status ?? ''} ${r.diagnostic ?? ''}`.trim()).join('; ');
}
