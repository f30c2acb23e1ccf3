import { describe, expect, it } from 'vitest';
import { quantile } from './sla-compliance.js';

describe('quantile (nearest rank)', () => {
  it('is the smallest value with at least q of the values at or below it', () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([7], 0.9)).toBe(7);
    expect(quantile([2, 2, 27], 0.5)).toBe(2);
    expect(quantile([2, 2, 27], 0.9)).toBe(27);
    expect(quantile([2, 2, 5, 27], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.5)).toBe(5);
  });
});
