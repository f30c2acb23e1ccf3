import { describe, expect, it } from 'vitest';
import { leastLoaded, sharedRuns, transferable } from './prepare-pool.js';

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

describe('transferable (the bytes of a mail on their way to a prepare worker)', () => {
  // structuredClone with a transfer list moves buffers exactly as postMessage does.
  const send = (raw: Buffer, handOver: boolean) => {
    const [message, transfer] = transferable(raw, handOver);
    return structuredClone(message, { transfer }).raw;
  };

  it('moves a handed-over buffer that is its whole ArrayBuffer, without a copy', () => {
    const raw = Buffer.concat([Buffer.from('Subject: big\r\n\r\n'), Buffer.alloc(8000, 'x')]);
    const expected = Buffer.from(raw);
    const received = send(raw, true);
    expect(Buffer.from(received)).toEqual(expected);
    // Moved, not copied: the sender's buffer is detached.
    expect(raw.byteLength).toBe(0);
  });

  it('copies a slice of a shared buffer (a small mail from the pool), and anything not handed over', () => {
    const pooled = Buffer.from('Subject: small\r\n\r\nhello');
    expect(pooled.byteLength).toBeLessThan(pooled.buffer.byteLength);
    expect(Buffer.from(send(pooled, true)).toString()).toBe('Subject: small\r\n\r\nhello');
    expect(pooled.toString()).toBe('Subject: small\r\n\r\nhello');

    const whole = Buffer.alloc(8000, 'y');
    expect(Buffer.from(send(whole, false))).toEqual(Buffer.alloc(8000, 'y'));
    expect(whole.byteLength).toBe(8000);
  });
});

describe('leastLoaded (which prepare worker gets the next mail)', () => {
  it('picks the worker with the fewest bytes waiting, so a slow mail does not hold the next ones back', () => {
    const queued = new Map([
      ['a', 900_000],
      ['b', 30_000],
    ]);
    expect(leastLoaded(['a', 'b'], queued)).toBe('b');
    queued.set('b', 2_000_000);
    expect(leastLoaded(['a', 'b'], queued)).toBe('a');
    // None waiting anywhere (a worker not yet sent anything counts as empty): the first.
    expect(leastLoaded(['a', 'b', 'c'], new Map([['a', 10]]))).toBe('b');
    expect(leastLoaded([], queued)).toBeUndefined();
  });
});
