import { describe, expect, it } from 'vitest';
import { noteExcerpt } from './actions.js';

describe('noteExcerpt', () => {
  it('keeps a short note whole, on one line', () => {
    expect(noteExcerpt('  @Li Wei   please\n\ncheck the stock ')).toBe('@Li Wei please check the stock');
  });
  it('cuts a long note at 120 characters with an ellipsis, never inside a Chinese character pair', () => {
    const long = '请确认库存'.repeat(40);
    const excerpt = noteExcerpt(long);
    expect([...excerpt]).toHaveLength(120);
    expect(excerpt.endsWith('…')).toBe(true);
    expect(excerpt.startsWith('请确认库存')).toBe(true);
    // Cut by code points: no half of a surrogate pair (encodeURIComponent throws on one).
    expect(() => encodeURIComponent(noteExcerpt('🙂'.repeat(130)))).not.toThrow();
  });
});
