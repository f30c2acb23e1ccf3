import { type BusinessHours, BusinessHoursSchema } from '@pier/contracts';
import { describe, expect, it } from 'vitest';
import { addWorkingTime, isWithinBusinessHours, nextBusinessOpening, workingMillisBetween } from './index.js';

const hour = 3_600_000;
const office = [
  { start: '09:00', end: '12:00' },
  { start: '13:00', end: '17:00' },
];

function schedule(overrides: Partial<BusinessHours> & { days?: Partial<BusinessHours['weekly']> } = {}): BusinessHours {
  const { days, ...rest } = overrides;
  return BusinessHoursSchema.parse({
    timeZone: 'Europe/Berlin',
    weekly: { mon: office, tue: office, wed: office, thu: office, fri: office, sat: [], sun: [], ...days },
    holidayCalendar: { country: 'DE' },
    extraDaysOff: [],
    extraWorkingDays: [],
    ...rest,
  });
}

const allDay = [{ start: '00:00', end: '24:00' }];
const everyDay = { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay };
const at = (iso: string) => new Date(iso);

describe('working time in Berlin office hours (9–12, 13–17, Mon–Fri, German public holidays)', () => {
  const berlin = schedule();

  it('counts nothing over a night', () => {
    expect(workingMillisBetween(berlin, at('2026-01-12T17:00:00+01:00'), at('2026-01-13T09:00:00+01:00'))).toBe(0);
    expect(workingMillisBetween(berlin, at('2026-01-12T16:00:00+01:00'), at('2026-01-13T10:00:00+01:00'))).toBe(2 * hour);
  });

  it('skips the lunch break and the weekend', () => {
    expect(workingMillisBetween(berlin, at('2026-01-12T11:30:00+01:00'), at('2026-01-12T13:30:00+01:00'))).toBe(hour);
    expect(workingMillisBetween(berlin, at('2026-01-16T16:00:00+01:00'), at('2026-01-19T10:00:00+01:00'))).toBe(2 * hour);
  });

  it('skips Good Friday and Easter Monday', () => {
    expect(workingMillisBetween(berlin, at('2026-04-02T16:00:00+02:00'), at('2026-04-07T10:00:00+02:00'))).toBe(2 * hour);
    expect(isWithinBusinessHours(berlin, at('2026-04-03T10:00:00+02:00'))).toBe(false);
  });

  it('gives zero when the end is not after the start', () => {
    expect(workingMillisBetween(berlin, at('2026-01-13T10:00:00+01:00'), at('2026-01-12T10:00:00+01:00'))).toBe(0);
  });

  it('puts "24 working hours after Monday 10:00" on Thursday 14:00', () => {
    expect(addWorkingTime(berlin, at('2026-01-12T10:00:00+01:00'), 24 * hour)?.toISOString()).toBe('2026-01-15T13:00:00.000Z');
  });

  it('starts the clock at the next opening when the mail arrives on a Saturday', () => {
    expect(addWorkingTime(berlin, at('2026-01-10T15:00:00+01:00'), hour)?.toISOString()).toBe('2026-01-12T09:00:00.000Z');
  });

  it('is due at the closing time when the work fits exactly, not at the next opening', () => {
    expect(addWorkingTime(berlin, at('2026-01-12T16:00:00+01:00'), hour)?.toISOString()).toBe('2026-01-12T16:00:00.000Z');
  });

  it('finds the next opening after hours, after lunch and over a holiday weekend', () => {
    expect(nextBusinessOpening(berlin, at('2026-01-16T18:00:00+01:00'))?.toISOString()).toBe('2026-01-19T08:00:00.000Z');
    expect(nextBusinessOpening(berlin, at('2026-01-12T12:30:00+01:00'))?.toISOString()).toBe('2026-01-12T12:00:00.000Z');
    expect(nextBusinessOpening(berlin, at('2026-04-02T17:00:00+02:00'))?.toISOString()).toBe('2026-04-07T07:00:00.000Z');
    expect(nextBusinessOpening(berlin, at('2026-01-12T10:00:00+01:00'))?.toISOString()).toBe('2026-01-12T09:00:00.000Z');
  });

  it('opens at the opening minute and is closed at the closing minute', () => {
    expect(isWithinBusinessHours(berlin, at('2026-01-12T09:00:00+01:00'))).toBe(true);
    expect(isWithinBusinessHours(berlin, at('2026-01-12T17:00:00+01:00'))).toBe(false);
  });

  it('computes a whole year in well under a second, without walking minutes', () => {
    const started = performance.now();
    const millis = workingMillisBetween(berlin, at('2026-01-01T00:00:00+01:00'), at('2027-01-01T00:00:00+01:00'));
    const elapsed = performance.now() - started;
    // 261 weekdays in 2026, of which 7 are national public holidays (3 Oct and 26 Dec fall on Saturdays).
    expect(millis).toBe(254 * 7 * hour);
    expect(elapsed).toBeLessThan(500);
  });
});

describe('admin-entered days', () => {
  it('opens an extra working Saturday with the hours of the weekday it stands for', () => {
    const hours = schedule({
      extraWorkingDays: ['2026-01-10'],
      days: { fri: [{ start: '08:00', end: '14:00' }] },
      shiftedWorkdayHoursAs: 'fri',
    });
    expect(isWithinBusinessHours(hours, at('2026-01-10T08:30:00+01:00'))).toBe(true);
    expect(isWithinBusinessHours(hours, at('2026-01-10T15:00:00+01:00'))).toBe(false);
  });

  it('closes an extra day off and opens an extra working day even on a public holiday', () => {
    const hours = schedule({ extraDaysOff: ['2026-01-12'], extraWorkingDays: ['2026-04-03'] });
    expect(isWithinBusinessHours(hours, at('2026-01-12T10:00:00+01:00'))).toBe(false);
    expect(isWithinBusinessHours(hours, at('2026-04-03T10:00:00+02:00'))).toBe(true);
  });

  it('follows the week alone when no holiday calendar is chosen', () => {
    expect(isWithinBusinessHours(schedule({ holidayCalendar: null }), at('2026-04-03T10:00:00+02:00'))).toBe(true);
  });
});

describe('mainland China with the official shifted working weekends (调休)', () => {
  const shanghai = schedule({
    timeZone: 'Asia/Shanghai',
    holidayCalendar: { country: 'CN' },
    days: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '18:00' }]])),
  });

  it('works on Saturday 8 February 2025 and Sunday 26 January 2025', () => {
    expect(isWithinBusinessHours(shanghai, at('2025-02-08T10:00:00+08:00'))).toBe(true);
    expect(isWithinBusinessHours(shanghai, at('2025-01-26T10:00:00+08:00'))).toBe(true);
    expect(isWithinBusinessHours(shanghai, at('2025-02-15T10:00:00+08:00'))).toBe(false);
  });

  it('is closed for the whole Spring Festival week and the National Day week', () => {
    expect(isWithinBusinessHours(shanghai, at('2025-01-28T10:00:00+08:00'))).toBe(false);
    expect(isWithinBusinessHours(shanghai, at('2025-02-04T10:00:00+08:00'))).toBe(false);
    expect(isWithinBusinessHours(shanghai, at('2025-10-08T10:00:00+08:00'))).toBe(false);
    expect(isWithinBusinessHours(shanghai, at('2025-10-11T10:00:00+08:00'))).toBe(true);
  });

  it('carries a due time over the Spring Festival holiday', () => {
    expect(addWorkingTime(shanghai, at('2025-01-27T17:00:00+08:00'), 2 * hour)?.toISOString()).toBe('2025-02-05T02:00:00.000Z');
    expect(addWorkingTime(shanghai, at('2025-01-25T12:00:00+08:00'), hour)?.toISOString()).toBe('2025-01-26T02:00:00.000Z');
  });
});

describe('daylight saving time', () => {
  it('counts 23 real hours on the spring-forward day and 25 on the fall-back day in Berlin', () => {
    const always = schedule({ days: everyDay, holidayCalendar: null });
    expect(workingMillisBetween(always, at('2026-03-29T00:00:00+01:00'), at('2026-03-30T00:00:00+02:00'))).toBe(23 * hour);
    expect(workingMillisBetween(always, at('2026-10-25T00:00:00+02:00'), at('2026-10-26T00:00:00+01:00'))).toBe(25 * hour);
  });

  it('counts 23 and 25 real hours on the switch days in New York', () => {
    const always = schedule({ timeZone: 'America/New_York', days: everyDay, holidayCalendar: null });
    expect(workingMillisBetween(always, at('2026-03-08T00:00:00-05:00'), at('2026-03-09T00:00:00-04:00'))).toBe(23 * hour);
    expect(workingMillisBetween(always, at('2026-11-01T00:00:00-04:00'), at('2026-11-02T00:00:00-05:00'))).toBe(25 * hour);
  });

  it('shortens an interval across the spring-forward gap and lengthens one across the fall-back hour', () => {
    const night = schedule({ days: { sun: [{ start: '01:00', end: '04:00' }] }, holidayCalendar: null });
    expect(workingMillisBetween(night, at('2026-03-29T00:00:00+01:00'), at('2026-03-30T00:00:00+02:00'))).toBe(2 * hour);
    expect(workingMillisBetween(night, at('2026-10-25T00:00:00+02:00'), at('2026-10-26T00:00:00+01:00'))).toBe(4 * hour);
  });

  it('keeps wall-clock office hours across the switch weekend', () => {
    const berlin = schedule();
    expect(workingMillisBetween(berlin, at('2026-03-27T16:00:00+01:00'), at('2026-03-30T10:00:00+02:00'))).toBe(2 * hour);
    expect(addWorkingTime(berlin, at('2026-10-23T16:00:00+02:00'), 2 * hour)?.toISOString()).toBe('2026-10-26T09:00:00.000Z');
  });
});

describe('a night shift written as two intervals on either side of midnight', () => {
  const nights = schedule({
    days: { mon: [{ start: '22:00', end: '24:00' }], tue: [{ start: '00:00', end: '06:00' }] },
    holidayCalendar: null,
  });

  it('runs through midnight without a gap', () => {
    expect(workingMillisBetween(nights, at('2026-01-12T23:00:00+01:00'), at('2026-01-13T01:00:00+01:00'))).toBe(2 * hour);
    expect(addWorkingTime(nights, at('2026-01-12T23:30:00+01:00'), hour)?.toISOString()).toBe('2026-01-12T23:30:00.000Z');
  });
});

describe('a schedule without any opening', () => {
  const closed = schedule({ days: { mon: [], tue: [], wed: [], thu: [], fri: [] } });

  it('has no due time and no next opening, and counts nothing', () => {
    expect(addWorkingTime(closed, at('2026-01-12T10:00:00+01:00'), hour)).toBeNull();
    expect(nextBusinessOpening(closed, at('2026-01-12T10:00:00+01:00'))).toBeNull();
    expect(workingMillisBetween(closed, at('2026-01-01T00:00:00Z'), at('2027-01-01T00:00:00Z'))).toBe(0);
  });

  it('still returns the start itself for zero working time', () => {
    expect(addWorkingTime(closed, at('2026-01-12T10:00:00+01:00'), 0)?.toISOString()).toBe('2026-01-12T09:00:00.000Z');
  });
});
