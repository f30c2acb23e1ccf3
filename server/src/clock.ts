/**
 * The time as the server's rules see it: when the undo window ends, when a snoozed conversation
 * wakes, when a job is due, when a session has expired. Passed in through compose.ts, so tests can
 * move it instead of sleeping. Production uses `systemClock`; see docs/decisions/0028-movable-clock.md.
 */
export type Clock = { now(): number };

export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that runs with the system clock, plus what tests moved it forward. Only forward: code
 * that does not take the clock yet (a job queued at the system time) must stay due.
 */
export type MovableClock = Clock & {
  /** Moves the clock `ms` forward; returns the new time. */
  advance(ms: number): number;
};

export function createMovableClock(): MovableClock {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`the clock only moves forward (got ${ms} ms)`);
      offset += ms;
      return Date.now() + offset;
    },
  };
}
