import type { BusinessHours } from '@pier/contracts';
import { addWorkingTime, workingMillisBetween } from '../business-hours/index.js';

/** A message of the conversation as the SLA sees it: the customer's, or a person's reply (never an auto-reply). */
export type SlaMessage = { at: number; side: 'customer' | 'agent' };
export type SlaPhase = 'first_reply' | 'next_reply';

/** The reply the messages say is owed: since when, and which kind. */
export type OwedReply = { phase: SlaPhase; since: number } | null;

/** What the messages alone say: the reply owed now, and the first reply (for reports). */
export interface MessageWalk {
  owed: OwedReply;
  firstCustomerAt: number | null;
  /** The first person's reply after the first customer message. */
  firstReplyAt: number | null;
}

/**
 * Walks the messages in time order. The first customer message starts the first-reply clock; a
 * person's reply stops it; the next customer message after a reply starts the next-reply clock
 * (further customer messages before a reply do not restart it: the oldest unanswered one counts).
 * A conversation Pier's side started owes a "next" reply only once the customer answers.
 */
export function walkMessages(messages: readonly SlaMessage[]): MessageWalk {
  const sorted = [...messages].sort((a, b) => a.at - b.at);
  let owed: OwedReply = null;
  let firstCustomerAt: number | null = null;
  let firstReplyAt: number | null = null;
  let anyAgent = false;
  for (const m of sorted) {
    if (m.side === 'customer') {
      if (firstCustomerAt === null) firstCustomerAt = m.at;
      if (owed === null) owed = { phase: anyAgent ? 'next_reply' : 'first_reply', since: m.at };
    } else {
      anyAgent = true;
      if (owed?.phase === 'first_reply' && firstReplyAt === null) firstReplyAt = m.at;
      owed = null;
    }
  }
  return { owed, firstCustomerAt, firstReplyAt };
}

/** The stored state of a running clock (conversation_sla), in working milliseconds. */
export interface ClockState {
  phase: SlaPhase;
  startedAt: number;
  targetMs: number;
  /** Working time used before `runningSince` (earlier stretches, before a pause). */
  consumedMs: number;
  /** When the clock last started running; null while paused (waiting on the customer, or closed). */
  runningSince: number | null;
}

/** The due and warning instants of a running clock; null while paused. Past instants stay past (a breach stays a breach). */
export function dueTimes(hours: BusinessHours, clock: ClockState, warnRatio = 0.8): { dueAt: number | null; warnAt: number | null } {
  if (clock.runningSince === null) return { dueAt: null, warnAt: null };
  const at = (target: number) => {
    const left = target - clock.consumedMs;
    // Used up before the last pause: the moment it ran out is not known exactly any more; the
    // resume is the first instant we can say it is over.
    if (left <= 0) return clock.runningSince as number;
    // null: the hours have no opening within three years (the settings screen says so).
    return addWorkingTime(hours, new Date(clock.runningSince as number), left)?.getTime() ?? null;
  };
  return { dueAt: at(clock.targetMs), warnAt: at(Math.round(clock.targetMs * warnRatio)) };
}

/** Stops the clock at `now` (the conversation waits on the customer, or was closed). */
export function pauseClock(hours: BusinessHours, clock: ClockState, now: number): ClockState {
  if (clock.runningSince === null) return clock;
  const used = now > clock.runningSince ? workingMillisBetween(hours, new Date(clock.runningSince), new Date(now)) : 0;
  return { ...clock, consumedMs: clock.consumedMs + used, runningSince: null };
}

/** Starts a paused clock again at `now`. */
export function resumeClock(clock: ClockState, now: number): ClockState {
  return clock.runningSince === null ? { ...clock, runningSince: now } : clock;
}

/** Working time the clock has used by `at` (pauses excluded). */
export function usedMillis(hours: BusinessHours, clock: ClockState, at: number): number {
  if (clock.runningSince === null || at <= clock.runningSince) return clock.consumedMs;
  return clock.consumedMs + workingMillisBetween(hours, new Date(clock.runningSince), new Date(at));
}
