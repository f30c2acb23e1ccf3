import { describe, expect, it } from 'vitest';
import { importedReceivedAt, mboxSeparatorDate } from './import-files.js';

const now = Date.UTC(2026, 11, 7, 12, 0, 0);

describe('the date of an imported mail', () => {
  it('reads the asctime date of an mbox "From " line as UTC, or with its offset', () => {
    expect(mboxSeparatorDate('From maria@globex.test Mon Jun  1 10:00:00 2025')).toBe(Date.UTC(2025, 5, 1, 10, 0, 0));
    expect(mboxSeparatorDate('From MAILER-DAEMON Tue Feb 13 08:05 2024')).toBe(Date.UTC(2024, 1, 13, 8, 5, 0));
    expect(mboxSeparatorDate('From a@b.c Thu Jan 15 09:30:12 +0800 2026')).toBe(Date.UTC(2026, 0, 15, 1, 30, 12));
  });

  it('finds no date on a bare or garbled separator, nor one before 1990', () => {
    expect(mboxSeparatorDate('From ')).toBeNull();
    expect(mboxSeparatorDate('From the warehouse: shipped today')).toBeNull();
    expect(mboxSeparatorDate('From a@b.c Xyz Foo 32 10:00:00 2025')).toBeNull();
    expect(mboxSeparatorDate('From a@b.c Thu Jan  1 00:00:00 1970')).toBeNull();
  });

  it('prefers the delivery stamp, then the Date header, then the file time, then now', () => {
    const filedAt = Date.UTC(2025, 5, 1);
    const headerDate = Date.UTC(2025, 4, 31);
    const fileTime = Date.UTC(2025, 6, 1);
    expect(importedReceivedAt({ filedAt, headerDate, fileTime }, now)).toBe(filedAt);
    expect(importedReceivedAt({ filedAt: null, headerDate, fileTime }, now)).toBe(headerDate);
    expect(importedReceivedAt({ filedAt: null, headerDate: null, fileTime }, now)).toBe(fileTime);
    expect(importedReceivedAt({ filedAt: null, headerDate: null, fileTime: null }, now)).toBe(now);
  });

  it('does not believe dates in the future or before 1990, and drops fractions of a millisecond', () => {
    const future = now + 86_400_000;
    expect(importedReceivedAt({ filedAt: future, headerDate: Date.UTC(1970, 0, 1), fileTime: 1_700_000_000_123.75 }, now)).toBe(
      1_700_000_000_123,
    );
    expect(importedReceivedAt({ filedAt: null, headerDate: Number.NaN, fileTime: future }, now)).toBe(now);
  });
});
