import { describe, expect, it } from 'vitest';
import { createMovableClock, systemClock } from './clock.js';

describe('clock', () => {
  it('a movable clock runs with the system clock plus what it was moved forward', () => {
    const clock = createMovableClock();
    const before = Date.now();
    expect(clock.now()).toBeGreaterThanOrEqual(before);
    const moved = clock.advance(60_000);
    expect(moved).toBeGreaterThanOrEqual(before + 60_000);
    expect(clock.now() - Date.now()).toBeGreaterThanOrEqual(59_999);
    expect(Math.abs(systemClock.now() - Date.now())).toBeLessThan(50);
  });

  it('refuses to move back, so a job queued at the system time stays due', () => {
    const clock = createMovableClock();
    expect(() => clock.advance(-1)).toThrow(/only moves forward/);
    expect(() => clock.advance(Number.NaN)).toThrow(/only moves forward/);
  });
});
