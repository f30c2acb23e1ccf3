import chineseDays from 'chinese-days';
import Holidays from 'date-holidays';

/**
 * What a holiday calendar says about one local date. Dates are "YYYY-MM-DD" in the mailbox's
 * own time zone: a holiday is a whole local day wherever the mailbox sits.
 *
 * - Any country: full-day holidays of type "public" from `date-holidays`, each day of a
 *   multi-day one (observances, bank, school and optional days, and partial-day holidays such as
 *   a half day from 12:00, are not days off for a business).
 * - Mainland China ("CN" without a region): `date-holidays` knows neither the official
 *   arrangement (e.g. 2025's Spring Festival is 8 days off, it lists 3) nor the shifted working
 *   weekends (调休). For the years that `chinese-days` covers (it transcribes each year's State
 *   Council notice, the source cited per year in its data) that package decides both; for
 *   later years the calendar falls back to `date-holidays` and reports the gap through
 *   `officialCalendarCoverage`, so an admin can enter the days by hand until the package is updated.
 */
export type CalendarDayKind = 'holiday' | 'shifted-workday' | 'ordinary';

export interface HolidayCalendarRef {
  country: string;
  region?: string | undefined;
}

interface YearDays {
  holidays: Set<string>;
  shiftedWorkdays: Set<string>;
}

const years = new Map<string, YearDays>();
const calendars = new Map<string, Holidays>();

export function calendarDayKind(calendar: HolidayCalendarRef | null, localDate: string): CalendarDayKind {
  if (!calendar) return 'ordinary';
  const days = daysOfYear(calendar, Number(localDate.slice(0, 4)));
  if (days.holidays.has(localDate)) return 'holiday';
  if (days.shiftedWorkdays.has(localDate)) return 'shifted-workday';
  return 'ordinary';
}

/**
 * The years for which the calendar's data is the official arrangement including shifted working
 * days; null when the calendar has no shifted working days to know (every country but mainland China).
 */
export function officialCalendarCoverage(calendar: HolidayCalendarRef): { lastYear: number } | null {
  if (!usesChineseArrangement(calendar)) return null;
  let year = new Date().getUTCFullYear() + 3;
  while (year > 1999 && !chineseArrangementCovers(year)) year--;
  return { lastYear: year };
}

function usesChineseArrangement(calendar: HolidayCalendarRef): boolean {
  return calendar.country === 'CN' && !calendar.region;
}

function chineseArrangementCovers(year: number): boolean {
  return chineseDays.getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false).length > 0;
}

function daysOfYear(calendar: HolidayCalendarRef, year: number): YearDays {
  const key = `${calendar.country}|${calendar.region ?? ''}|${year}`;
  let days = years.get(key);
  if (!days) {
    days =
      usesChineseArrangement(calendar) && chineseArrangementCovers(year)
        ? chineseArrangementOf(year)
        : { holidays: publicHolidaysOf(calendar, year), shiftedWorkdays: new Set() };
    years.set(key, days);
  }
  return days;
}

function chineseArrangementOf(year: number): YearDays {
  const holidays = new Set(chineseDays.getHolidaysInRange(`${year}-01-01`, `${year}-12-31`, false));
  const shiftedWorkdays = new Set<string>();
  for (let d = new Date(Date.UTC(year, 0, 1)); d.getUTCFullYear() === year; d.setUTCDate(d.getUTCDate() + 1)) {
    const weekend = d.getUTCDay() === 0 || d.getUTCDay() === 6;
    if (!weekend) continue;
    const date = d.toISOString().slice(0, 10);
    if (chineseDays.isWorkday(date)) shiftedWorkdays.add(date);
  }
  return { holidays, shiftedWorkdays };
}

function publicHolidaysOf(calendar: HolidayCalendarRef, year: number): Set<string> {
  const key = `${calendar.country}|${calendar.region ?? ''}`;
  let hd = calendars.get(key);
  if (!hd) {
    hd = calendar.region ? new Holidays(calendar.country, calendar.region) : new Holidays(calendar.country);
    calendars.set(key, hd);
  }
  const dates = new Set<string>();
  for (const h of hd.getHolidays(year) || []) {
    // "YYYY-MM-DD hh:mm:ss[ -0600]" in the calendar's own zone; a start after midnight is a partial
    // day. The offset suffix marks holidays that begin at the previous sunset (Eid): the business
    // days are still the dates from the date part on, one per day of the holiday's length.
    if (h.type !== 'public' || h.date.slice(11, 19) !== '00:00:00') continue;
    const days = Math.max(1, Math.round((h.end.getTime() - h.start.getTime()) / 86_400_000));
    const first = Date.parse(`${h.date.slice(0, 10)}T00:00:00Z`);
    for (let n = 0; n < days; n++) dates.add(new Date(first + n * 86_400_000).toISOString().slice(0, 10));
  }
  return dates;
}

/** Whether `date-holidays` knows the country (and region); the settings screen validates with it. */
export function isKnownHolidayCalendar(calendar: HolidayCalendarRef): boolean {
  const countries = new Holidays().getCountries();
  if (!countries[calendar.country]) return false;
  if (!calendar.region) return true;
  return Boolean(new Holidays().getStates(calendar.country)?.[calendar.region]);
}
