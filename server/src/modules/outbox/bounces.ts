import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { moveMessageToConversation } from '../conversations/index.js';
import { type DeliveryReport, parseDeliveryReport, splitMessageHeaders } from './dsn.js';

/**
 * A delivery status notification (RFC 3464, multipart/report) that names one of
 * our sent messages: the message is marked bounced with the server's reason, and
 * the report joins the conversation of the mail it is about (the customer
 * thread, not a "Mail Delivery System" conversation of its own).
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
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('outbox_messages')
      .set({ state: 'bounced', bounced_at: Date.now(), bounce_detail: describe(failed).slice(0, 1000), updated_at: Date.now() })
      .where('id', '=', original.id)
      .where('state', 'in', ['sent', 'uncertain', 'bounced'])
      .execute();
    // The report joins the mail it reports on; its own conversation, made for it alone, goes.
    await moveMessageToConversation(trx, message.id, original.conversation_id);
  });
  return true;
}

function describe(recipients: DeliveryReport['recipients']): string {
  return recipients.map((r) => `${r.recipient}: ${r.status ?? ''} ${r.diagnostic ?? ''}`.trim()).join('; ');
}
