import { describe, expect, it } from 'vitest';
import { calendarDayKind, isKnownHolidayCalendar, officialCalendarCoverage } from './index.js';

describe('holiday calendars', () => {
  it('takes mainland China days off and shifted working weekends from the official arrangement', () => {
    expect(calendarDayKind({ country: 'CN' }, '2025-02-04')).toBe('holiday');
    expect(calendarDayKind({ country: 'CN' }, '2025-02-08')).toBe('shifted-workday');
    expect(calendarDayKind({ country: 'CN' }, '2026-02-14')).toBe('shifted-workday');
    expect(calendarDayKind({ country: 'CN' }, '2025-02-10')).toBe('ordinary');
  });

  it('does not count half-day or group holidays (Women’s Day afternoon) as days off', () => {
    expect(calendarDayKind({ country: 'CN' }, '2027-03-08')).toBe('ordinary');
    expect(calendarDayKind({ country: 'DE' }, '2026-12-24')).toBe('ordinary');
  });

  it('falls back to date-holidays public days in years the official arrangement does not cover yet', () => {
    const { lastYear } = officialCalendarCoverage({ country: 'CN' }) ?? { lastYear: 0 };
    expect(lastYear).toBeGreaterThanOrEqual(2026);
    expect(calendarDayKind({ country: 'CN' }, `${lastYear + 1}-10-01`)).toBe('holiday');
  });

  it('follows regions: Epiphany is off in Bavaria, not in Berlin', () => {
    expect(calendarDayKind({ country: 'DE', region: 'BY' }, '2026-01-06')).toBe('holiday');
    expect(calendarDayKind({ country: 'DE', region: 'BE' }, '2026-01-06')).toBe('ordinary');
  });

  it('counts every day of a multi-day holiday, including those that begin at sunset', () => {
    expect(calendarDayKind({ country: 'AM' }, '2026-01-02')).toBe('holiday');
    const eid = ['2026-03-19', '2026-03-20', '2026-03-21', '2026-03-22', '2026-03-23'].map((d) => calendarDayKind({ country: 'AE' }, d));
    expect(eid).toEqual(['ordinary', 'holiday', 'holiday', 'holiday', 'ordinary']);
  });

  it('has no shifted-weekend coverage to report outside mainland China', () => {
    expect(officialCalendarCoverage({ country: 'DE' })).toBeNull();
    expect(officialCalendarCoverage({ country: 'CN', region: 'HK' })).toBeNull();
  });

  it('knows which countries and regions exist', () => {
    expect(isKnownHolidayCalendar({ country: 'US', region: 'NY' })).toBe(true);
    expect(isKnownHolidayCalendar({ country: 'XX' })).toBe(false);
    expect(isKnownHolidayCalendar({ country: 'DE', region: 'ZZ' })).toBe(false);
  });
});
