import { z } from 'zod';

/** Weekdays in ISO order (Monday first); the keys of `BusinessHours.weekly`. */
export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const WeekdaySchema = z.enum(weekdays);
export type Weekday = z.infer<typeof WeekdaySchema>;

/** A wall-clock time "HH:MM"; "24:00" is allowed as an interval end (midnight at the end of the day). */
const ClockTimeSchema = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'expected HH:MM');

/** Minutes since local midnight of "HH:MM". */
export function minutesOfClockTime(time: string): number {
  const [h, m] = time.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

/**
 * One opening interval inside one local day. Intervals do not cross midnight: a night shift is
 * written as "22:00–24:00" on one day and "00:00–06:00" on the next, so holidays stay whole days.
 */
export const OpeningIntervalSchema = z
  .object({ start: ClockTimeSchema, end: ClockTimeSchema })
  .refine((i) => i.start !== '24:00' && minutesOfClockTime(i.start) < minutesOfClockTime(i.end), {
    message: 'an interval ends after it starts, on the same day (write a night shift as two intervals)',
  });
export type OpeningInterval = z.infer<typeof OpeningIntervalSchema>;

const DayIntervalsSchema = z
  .array(OpeningIntervalSchema)
  .max(8)
  .refine(
    (list) => {
      const sorted = [...list].sort((a, b) => minutesOfClockTime(a.start) - minutesOfClockTime(b.start));
      return sorted.every((i, n) => n === 0 || minutesOfClockTime((sorted[n - 1] as OpeningInterval).end) <= minutesOfClockTime(i.start));
    },
    { message: 'intervals of one day must not overlap' },
  );

const IsoDateSchema = z.iso.date();

/** Whether `Intl` knows the IANA time zone. */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * A mailbox's business hours. Days are decided in this order: `extraDaysOff` (closed), then
 * `extraWorkingDays` (open with the hours of `shiftedWorkdayHoursAs`), then the holiday calendar
 * (public holidays closed; for mainland China the official shifted working weekends, 调休, open
 * like extra working days), then `weekly`.
 */
export const BusinessHoursSchema = z
  .object({
    /** IANA time zone, e.g. "Asia/Shanghai", "Europe/Berlin". */
    timeZone: z.string().min(1).refine(isKnownTimeZone, { message: 'unknown IANA time zone' }),
    weekly: z.object(Object.fromEntries(weekdays.map((d) => [d, DayIntervalsSchema])) as Record<Weekday, typeof DayIntervalsSchema>),
    /** Public holidays of a country (ISO 3166-1 alpha-2) and optional region code, as `date-holidays` names them. */
    holidayCalendar: z
      .object({
        country: z.string().regex(/^[A-Z]{2}$/),
        region: z
          .string()
          .regex(/^[A-Z0-9]{1,3}$/)
          .optional(),
      })
      .nullable(),
    /** Local dates (YYYY-MM-DD) the team does not work, e.g. a company outing. */
    extraDaysOff: z.array(IsoDateSchema).max(1000),
    /** Local dates the team works although the week or the calendar says otherwise, e.g. a 调休 Saturday. */
    extraWorkingDays: z.array(IsoDateSchema).max(1000),
    /** Whose weekly hours a shifted working day (extra or from the calendar) follows. */
    shiftedWorkdayHoursAs: WeekdaySchema.default('mon'),
  })
  .refine((h) => !h.extraDaysOff.some((d) => h.extraWorkingDays.includes(d)), {
    message: 'a date cannot be both an extra day off and an extra working day',
    path: ['extraWorkingDays'],
  });
export type BusinessHours = z.infer<typeof BusinessHoursSchema>;
