import { describe, expect, it } from 'vitest';
import { sharedRuns } from './prepare-pool.js';

/** A run that stays open until released, recording when each run started. */
function controlledRuns() {
  const started: number[] = [];
  const releases: (() => void)[] = [];
  const run = () => {
    started.push(started.length);
    return new Promise<void>((resolve) => releases.push(resolve));
  };
  const releaseNext = async () => {
    releases.shift()?.();
    // Let the settled run's handlers (and the start of a queued one) happen.
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { run, started, releaseNext };
}

describe('sharedRuns (one flush for overlapping callers)', () => {
  it('makes a caller that arrives during a run wait for the next run, which overlapping callers share', async () => {
    const { run, started, releaseNext } = controlledRuns();
    const flush = sharedRuns(run);
    const done: string[] = [];
    const first = flush().then(() => done.push('first'));
    const second = flush().then(() => done.push('second'));
    const third = flush().then(() => done.push('third'));
    expect(started).toHaveLength(1);

    await releaseNext();
    expect(done).toEqual(['first']);
    // The second and third callers came while run 1 was under way: one new run covers both.
    expect(started).toHaveLength(2);

    await releaseNext();
    await Promise.all([first, second, third]);
    expect(done).toEqual(['first', 'second', 'third']);
    expect(started).toHaveLength(2);
  });

  it('starts at once when nothing runs, and passes a failure to the callers of that run only', async () => {
    let calls = 0;
    const flush = sharedRuns(async () => {
      calls++;
      if (calls === 1) throw new Error('disk full');
    });
    await expect(flush()).rejects.toThrow('disk full');
    await expect(flush()).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });
});
