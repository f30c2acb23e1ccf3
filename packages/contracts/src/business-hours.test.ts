import { describe, expect, it } from 'vitest';
import { BusinessHoursSchema } from './business-hours.js';

const valid = {
  timeZone: 'Asia/Shanghai',
  weekly: { mon: [{ start: '09:00', end: '18:00' }], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
  holidayCalendar: { country: 'CN' },
  extraDaysOff: ['2026-05-06'],
  extraWorkingDays: [],
};

describe('business hours settings', () => {
  it('accepts a schedule and defaults shifted working days to Monday hours', () => {
    expect(BusinessHoursSchema.parse(valid).shiftedWorkdayHoursAs).toBe('mon');
  });

  it('rejects an unknown time zone, an interval across midnight and overlapping intervals', () => {
    expect(BusinessHoursSchema.safeParse({ ...valid, timeZone: 'Mars/Olympus' }).success).toBe(false);
    const night = { ...valid.weekly, mon: [{ start: '22:00', end: '06:00' }] };
    expect(BusinessHoursSchema.safeParse({ ...valid, weekly: night }).success).toBe(false);
    const overlap = {
      ...valid.weekly,
      mon: [
        { start: '13:00', end: '17:00' },
        { start: '09:00', end: '13:30' },
      ],
    };
    expect(BusinessHoursSchema.safeParse({ ...valid, weekly: overlap }).success).toBe(false);
    expect(BusinessHoursSchema.safeParse({ ...valid, weekly: { ...valid.weekly, mon: [{ start: '22:00', end: '24:00' }] } }).success).toBe(
      true,
    );
  });

  it('rejects a date that is both an extra day off and an extra working day, and a malformed date', () => {
    expect(BusinessHoursSchema.safeParse({ ...valid, extraWorkingDays: ['2026-05-06'] }).success).toBe(false);
    expect(BusinessHoursSchema.safeParse({ ...valid, extraDaysOff: ['2026-13-01'] }).success).toBe(false);
  });
});
