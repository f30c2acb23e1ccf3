import { describe, expect, it } from 'vitest';
import { PresenceTable } from './presence.js';

const base = { conversationId: 'c1', mailboxIds: ['m1'], expiresAt: Date.now() + 60_000 };

describe('presence table', () => {
  it('shows one line per person, replying over viewing, and reports only visible changes', () => {
    const table = new PresenceTable();
    expect(table.apply({ ...base, connectionId: 'a1', userId: 'li', name: 'Li Wei', state: 'viewing' })).toBe(true);
    expect(table.apply({ ...base, connectionId: 'a2', userId: 'li', name: 'Li Wei', state: 'replying' })).toBe(true);
    expect(table.apply({ ...base, connectionId: 'b1', userId: 'zhang', name: 'Zhang Min', state: 'viewing' })).toBe(true);
    expect(table.people('c1')).toEqual([
      { userId: 'li', name: 'Li Wei', state: 'replying' },
      { userId: 'zhang', name: 'Zhang Min', state: 'viewing' },
    ]);
    // A refresh of the same state changes nothing others see.
    expect(table.apply({ ...base, connectionId: 'b1', userId: 'zhang', name: 'Zhang Min', state: 'viewing' })).toBe(false);
    expect(table.apply({ ...base, connectionId: 'a2', userId: 'li', name: 'Li Wei', state: null })).toBe(true);
    expect(table.people('c1')[0]).toEqual({ userId: 'li', name: 'Li Wei', state: 'viewing' });
  });

  it('forgets entries that were not refreshed in time', () => {
    const table = new PresenceTable();
    const now = Date.now();
    table.apply({ ...base, connectionId: 'a1', userId: 'li', name: 'Li Wei', state: 'viewing', expiresAt: now + 1_000 });
    table.apply({ ...base, connectionId: 'b1', userId: 'zhang', name: 'Zhang Min', state: 'viewing', expiresAt: now + 60_000 });
    expect(table.expire(now + 2_000)).toEqual([{ conversationId: 'c1', mailboxIds: ['m1'] }]);
    expect(table.people('c1').map((p) => p.name)).toEqual(['Zhang Min']);
    expect(table.expire(now + 120_000)).toHaveLength(1);
    expect(table.people('c1')).toEqual([]);
  });
});
