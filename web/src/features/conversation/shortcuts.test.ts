import { describe, expect, it } from 'vitest';
import { SHORTCUTS, slotActionForKey } from './ShortcutHelp';
import { SLOT_ACTIONS } from './slots';

describe('keyboard shortcuts', () => {
  it('maps r, a, e, s and # to reply, assign, close, snooze and tags', () => {
    expect(['r', 'a', 'e', 's', '#'].map(slotActionForKey)).toEqual(['reply', 'assign', 'close', 'snooze', 'tags']);
  });

  it('ignores keys that are not shortcuts, including upper case and inherited object keys', () => {
    for (const key of ['R', 'x', 'Enter', 'toString', 'constructor']) expect(slotActionForKey(key)).toBeUndefined();
  });

  it('lists in the help exactly the key each conversation action answers to', () => {
    for (const action of SLOT_ACTIONS) {
      const listed = SHORTCUTS.find((shortcut) => shortcut.id === action);
      expect(listed, action).toBeDefined();
      expect(listed?.keys.map(slotActionForKey)).toEqual([action]);
    }
  });

  it('gives no two help lines the same key', () => {
    const keys = SHORTCUTS.flatMap((shortcut) => shortcut.keys);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
