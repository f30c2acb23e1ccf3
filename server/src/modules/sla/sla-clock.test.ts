import type { BusinessHours } from '@pier/contracts';
import { describe, expect, it } from 'vitest';
import { type ClockState, dueTimes, pauseClock, resumeClock, usedMillis, walkMessages } from './sla-clock.js';

const H = 3_600_000;
const day = [{ start: '09:00', end: '18:00' }];
// Berlin office week with the German calendar: 2026-12-25 (Fri) and 12-26 (Sat) are holidays.
const berlin: BusinessHours = {
  timeZone: 'Europe/Berlin',
  weekly: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] },
  holidayCalendar: { country: 'DE' },
  extraDaysOff: [],
  extraWorkingDays: [],
  shiftedWorkdayHoursAs: 'mon',
};
const at = (iso: string) => Date.parse(iso);

describe('walkMessages', () => {
  it('owes a first reply from the first customer message, a next reply after a reply', () => {
    expect(walkMessages([{ at: 10, side: 'customer' }])).toEqual({
      owed: { phase: 'first_reply', since: 10 },
      firstCustomerAt: 10,
      firstReplyAt: null,
    });
    expect(
      walkMessages([
        { at: 30, side: 'customer' },
        { at: 10, side: 'customer' },
        { at: 20, side: 'agent' },
      ]),
    ).toEqual({ owed: { phase: 'next_reply', since: 30 }, firstCustomerAt: 10, firstReplyAt: 20 });
    // Two customer mails before a reply: the oldest unanswered one counts.
    expect(
      walkMessages([
        { at: 10, side: 'customer' },
        { at: 15, side: 'customer' },
      ]).owed,
    ).toEqual({ phase: 'first_reply', since: 10 });
    expect(
      walkMessages([
        { at: 10, side: 'customer' },
        { at: 20, side: 'agent' },
      ]).owed,
    ).toBeNull();
  });

  it('a conversation we started owes a next reply once the customer answers, never a first reply', () => {
    const walk = walkMessages([
      { at: 10, side: 'agent' },
      { at: 20, side: 'customer' },
    ]);
    expect(walk).toEqual({ owed: { phase: 'next_reply', since: 20 }, firstCustomerAt: 20, firstReplyAt: null });
  });
});

describe('due times under business hours', () => {
  const clock = (startedAt: number, targetMs = 24 * H): ClockState => ({
    phase: 'first_reply',
    startedAt,
    targetMs,
    consumedMs: 0,
    runningSince: startedAt,
  });

  it('skips nights, the weekend and the Christmas holidays (Berlin)', () => {
    // Thu 2026-12-24 16:00 CET: Thu 2 h, (Fri 25 and Sat 26 holidays, Sun) Mon 9, Tue 9, Wed 4 → Wed 30 Dec 13:00 CET.
    const { dueAt, warnAt } = dueTimes(berlin, clock(at('2026-12-24T15:00:00Z')));
    expect(new Date(dueAt as number).toISOString()).toBe('2026-12-30T12:00:00.000Z');
    // 80 % = 19.2 h: Thu 2, Mon 9, Tue 8.2 → Tue 29 Dec 17:12 CET.
    expect(new Date(warnAt as number).toISOString()).toBe('2026-12-29T16:12:00.000Z');
  });

  it('pauses while waiting on the customer and moves the due time by the working time paused', () => {
    const start = at('2026-12-07T08:00:00Z'); // Mon 09:00 CET
    let c = clock(start, 8 * H);
    c = pauseClock(berlin, c, at('2026-12-07T10:00:00Z')); // 2 h used
    expect(c).toMatchObject({ consumedMs: 2 * H, runningSince: null });
    expect(dueTimes(berlin, c)).toEqual({ dueAt: null, warnAt: null });
    c = resumeClock(c, at('2026-12-08T08:00:00Z')); // Tue 09:00, 6 h left
    expect(new Date(dueTimes(berlin, c).dueAt as number).toISOString()).toBe('2026-12-08T14:00:00.000Z');
    expect(usedMillis(berlin, c, at('2026-12-08T09:30:00Z'))).toBe(3.5 * H);
  });

  it('a clock used up before a pause is due the moment it runs again', () => {
    const start = at('2026-12-07T08:00:00Z');
    const c = resumeClock(pauseClock(berlin, clock(start, 1 * H), at('2026-12-07T12:00:00Z')), at('2026-12-09T08:00:00Z'));
    expect(dueTimes(berlin, c).dueAt).toBe(at('2026-12-09T08:00:00Z'));
  });

  it('China: the 调休 Saturday counts, the Spring Festival does not (2026)', () => {
    const shanghai: BusinessHours = { ...berlin, timeZone: 'Asia/Shanghai', holidayCalendar: { country: 'CN' } };
    // Fri 2026-02-13 17:00 CST, 9 working hours: Fri 1 h, Sat 14 Feb is a 调休 working day, 8 h → Sat 17:00 CST.
    expect(new Date(dueTimes(shanghai, clock(at('2026-02-13T09:00:00Z'), 9 * H)).dueAt as number).toISOString()).toBe(
      '2026-02-14T09:00:00.000Z',
    );
    // 20 h: Fri 1, Sat 9, the Spring Festival (15–23 Feb) closed, Tue 24 Feb 9, Wed 1 → Wed 10:00 CST.
    expect(new Date(dueTimes(shanghai, clock(at('2026-02-13T09:00:00Z'), 20 * H)).dueAt as number).toISOString()).toBe(
      '2026-02-25T02:00:00.000Z',
    );
  });
});
