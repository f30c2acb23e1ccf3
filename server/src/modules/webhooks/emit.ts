import type { WebhookEvent } from '@pier/contracts';
import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import { enqueueJobs } from '../../jobs/queue.js';

type Db = Kysely<Database> | Transaction<Database>;

export const WEBHOOK_DELIVER_JOB = 'webhook.deliver';
/** Tries per delivery: with the queue's backoff (1 s, 2 s, 4 s … capped at 1 h) about 4 hours in all. */
export const WEBHOOK_MAX_ATTEMPTS = 12;

/** What each event carries: ids and states, never mail content (a receiver reads that with a token). */
export type WebhookData = {
  'conversation.created': { conversationId: string; mailboxId: string; messageId: string };
  'message.received': { messageId: string; conversationId: string; mailboxId: string; source: string };
  'message.sent': { outboxId: string; messageId: string; conversationId: string; mailboxId: string; sentAt: number };
  'conversation.assigned': { conversationId: string; assigneeId: string | null; teamId: string | null; byUserId: string | null };
  'contact.created': { contactIds: string[] };
  'fraud.flagged': { conversationId: string; messageId: string; level: string };
  'sla.breached': { conversationId: string; phase: string | null; dueAt: number | null };
};

/**
 * Records one delivery per enabled hook that wants the event, and its job, in the caller's
 * transaction: the webhook exists exactly when its cause was committed, and is sent after.
 */
export async function emitWebhookEvent<E extends WebhookEvent>(
  executor: Db,
  event: E,
  data: WebhookData[E],
  now = Date.now(),
): Promise<void> {
  const hooks = await executor.selectFrom('webhooks').select(['id', 'events']).where('enabled', '=', 1).execute();
  const wanting = hooks.filter((h) => (JSON.parse(h.events) as string[]).includes(event));
  if (wanting.length === 0) return;
  const body = JSON.stringify({ id: newId(), event, createdAt: now, data });
  const rows = wanting.map((hook) => ({
    id: newId(),
    webhook_id: hook.id,
    event,
    body,
    state: 'pending' as const,
    attempts: 0,
    response_code: null,
    error: null,
    created_at: now,
    last_attempt_at: null,
    redelivery_of: null,
  }));
  await executor.insertInto('webhook_deliveries').values(rows).execute();
  await enqueueJobs(
    executor,
    rows.map((row) => ({ name: WEBHOOK_DELIVER_JOB, payload: { deliveryId: row.id }, maxAttempts: WEBHOOK_MAX_ATTEMPTS })),
  );
}
