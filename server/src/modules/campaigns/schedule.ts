import { DateTime } from 'luxon';

/**
 * When one recipient's mail is due: at `sendAt`, or, with `localTime` ("09:30"), at that wall-clock
 * time in the recipient's zone (else the company's) on the first day where it is not before `sendAt`.
 */
export function dueAt(input: { sendAt: number; localTime: string | null; zone: string | null; companyZone: string }): number {
  if (!input.localTime) return input.sendAt;
  const [hour = 9, minute = 0] = input.localTime.split(':').map(Number);
  const zone = input.zone && DateTime.local().setZone(input.zone).isValid ? input.zone : input.companyZone;
  const start = DateTime.fromMillis(input.sendAt, { zone });
  let at = start.set({ hour, minute, second: 0, millisecond: 0 });
  if (at.toMillis() < input.sendAt) at = at.plus({ days: 1 });
  return at.toMillis();
}

export function isTimeZone(zone: string): boolean {
  return DateTime.local().setZone(zone).isValid;
}
