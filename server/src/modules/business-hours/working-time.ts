import { type BusinessHours, minutesOfClockTime, type Weekday, weekdays } from '@pier/contracts';
import { DateTime, IANAZone } from 'luxon';
import { calendarDayKind } from './holiday-calendar.js';

/**
 * Working time under a mailbox's business hours, as real elapsed milliseconds (an interval
 * 01:00–04:00 on the night clocks spring forward is two hours of work, on the night they fall
 * back four). The functions walk local days, never minutes: a year is ~366 steps, each a few
 * offset look-ups in luxon's IANA zone (cached Intl formatters); luxon's full wall-clock
 * conversion runs only next to an offset change (Intl alone cannot turn a wall-clock time in a
 * zone into an instant). A wall-clock time that does not exist (inside a spring-forward gap)
 * moves forward by the gap, as luxon does; an ambiguous one (fall back) takes luxon's choice.
 */

/** How far the walk looks for an opening before it decides the schedule has none. */
const maxIdleDays = 3 * 366;
const dayMillis = 86_400_000;

type Period = readonly [start: number, end: number];

/** A local calendar day, numbered as days since 1970-01-01 (its UTC fields are the local date). */
type DayNumber = number;

function dayNumberAt(zone: IANAZone, t: number): DayNumber {
  return Math.floor((t + zone.offset(t) * 60_000) / dayMillis);
}

/**
 * The instant of a local wall-clock time. The plain offset arithmetic is exact unless the offset
 * changes near that time; there luxon decides (gap: forward by its length; overlap: its choice).
 */
function instantOf(zone: IANAZone, day: DayNumber, minutes: number): number {
  if (minutes === 24 * 60) return instantOf(zone, day + 1, 0);
  const wall = day * dayMillis + minutes * 60_000;
  const guess = wall - zone.offset(wall) * 60_000;
  if (zone.offset(guess) === zone.offset(wall) && zone.offset(guess - 3_600_000) === zone.offset(guess + 3_600_000)) return guess;
  const date = new Date(day * dayMillis);
  return DateTime.fromObject(
    {
      year: date.getUTCFullYear(),
      month: date.getUTCMonth() + 1,
      day: date.getUTCDate(),
      hour: Math.floor(minutes / 60),
      minute: minutes % 60,
    },
    { zone },
  ).toMillis();
}

/** Local midnights by zone and day; zone rules do not change while the process runs. */
const midnights = new Map<string, number>();

function midnightOf(zone: IANAZone, day: DayNumber): number {
  const key = `${zone.name}|${day}`;
  let t = midnights.get(key);
  if (t === undefined) {
    if (midnights.size > 200_000) midnights.clear();
    t = instantOf(zone, day, 0);
    midnights.set(key, t);
  }
  return t;
}

/** The open periods of one local day, as [start, end) instants in ms, ascending and disjoint. */
function openPeriodsOn(hours: BusinessHours, zone: IANAZone, day: DayNumber): Period[] {
  const label = new Date(day * dayMillis);
  const date = label.toISOString().slice(0, 10);
  let weekday = weekdays[(label.getUTCDay() + 6) % 7] as Weekday;
  if (hours.extraDaysOff.includes(date)) return [];
  if (hours.extraWorkingDays.includes(date)) weekday = hours.shiftedWorkdayHoursAs;
  else {
    const kind = calendarDayKind(hours.holidayCalendar, date);
    if (kind === 'holiday') return [];
    if (kind === 'shifted-workday') weekday = hours.shiftedWorkdayHoursAs;
  }
  const intervals = [...hours.weekly[weekday]].sort((a, b) => minutesOfClockTime(a.start) - minutesOfClockTime(b.start));
  const periods: Period[] = [];
  const midnight = midnightOf(zone, day);
  // A day of exactly 24 hours has no offset change: local minutes are plain additions.
  const plainDay = midnightOf(zone, day + 1) - midnight === dayMillis;
  const instant = (minutes: number) => (plainDay ? midnight + minutes * 60_000 : instantOf(zone, day, minutes));
  for (const interval of intervals) {
    const start = Math.max(instant(minutesOfClockTime(interval.start)), periods.at(-1)?.[1] ?? -Infinity);
    const end = instant(minutesOfClockTime(interval.end));
    if (end > start) periods.push([start, end]);
  }
  return periods;
}

function zoneOf(hours: BusinessHours): IANAZone {
  const zone = IANAZone.create(hours.timeZone);
  if (!zone.isValid) throw new Error(`unknown time zone ${hours.timeZone}`);
  return zone;
}

/** Working milliseconds in [a, b); 0 when b is not after a. */
export function workingMillisBetween(hours: BusinessHours, a: Date, b: Date): number {
  const from = a.getTime();
  const to = b.getTime();
  if (!(to > from)) return 0;
  let total = 0;
  const zone = zoneOf(hours);
  const last = dayNumberAt(zone, to);
  for (let day = dayNumberAt(zone, from); day <= last; day++) {
    for (const [start, end] of openPeriodsOn(hours, zone, day)) {
      const overlap = Math.min(end, to) - Math.max(start, from);
      if (overlap > 0) total += overlap;
    }
  }
  return total;
}

/**
 * The instant when `millis` of working time have passed since `start` (the due time of "24
 * working hours after this mail arrived"). Work that ends exactly at a closing time is due at
 * that closing time, not at the next opening. Null when the schedule has no opening within
 * three years (e.g. no weekly hours at all).
 */
export function addWorkingTime(hours: BusinessHours, start: Date, millis: number): Date | null {
  const from = start.getTime();
  if (!(millis > 0)) return new Date(from);
  let remaining = millis;
  let idleDays = 0;
  const zone = zoneOf(hours);
  for (let day = dayNumberAt(zone, from); idleDays < maxIdleDays; day++) {
    const periods = openPeriodsOn(hours, zone, day).filter(([, end]) => end > from);
    idleDays = periods.length === 0 ? idleDays + 1 : 0;
    for (const [periodStart, end] of periods) {
      const begin = Math.max(periodStart, from);
      if (end - begin >= remaining) return new Date(begin + remaining);
      remaining -= end - begin;
    }
  }
  return null;
}

/** Whether `t` falls inside an open period (opening time included, closing time excluded). */
export function isWithinBusinessHours(hours: BusinessHours, t: Date): boolean {
  const at = t.getTime();
  const zone = zoneOf(hours);
  return openPeriodsOn(hours, zone, dayNumberAt(zone, at)).some(([start, end]) => start <= at && at < end);
}

/** `t` itself when open, else the next opening after it; null when none within three years. */
export function nextBusinessOpening(hours: BusinessHours, t: Date): Date | null {
  const at = t.getTime();
  const zone = zoneOf(hours);
  const first = dayNumberAt(zone, at);
  for (let day = first; day < first + maxIdleDays; day++) {
    for (const [start, end] of openPeriodsOn(hours, zone, day)) {
      if (start <= at && at < end) return new Date(at);
      if (start > at) return new Date(start);
    }
  }
  return null;
}
