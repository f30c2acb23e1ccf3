import type { BusinessHours } from '@pier/contracts';
import { describe, expect, it } from 'vitest';
import { unansweredWorkingMillis } from './schedule.js';

const HOUR = 60 * 60_000;
const day = [{ start: '09:00', end: '18:00' }];
const shanghai: BusinessHours = {
  timeZone: 'Asia/Shanghai',
  weekly: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] },
  holidayCalendar: { country: 'CN' },
  extraDaysOff: [],
  extraWorkingDays: [],
  shiftedWorkdayHoursAs: 'mon',
};
const at = (iso: string) => new Date(iso).getTime();

describe('unansweredWorkingMillis (schedule rules: "open and unanswered after N working hours")', () => {
  it('counts plain time for a mailbox without business hours', () => {
    expect(unansweredWorkingMillis(null, at('2026-12-04T09:00:00Z'), at('2026-12-04T12:30:00Z'))).toBe(3.5 * HOUR);
  });
  it('skips the night and the weekend: Friday 17:00 → Monday 10:00 in Shanghai is 2 working hours', () => {
    expect(unansweredWorkingMillis(shanghai, at('2026-12-04T17:00:00+08:00'), at('2026-12-07T10:00:00+08:00'))).toBe(2 * HOUR);
  });
  it('a National Day holiday week counts nothing; the 调休 Saturday after it counts', () => {
    // 2025-10-01..08 are holidays; Saturday 2025-10-11 is a shifted working day.
    expect(unansweredWorkingMillis(shanghai, at('2025-10-01T09:00:00+08:00'), at('2025-10-08T18:00:00+08:00'))).toBe(0);
    expect(unansweredWorkingMillis(shanghai, at('2025-10-11T09:00:00+08:00'), at('2025-10-11T12:00:00+08:00'))).toBe(3 * HOUR);
  });
  it('never negative', () => {
    expect(unansweredWorkingMillis(null, at('2026-12-04T12:00:00Z'), at('2026-12-04T11:00:00Z'))).toBe(0);
  });
});
