import { MailCategorySchema } from '@pier/contracts';
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { enqueueJob, enqueueJobs } from '../../jobs/queue.js';
import { type AnyJobHandler, defineJob } from '../../jobs/registry.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Domain events, delivered at least once through the durable job queue.
 * Publishing inside the transaction that stored the cause means an event
 * exists exactly when its cause was committed. Each subscriber then gets its
 * own job, so one slow or failing subscriber (fraud checks, rules, SLA) never
 * delays or repeats another. Subscribers must be idempotent.
 */
export const messageReceivedEvent = z.object({
  messageId: z.string(),
  conversationId: z.string(),
  /** The mailbox whose copy made the message new to Pier. */
  mailboxId: z.string(),
  direction: z.enum(['in', 'out']),
  source: z.enum(['smtp', 'imap', 'import']),
  receivedAt: z.number(),
});
export type MessageReceivedEvent = z.infer<typeof messageReceivedEvent>;

/**
 * An incoming message's facts are stored (category, language, country; decision 0031): what rules
 * and auto-replies act on, published by the mail-facts subscriber in the transaction that stored them.
 */
export const messageClassifiedEvent = messageReceivedEvent.extend({
  category: MailCategorySchema,
  /** The mail itself allows an automatic answer (RFC 3834): a person's, without Auto-Submitted etc. */
  mayAutoReply: z.boolean(),
  language: z.string().nullable(),
  country: z.string().nullable(),
});
export type MessageClassifiedEvent = z.infer<typeof messageClassifiedEvent>;

const EVENTS = { 'message.received': messageReceivedEvent, 'message.classified': messageClassifiedEvent } as const;
export type EventName = keyof typeof EVENTS;
export type EventPayload<N extends EventName> = z.infer<(typeof EVENTS)[N]>;

const dispatchJobName = (event: EventName) => `event:${event}`;

/** Records the event in the caller's transaction; delivery starts after commit. */
export async function publishEvent<N extends EventName>(executor: Db, event: N, payload: EventPayload<N>): Promise<void> {
  await enqueueJob(executor, { name: dispatchJobName(event), payload });
}

/** Records one event per payload in the caller's transaction (one statement for a batch). */
export async function publishEvents<N extends EventName>(executor: Db, event: N, payloads: EventPayload<N>[]): Promise<void> {
  if (payloads.length === 0) return;
  await enqueueJobs(
    executor,
    payloads.map((payload) => ({ name: dispatchJobName(event), payload })),
  );
}

export type EventSubscriber<N extends EventName = EventName> = {
  /** Unique job name, e.g. `fraud.assess`. */
  name: string;
  event: N;
  /** Deduplicates queued deliveries of the same event to this subscriber. */
  key(payload: EventPayload<N>): string;
  run(payload: EventPayload<N>): Promise<void>;
  /** Deliveries of one group run one at a time on a worker (JobHandler.serialGroup). */
  serialGroup?: string;
};

export function defineSubscriber<N extends EventName>(subscriber: EventSubscriber<N>): EventSubscriber {
  return subscriber as unknown as EventSubscriber;
}

/**
 * The worker's handlers for events: one dispatcher per event, fanning out to a
 * job per subscriber in one transaction, and one handler per subscriber.
 */
export function eventJobHandlers(db: Kysely<Database>, subscribers: readonly EventSubscriber[]): AnyJobHandler[] {
  const dispatchers = (Object.keys(EVENTS) as EventName[]).map((event) =>
    defineJob({
      name: dispatchJobName(event),
      payload: EVENTS[event],
      run: async (payload) => {
        const targets = subscribers.filter((s) => s.event === event);
        if (targets.length === 0) return;
        // Multi-row INSERTs (11 rows each) in one transaction, not a round trip per subscriber: this
        // job runs once per stored mail, and its ~12 single INSERTs were most of its CPU.
        await db.transaction().execute(async (trx) => {
          await enqueueJobs(
            trx,
            targets.map((s) => ({ name: s.name, payload, dedupeKey: `${s.name}:${s.key(payload)}` })),
          );
        });
      },
    }),
  );
  const handlers = subscribers.map((s) =>
    defineJob({
      name: s.name,
      payload: EVENTS[s.event],
      run: (payload) => s.run(payload),
      ...(s.serialGroup ? { serialGroup: s.serialGroup } : {}),
    }),
  );
  return [...dispatchers, ...handlers];
}
