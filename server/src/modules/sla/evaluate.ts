import type { Insertable, Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ConversationSlaTable } from '../../db/tables/sla.js';
import { workingMillisBetween } from '../business-hours/index.js';
import { businessHoursOfMailbox, slaPolicyOfMailbox } from '../mailbox-settings/index.js';
import { type ClockState, dueTimes, pauseClock, resumeClock, usedMillis, walkMessages } from './sla-clock.js';
import { selectSlaConversation, selectSlaMessages } from './sla-queries.js';

const MINUTE = 60_000;

/** Statuses that stop the clock: waiting on the customer, and closed (nothing is owed). Snoozed keeps running. */
const PAUSING = new Set(['pending', 'closed']);

/**
 * Brings a conversation's SLA row up to date at `now`: the reply owed (from its messages), the
 * clock's pauses (from its status as seen now), the due and 80 % instants under the mailbox's hours
 * and policy, and the first reply for the reports. Idempotent; true when the due time changed.
 * An evaluation that changes nothing writes nothing: every write moves the data version and so
 * empties every node's list cache (decision 0014), and most re-evaluations (the minute job after
 * the new-message subscriber already ran, a tag or assignee change) find the row as it was.
 * `updated_at` is therefore when the row last changed, not when it was last evaluated.
 */
export async function evaluateConversationSla(
  db: Kysely<Database>,
  conversationId: string,
  now: number,
  settings?: SlaSettingsMemo,
): Promise<boolean> {
  return storeSlaEvaluation(db, await computeConversationSla(db, conversationId, now, settings));
}

/** What an evaluation writes: the row (or its removal), nothing when the stored row is current. */
export type SlaEvaluation =
  | { conversationId: string; write: 'none' }
  | { conversationId: string; write: 'delete' }
  | { conversationId: string; write: 'upsert'; row: Omit<Insertable<ConversationSlaTable>, 'conversation_id'>; moved: boolean };

/**
 * The reading half of an evaluation (several queries per conversation). The minute sweep runs it
 * outside its write transaction, so that transaction holds only the writes: 25 evaluations' reads
 * inside it kept it open 3–8 s on a loaded machine (and 20–30 s under bench:api's push), holding a
 * pool connection and row locks meanwhile. Reading outside changes nothing for PostgreSQL (read
 * committed: each statement saw a fresh snapshot anyway); a write racing it is re-evaluated when
 * it moves `conversations.updated_at`, as before.
 */
export async function computeConversationSla(
  db: Kysely<Database>,
  conversationId: string,
  now: number,
  settings?: SlaSettingsMemo,
): Promise<SlaEvaluation> {
  const conversation = await selectSlaConversation(db, conversationId);
  const mailboxId = conversation?.mailboxId;
  if (!conversation || !mailboxId) return { conversationId, write: 'delete' };
  const [hours, policy, messages, stored] = await Promise.all([
    remembered(settings, `hours:${mailboxId}`, () => businessHoursOfMailbox(db, mailboxId)),
    remembered(settings, `policy:${mailboxId}:${conversation.priority}`, () => slaPolicyOfMailbox(db, mailboxId, conversation.priority)),
    selectSlaMessages(db, conversationId),
    db.selectFrom('conversation_sla').selectAll().where('conversation_id', '=', conversationId).executeTakeFirst(),
  ]);
  const walk = walkMessages(messages);
  const storedClock: ClockState | null =
    stored?.phase && stored.started_at !== null
      ? {
          phase: stored.phase,
          startedAt: Number(stored.started_at),
          targetMs: Number(stored.target_ms ?? 0),
          consumedMs: Number(stored.consumed_ms),
          runningSince: stored.running_since === null ? null : Number(stored.running_since),
        }
      : null;

  let clock: ClockState | null = null;
  let warnedAt = stored?.warned_at ?? null;
  let breachedAt = stored?.breached_at ?? null;
  const targetMinutes = walk.owed ? (walk.owed.phase === 'first_reply' ? policy.firstReplyMinutes : policy.nextReplyMinutes) : null;
  if (walk.owed && targetMinutes !== null) {
    const same = storedClock?.phase === walk.owed.phase && storedClock.startedAt === walk.owed.since;
    clock =
      same && storedClock
        ? { ...storedClock, targetMs: targetMinutes * MINUTE }
        : {
            phase: walk.owed.phase,
            startedAt: walk.owed.since,
            targetMs: targetMinutes * MINUTE,
            consumedMs: 0,
            runningSince: walk.owed.since,
          };
    if (!same) {
      warnedAt = null;
      breachedAt = null;
    }
    clock = PAUSING.has(conversation.status) ? pauseClock(hours, clock, Math.max(now, clock.runningSince ?? now)) : resumeClock(clock, now);
  }

  // The first reply, once, for the reports: working time with the pauses the clock saw.
  let firstReply = {
    at: stored?.first_reply_at ?? null,
    workingMs: stored?.first_reply_working_ms ?? null,
    targetMs: stored?.first_reply_target_ms ?? null,
  };
  if (walk.firstReplyAt !== null && walk.firstCustomerAt !== null && Number(firstReply.at) !== walk.firstReplyAt) {
    const sawIt = storedClock?.phase === 'first_reply' && storedClock.startedAt === walk.firstCustomerAt;
    firstReply = {
      at: walk.firstReplyAt,
      workingMs:
        sawIt && storedClock
          ? usedMillis(hours, storedClock, walk.firstReplyAt)
          : workingMillisBetween(hours, new Date(walk.firstCustomerAt), new Date(walk.firstReplyAt)),
      targetMs: policy.firstReplyMinutes * MINUTE,
    };
  }

  const { dueAt, warnAt } = clock ? dueTimes(hours, clock) : { dueAt: null, warnAt: null };
  const row = {
    mailbox_id: mailboxId,
    phase: clock?.phase ?? null,
    started_at: clock?.startedAt ?? null,
    target_ms: clock?.targetMs ?? null,
    consumed_ms: clock?.consumedMs ?? 0,
    running_since: clock?.runningSince ?? null,
    due_at: dueAt,
    warn_at: warnAt,
    warned_at: clock ? warnedAt : null,
    breached_at: clock ? breachedAt : null,
    first_customer_at: walk.firstCustomerAt,
    first_reply_at: firstReply.at,
    first_reply_working_ms: firstReply.workingMs,
    first_reply_target_ms: firstReply.targetMs,
    updated_at: now,
  };
  if (stored && unchanged(stored, row)) return { conversationId, write: 'none' };
  return { conversationId, write: 'upsert', row, moved: (stored?.due_at ?? null) !== dueAt || (stored?.phase ?? null) !== row.phase };
}

/** The writing half: true when the due time (or phase) moved. */
export async function storeSlaEvaluation(db: Kysely<Database>, evaluation: SlaEvaluation): Promise<boolean> {
  if (evaluation.write === 'none') return false;
  if (evaluation.write === 'delete') {
    await db.deleteFrom('conversation_sla').where('conversation_id', '=', evaluation.conversationId).execute();
    return false;
  }
  await db
    .insertInto('conversation_sla')
    .values({ conversation_id: evaluation.conversationId, ...evaluation.row })
    .onConflict((oc) => oc.column('conversation_id').doUpdateSet(evaluation.row))
    .execute();
  return evaluation.moved;
}

/**
 * Business hours and policies read once per minute run (its up to 500 conversations are of a few
 * mailboxes: two statements of the eight per conversation were these same rows again).
 */
export type SlaSettingsMemo = Map<string, Promise<unknown>>;

function remembered<T>(memo: SlaSettingsMemo | undefined, key: string, read: () => Promise<T>): Promise<T> {
  if (!memo) return read();
  const known = memo.get(key) as Promise<T> | undefined;
  if (known) return known;
  const reading = read();
  memo.set(key, reading);
  return reading;
}

/** The stored row already holds every value of `row` (updated_at aside). Numbers compare as numbers (PostgreSQL int8). */
function unchanged(stored: Record<string, unknown>, row: Record<string, unknown>): boolean {
  return Object.entries(row).every(([column, value]) => {
    if (column === 'updated_at') return true;
    const was = stored[column];
    return value === null || was === null || was === undefined ? value === (was ?? null) : String(value) === String(was);
  });
}
