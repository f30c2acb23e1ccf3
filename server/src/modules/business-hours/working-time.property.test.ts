import { type BusinessHours, BusinessHoursSchema } from '@pier/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addWorkingTime, nextBusinessOpening, workingMillisBetween } from './index.js';

const office = [
  { start: '08:30', end: '12:00' },
  { start: '13:00', end: '17:30' },
];
const zones = [
  { timeZone: 'Europe/Berlin', holidayCalendar: { country: 'DE' } },
  { timeZone: 'America/New_York', holidayCalendar: { country: 'US' } },
  { timeZone: 'Asia/Shanghai', holidayCalendar: { country: 'CN' } },
  { timeZone: 'Australia/Sydney', holidayCalendar: null },
] as const;
const schedules: BusinessHours[] = zones.map((z) =>
  BusinessHoursSchema.parse({
    ...z,
    // A night interval through the small hours makes DST switches land inside open time.
    weekly: { mon: office, tue: office, wed: office, thu: office, fri: office, sat: [{ start: '01:00', end: '04:00' }], sun: [] },
    extraDaysOff: ['2026-06-15'],
    extraWorkingDays: ['2026-06-21'],
  }),
);

const instant = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 0, 1) }).map((ms) => new Date(ms));
const schedule = fc.constantFrom(...schedules);

describe('addWorkingTime and workingMillisBetween are inverses', () => {
  it('counts back exactly the working time that was added', () => {
    fc.assert(
      fc.property(schedule, instant, fc.integer({ min: 0, max: 300 * 3_600_000 }), (hours, start, millis) => {
        const due = addWorkingTime(hours, start, millis);
        expect(due).not.toBeNull();
        expect(workingMillisBetween(hours, start, due as Date)).toBe(millis);
      }),
      { numRuns: 150 },
    );
  });

  it('adding the working time between two instants reaches the second one or the last closing before it', () => {
    fc.assert(
      fc.property(schedule, instant, instant, (hours, x, y) => {
        const [a, b] = x <= y ? [x, y] : [y, x];
        const due = addWorkingTime(hours, a, workingMillisBetween(hours, a, b)) as Date;
        expect(due.getTime()).toBeLessThanOrEqual(b.getTime());
        expect(workingMillisBetween(hours, due, b)).toBe(0);
      }),
      { numRuns: 100 },
    );
  });

  it('never finds working time between an instant and the next opening after it', () => {
    fc.assert(
      fc.property(schedule, instant, (hours, t) => {
        const opening = nextBusinessOpening(hours, t) as Date;
        expect(opening.getTime()).toBeGreaterThanOrEqual(t.getTime());
        expect(workingMillisBetween(hours, t, opening)).toBe(0);
      }),
      { numRuns: 150 },
    );
  });
});
