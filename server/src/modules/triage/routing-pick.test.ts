import { describe, expect, it } from 'vitest';
import { pickAgent } from './routing-pick.js';

const team = (opens: Record<string, number>) => Object.entries(opens).map(([userId, open]) => ({ userId, open }));

describe('pickAgent', () => {
  it('manual leaves every conversation in the pool', () => {
    expect(pickAgent('manual', team({ a: 0 }), null, null)).toBeNull();
  });

  it('round-robin walks the ring by user id after the cursor, wrapping round', () => {
    const members = team({ c: 0, a: 0, b: 0 });
    expect(pickAgent('round_robin', members, null, null)).toBe('a');
    expect(pickAgent('round_robin', members, 'a', null)).toBe('b');
    expect(pickAgent('round_robin', members, 'b', null)).toBe('c');
    expect(pickAgent('round_robin', members, 'c', null)).toBe('a');
    // The cursor's member left the team (or is away): the next one after its place.
    expect(pickAgent('round_robin', team({ a: 0, c: 0 }), 'b', null)).toBe('c');
  });

  it('skips agents at the cap; everyone at the cap keeps it in the pool', () => {
    expect(pickAgent('round_robin', team({ a: 0, b: 2, c: 1 }), 'a', 2)).toBe('c');
    expect(pickAgent('least_open', team({ a: 2, b: 2 }), null, 2)).toBeNull();
    expect(pickAgent('round_robin', team({ a: 3, b: 2 }), null, 2)).toBeNull();
  });

  it('least-open takes the fewest open, ties in ring order after the cursor', () => {
    expect(pickAgent('least_open', team({ a: 3, b: 1, c: 2 }), null, null)).toBe('b');
    expect(pickAgent('least_open', team({ a: 1, b: 1, c: 1 }), 'a', null)).toBe('b');
    expect(pickAgent('least_open', team({ a: 1, b: 1, c: 1 }), 'c', null)).toBe('a');
  });

  it('nobody available: null', () => {
    expect(pickAgent('round_robin', [], null, null)).toBeNull();
    expect(pickAgent('least_open', [], 'x', 1)).toBeNull();
  });
});
