import { MailCategorySchema } from '@pier/contracts';
import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { measureJobStep } from '../../jobs/job-cpu.js';
import { enqueueJob, enqueueJobs, enqueueRetry } from '../../jobs/queue.js';
import { type AnyJobHandler, defineJob } from '../../jobs/registry.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Domain events, delivered at least once through the durable job queue.
 * Publishing inside the transaction that stored the cause means an event
 * exists exactly when its cause was committed. The event's job runs its
 * subscribers one after another as steps (decision 0073); a step that fails gets
 * a job of its own and retries alone, the others go on. Subscribers of a serial
 * group get their own job at once. Subscribers must be idempotent: a job killed
 * mid-run runs all its steps again.
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
  /**
   * Deliveries of one group run one at a time on a worker (JobHandler.serialGroup); such a
   * subscriber always runs as its own job, never as a step of the event's job.
   */
  serialGroup?: string;
};

export function defineSubscriber<N extends EventName>(subscriber: EventSubscriber<N>): EventSubscriber {
  return subscriber as unknown as EventSubscriber;
}

/**
 * The worker's handlers for events (decision 0073): one job per event, which queues a job for each
 * subscriber of a serial group (one multi-row INSERT) and then runs the other subscribers as steps,
 * in the order given (compose.ts lists them in the order their effects need); and one handler per
 * subscriber, for those jobs and for a step's retries. A failing step is logged and queued as its
 * subscriber's own job with its first attempt counted (retried with backoff, dead after its last
 * attempt, as any job); the next steps run. Per mail this is 1 claim and 1 completion instead of
 * one per subscriber, and a step's CPU is still accounted under its name (`step:` + name).
 */
export function eventJobHandlers(
  db: Kysely<Database>,
  subscribers: readonly EventSubscriber[],
  options: { logger?: Logger; now?: () => number } = {},
): AnyJobHandler[] {
  const now = options.now ?? Date.now;
  const delivery = (s: EventSubscriber, payload: unknown) => ({
    name: s.name,
    payload,
    dedupeKey: `${s.name}:${s.key(payload as EventPayload<EventName>)}`,
  });
  /** Runs one subscriber as a step; on failure hands it to a job of its own. */
  async function runStep(s: EventSubscriber, payload: EventPayload<EventName>) {
    try {
      await measureJobStep(`step:${s.name}`, () => s.run(payload));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await enqueueRetry(db, delivery(s, payload), message, now());
      options.logger?.warn({ job: s.name, err: message }, 'event step failed: retried as its own job');
    }
  }
  const dispatchers = (Object.keys(EVENTS) as EventName[]).map((event) =>
    defineJob({
      name: dispatchJobName(event),
      payload: EVENTS[event],
      run: async (payload) => {
        const targets = subscribers.filter((s) => s.event === event);
        const ownJobs = targets.filter((s) => s.serialGroup);
        // Queued first, so another slot runs them while this job runs its steps.
        if (ownJobs.length > 0)
          await enqueueJobs(
            db,
            ownJobs.map((s) => delivery(s, payload)),
          );
        for (const s of targets) if (!s.serialGroup) await runStep(s, payload);
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
