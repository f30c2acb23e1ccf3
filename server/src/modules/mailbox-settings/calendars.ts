import type { HolidayCalendarList } from '@pier/contracts';
import Holidays from 'date-holidays';

let cached: HolidayCalendarList | undefined;

/** Every country (and region) `date-holidays` knows, for the settings screen's choice; computed once. */
export function holidayCalendarList(): HolidayCalendarList {
  if (!cached) {
    const hd = new Holidays();
    cached = {
      countries: Object.keys(hd.getCountries('en'))
        .sort()
        .map((code) => ({
          code,
          regions: Object.entries(hd.getStates(code, 'en') ?? {})
            .map(([region, name]) => ({ code: region, name }))
            .sort((a, b) => a.code.localeCompare(b.code)),
        })),
    };
  }
  return cached;
}
