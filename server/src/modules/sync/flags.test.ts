import { describe, expect, it } from 'vitest';
import { storedFlags } from './flags.js';

describe('storedFlags', () => {
  it('drops the per-session \\Recent mark in any case and keeps the other flags sorted', () => {
    expect(storedFlags(new Set(['\\Seen', '\\Recent', '\\Flagged']))).toEqual(['\\Flagged', '\\Seen']);
    expect(storedFlags(['\\RECENT', '$Label1', '\\recent'])).toEqual(['$Label1']);
    expect(storedFlags(['\\Recent'])).toEqual([]);
    expect(storedFlags(undefined)).toEqual([]);
  });
});
