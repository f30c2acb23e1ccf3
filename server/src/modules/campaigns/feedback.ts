import type { Kysely } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import type { CampaignEventsTable } from '../../db/tables/campaigns.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { messageForFacts, splitMessage } from '../conversations/index.js';
import { defineSubscriber, type EventSubscriber, type MessageReceivedEvent } from '../events/index.js';
import { parseDeliveryReport } from '../outbox/index.js';
import { parseFeedbackReport } from './arf.js';
import { suppressAddress } from './suppression.js';
import { lastLiftAt } from './suppression-admin.js';
import { unsubscribeByToken } from './unsubscribe.js';

type Deps = { db: Kysely<Database>; blobs: BlobStore; unsubscribeKey: Buffer; now: () => number };

/** Soft bounces (4.x.x) of one address, across campaigns, before it is suppressed. */
export const SOFT_BOUNCE_LIMIT = 3;

/** Every mail that reaches a marketing mailbox is read for a bounce, a complaint, an unsubscribe by mail, or a reply to a campaign. */
export function campaignFeedbackSubscriber(deps: Deps): EventSubscriber {
  return defineSubscriber({
    name: 'campaigns.feedback',
    event: 'message.received',
    key: (payload) => payload.messageId,
    run: async (payload) => {
      if (payload.direction !== 'in') return;
      await readCampaignFeedback(deps, payload);
    },
  });
}

type Recipient = { id: string; campaign_id: string; address: string; mailbox_id: string };

async function recipientsByMessageId(db: Kysely<Database>, ids: string[], mailboxId: string): Promise<Recipient[]> {
  if (ids.length === 0) return [];
  return (
    db
      .selectFrom('campaign_recipients')
      .innerJoin('campaigns', 'campaigns.id', 'campaign_recipients.campaign_id')
      .select(['campaign_recipients.id', 'campaign_recipients.campaign_id', 'campaign_recipients.address', 'campaigns.mailbox_id'])
      .where('campaign_recipients.message_id_header', 'in', ids.slice(0, 50))
      // Only what reached the mailbox that sent the campaign counts: anyone can write a report naming a Message-ID.
      .where('campaigns.mailbox_id', '=', mailboxId)
      .execute()
  );
}

/**
 * What one incoming mail says about our campaigns. Bounces (RFC 3464): a permanent failure (5.x.x)
 * suppresses the address at once, a temporary one after SOFT_BOUNCE_LIMIT. Complaints (ARF, RFC 5965)
 * suppress at once. "unsubscribe TOKEN" mailed to the List-Unsubscribe mailto address unsubscribes.
 * A reply (In-Reply-To / References naming a campaign mail) is counted and linked to its conversation.
 */
export async function readCampaignFeedback(deps: Deps, event: MessageReceivedEvent): Promise<void> {
  const { db } = deps;
  const message = await messageForFacts(db, event.messageId);
  if (!message) return;
  const raw = await deps.blobs.get(message.rawSha256);
  const headers = splitMessage(raw).headers;
  const contentType = headers.get('content-type')?.[0] ?? '';
  const ownId = headers.get('message-id')?.[0];
  const now = deps.now();
  if (/multipart\/report/i.test(contentType) && /delivery-status/i.test(contentType)) {
    const report = parseDeliveryReport(raw);
    if (!report) return;
    const [recipient] = await recipientsByMessageId(db, report.originalMessageIds, event.mailboxId);
    if (!recipient) return;
    const failed = report.recipients.find((r) => r.recipient.toLowerCase() === recipient.address) ?? report.recipients[0];
    if (!failed || (failed.action !== 'failed' && failed.action !== 'delayed')) return;
    const hard = failed.action === 'failed' && (failed.status ?? '5').startsWith('5');
    const detail = `${failed.status ?? ''} ${failed.diagnostic ?? ''}`.trim();
    await recordBounce(db, recipient, hard, detail, { conversationId: event.conversationId, messageId: event.messageId }, now);
    return;
  }
  if (/multipart\/report/i.test(contentType) && /feedback-report/i.test(contentType)) {
    const report = parseFeedbackReport(raw, ownId);
    if (!report) return;
    const [recipient] = await recipientsByMessageId(db, report.originalMessageIds, event.mailboxId);
    if (!recipient) return;
    await db.transaction().execute(async (trx) => {
      if (await alreadyRead(trx, recipient.id, 'complaint', event.messageId)) return;
      await trx
        .updateTable('campaign_recipients')
        .set({ complained_at: now })
        .where('id', '=', recipient.id)
        .where('complained_at', 'is', null)
        .execute();
      await suppressAddress(trx, {
        address: recipient.address,
        reason: 'complaint',
        campaignId: recipient.campaign_id,
        detail: report.feedbackType,
        now,
      });
      await insertCampaignEvent(
        trx,
        recipient,
        'complaint',
        { conversationId: event.conversationId, messageId: event.messageId },
        report.feedbackType,
        now,
      );
    });
    return;
  }
  const subject = headers.get('subject')?.[0] ?? '';
  const unsubscribe = /^\s*unsubscribe\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\s*$/i.exec(subject);
  if (unsubscribe?.[1]) {
    await unsubscribeByToken(db, deps.unsubscribeKey, { token: unsubscribe[1], via: 'mailto', ip: null, now });
    return;
  }
  const answered = [...(headers.get('in-reply-to') ?? []), ...(headers.get('references') ?? [])].join(' ').match(/<[^<>\s]+>/g) ?? [];
  const [recipient] = await recipientsByMessageId(db, [...new Set(answered)], event.mailboxId);
  if (!recipient) return;
  await db.transaction().execute(async (trx) => {
    if (await alreadyRead(trx, recipient.id, 'reply', event.messageId)) return;
    await trx
      .updateTable('campaign_recipients')
      .set({ replied_at: now })
      .where('id', '=', recipient.id)
      .where('replied_at', 'is', null)
      .execute();
    await insertCampaignEvent(trx, recipient, 'reply', { conversationId: event.conversationId, messageId: event.messageId }, null, now);
  });
}

/** A bounce of one recipient: counted; the address suppressed when hard, or after SOFT_BOUNCE_LIMIT soft ones. */
export async function recordBounce(
  db: Kysely<Database>,
  recipient: Recipient,
  hard: boolean,
  detail: string,
  source: EventSource,
  now: number,
) {
  const kind = hard ? 'hard_bounce' : 'soft_bounce';
  await db.transaction().execute(async (trx) => {
    if (source.messageId && (await alreadyRead(trx, recipient.id, kind, source.messageId))) return;
    await trx
      .updateTable('campaign_recipients')
      .set({ bounced_at: now, bounce_kind: hard ? 'hard' : 'soft' })
      .where('id', '=', recipient.id)
      .execute();
    await insertCampaignEvent(trx, recipient, kind, source, detail, now);
    // Soft bounces before an admin took the address off the list (decision 0072) are not counted again.
    const liftedAt = await lastLiftAt(trx, recipient.address);
    const soft = await trx
      .selectFrom('campaign_events')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('address', '=', recipient.address)
      .where('kind', '=', 'soft_bounce')
      .where('created_at', '>', liftedAt)
      .executeTakeFirstOrThrow();
    if (hard || Number(soft.n) >= SOFT_BOUNCE_LIMIT) {
      await suppressAddress(trx, { address: recipient.address, reason: 'hard_bounce', campaignId: recipient.campaign_id, detail, now });
    }
  });
}

/**
 * Whether this mail was already read as this recipient's event: the subscriber runs again when its
 * job is re-run after a crash (decision 0073), and a soft bounce counted twice would suppress early.
 */
async function alreadyRead(
  db: Kysely<Database>,
  recipientId: string,
  kind: CampaignEventsTable['kind'],
  messageId: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('campaign_events')
    .select('id')
    .where('message_id', '=', messageId)
    .where('recipient_id', '=', recipientId)
    .where('kind', '=', kind)
    .executeTakeFirst();
  return row !== undefined;
}

/** The mail an event was read from (none for a refusal during the SMTP session). */
type EventSource = { conversationId: string | null; messageId: string | null };

/** One event of a recipient's campaign (replies, bounces, complaints here; clicks in clicks.ts). */
export async function insertCampaignEvent(
  db: Kysely<Database>,
  recipient: Pick<Recipient, 'id' | 'campaign_id' | 'address'>,
  kind: CampaignEventsTable['kind'],
  source: EventSource,
  detail: string | null,
  now: number,
) {
  await db
    .insertInto('campaign_events')
    .values({
      id: newId(),
      campaign_id: recipient.campaign_id,
      recipient_id: recipient.id,
      address: recipient.address,
      kind,
      conversation_id: source.conversationId,
      message_id: source.messageId,
      detail: detail?.slice(0, 500) ?? null,
      created_at: now,
    })
    .execute();
}

/** Replies to a campaign: which conversations answer it (the campaign page links them). */
export async function campaignReplies(db: Kysely<Database>, campaignId: string) {
  const rows = await db
    .selectFrom('campaign_events')
    .select(['address', 'conversation_id', 'created_at'])
    .where('campaign_id', '=', campaignId)
    .where('kind', '=', 'reply')
    .orderBy('created_at', 'desc')
    .limit(200)
    .execute();
  return rows.map((r) => ({ address: r.address, conversationId: r.conversation_id, at: Number(r.created_at) }));
}

/**
 * Which of these messages answer a campaign, and which one: the conversation view shows it beside
 * the reply. Only campaigns sent from a mailbox the reader may read (a reply copied to info@ shows
 * info@'s agents the mail, not the campaign).
 */
export async function campaignsAnsweredBy(
  db: Kysely<Database>,
  input: { messageIds: string[]; readableMailboxIds: readonly string[] | 'all' },
): Promise<Map<string, { id: string; subject: string }>> {
  const answered = new Map<string, { id: string; subject: string }>();
  if (input.messageIds.length === 0 || (input.readableMailboxIds !== 'all' && input.readableMailboxIds.length === 0)) return answered;
  let query = db
    .selectFrom('campaign_events')
    .innerJoin('campaigns', 'campaigns.id', 'campaign_events.campaign_id')
    .select(['campaign_events.message_id', 'campaigns.id', 'campaigns.subject'])
    .where('campaign_events.message_id', 'in', input.messageIds)
    .where('campaign_events.kind', '=', 'reply');
  if (input.readableMailboxIds !== 'all') query = query.where('campaigns.mailbox_id', 'in', [...input.readableMailboxIds]);
  for (const row of await query.execute()) if (row.message_id) answered.set(row.message_id, { id: row.id, subject: row.subject });
  return answered;
}
