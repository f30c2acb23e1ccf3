import type { BusinessHours, HolidayCalendarList, Weekday } from '@pier/contracts';
import { weekdays } from '@pier/contracts';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLocale } from '../../i18n';

const ZONES: string[] = (() => {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone');
  } catch {
    return ['Asia/Shanghai', 'UTC'];
  }
})();

/** Dates as the textarea shows them, and back (blank lines dropped; checked by the caller). */
export const datesToText = (dates: string[]) => dates.join('\n');
export const textToDates = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((d) => d.trim())
    .filter(Boolean);

export type HoursDraft = BusinessHours & { extraDaysOffText: string; extraWorkingDaysText: string };

/** The weekly hours, time zone, holiday calendar and extra days of one mailbox. */
export function HoursEditor({
  draft,
  onChange,
  calendars,
  coveredUntil,
  disabled,
}: {
  draft: HoursDraft;
  onChange: (next: HoursDraft) => void;
  calendars: HolidayCalendarList | undefined;
  coveredUntil: number | null;
  disabled: boolean;
}) {
  const { t } = useTranslation('operations');
  const countryName = useMemo(() => {
    try {
      const names = new Intl.DisplayNames([currentLocale()], { type: 'region' });
      return (code: string) => names.of(code) ?? code;
    } catch {
      return (code: string) => code;
    }
  }, []);
  const countries = useMemo(
    () => [...(calendars?.countries ?? [])].sort((a, b) => countryName(a.code).localeCompare(countryName(b.code), currentLocale())),
    [calendars, countryName],
  );
  const country = draft.holidayCalendar?.country ?? '';
  const regions = calendars?.countries.find((c) => c.code === country)?.regions ?? [];
  const setDay = (day: Weekday, intervals: BusinessHours['weekly'][Weekday]) =>
    onChange({ ...draft, weekly: { ...draft.weekly, [day]: intervals } });
  const nextYear = new Date().getFullYear() + 1;

  return (
    <fieldset className="ops-fieldset" disabled={disabled}>
      <label className="field">
        <span className="field-label">{t('hours.timeZone')}</span>
        <input
          className="input"
          list="ops-zones"
          value={draft.timeZone}
          onChange={(e) => onChange({ ...draft, timeZone: e.target.value })}
          data-testid="hours-zone"
        />
        <datalist id="ops-zones">
          {ZONES.map((z) => (
            <option key={z} value={z} />
          ))}
        </datalist>
      </label>

      <h3 className="ops-subhead">{t('hours.weekly')}</h3>
      <div className="ops-week" data-testid="hours-week">
        {weekdays.map((day) => {
          const intervals = draft.weekly[day];
          return (
            <div className="ops-day" key={day}>
              <span className="ops-day-name">{t(`hours.weekdays.${day}`)}</span>
              <div className="ops-intervals">
                {intervals.length === 0 ? <span className="muted-3">{t('hours.closed')}</span> : null}
                {intervals.map((iv, n) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: intervals have no identity but their place
                  <span className="ops-interval" key={n}>
                    <input
                      className="input ops-time"
                      type="text"
                      inputMode="numeric"
                      pattern="([01][0-9]|2[0-3]):[0-5][0-9]"
                      aria-label={`${t(`hours.weekdays.${day}`)} ${t('hours.from')}`}
                      value={iv.start}
                      onChange={(e) =>
                        setDay(
                          day,
                          intervals.map((x, i) => (i === n ? { ...x, start: e.target.value } : x)),
                        )
                      }
                    />
                    <span>–</span>
                    <input
                      className="input ops-time"
                      type="text"
                      inputMode="numeric"
                      pattern="([01][0-9]|2[0-3]):[0-5][0-9]|24:00"
                      aria-label={`${t(`hours.weekdays.${day}`)} ${t('hours.to')}`}
                      value={iv.end}
                      onChange={(e) =>
                        setDay(
                          day,
                          intervals.map((x, i) => (i === n ? { ...x, end: e.target.value } : x)),
                        )
                      }
                    />
                    <button
                      type="button"
                      className="btn btn-ghost btn-sm"
                      onClick={() =>
                        setDay(
                          day,
                          intervals.filter((_, i) => i !== n),
                        )
                      }
                    >
                      {t('hours.removeInterval')}
                    </button>
                  </span>
                ))}
                <button
                  type="button"
                  className="btn btn-ghost btn-sm"
                  onClick={() => setDay(day, [...intervals, { start: '09:00', end: '18:00' }])}
                  disabled={intervals.length >= 8}
                >
                  {t('hours.addInterval')}
                </button>
              </div>
            </div>
          );
        })}
      </div>

      <h3 className="ops-subhead">{t('hours.calendar')}</h3>
      <div className="ops-row">
        <label className="field">
          <span className="field-label">{t('hours.calendar')}</span>
          <select
            className="select"
            value={country}
            data-testid="hours-calendar"
            onChange={(e) => onChange({ ...draft, holidayCalendar: e.target.value ? { country: e.target.value } : null })}
          >
            <option value="">{t('hours.noCalendar')}</option>
            {countries.map((c) => (
              <option key={c.code} value={c.code}>
                {countryName(c.code)} ({c.code})
              </option>
            ))}
          </select>
        </label>
        {regions.length > 0 ? (
          <label className="field">
            <span className="field-label">{t('hours.region')}</span>
            <select
              className="select"
              value={draft.holidayCalendar?.region ?? ''}
              onChange={(e) => onChange({ ...draft, holidayCalendar: { country, ...(e.target.value ? { region: e.target.value } : {}) } })}
            >
              <option value="">{t('hours.wholeCountry')}</option>
              {regions.map((r) => (
                <option key={r.code} value={r.code}>
                  {r.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      {country === 'CN' && !draft.holidayCalendar?.region ? <p className="muted-3">{t('hours.cnNote')}</p> : null}
      {coveredUntil !== null && coveredUntil < nextYear ? (
        <p className="ops-warning" role="alert" data-testid="hours-coverage">
          {t('hours.coverage', { year: coveredUntil })}
        </p>
      ) : coveredUntil !== null ? (
        <p className="muted-3" data-testid="hours-coverage">
          {t('hours.coverage', { year: coveredUntil })}
        </p>
      ) : null}

      <div className="ops-row">
        <label className="field">
          <span className="field-label">{t('hours.extraDaysOff')}</span>
          <textarea
            className="input ops-dates"
            rows={3}
            value={draft.extraDaysOffText}
            placeholder="2026-10-09"
            onChange={(e) => onChange({ ...draft, extraDaysOffText: e.target.value })}
          />
        </label>
        <label className="field">
          <span className="field-label">{t('hours.extraWorkingDays')}</span>
          <textarea
            className="input ops-dates"
            rows={3}
            value={draft.extraWorkingDaysText}
            placeholder="2027-02-20"
            onChange={(e) => onChange({ ...draft, extraWorkingDaysText: e.target.value })}
          />
        </label>
      </div>
      <p className="muted-3">{t('hours.datesHint')}</p>
      <label className="field ops-inline">
        <span className="field-label">{t('hours.shiftedAs')}</span>
        <select
          className="input"
          value={draft.shiftedWorkdayHoursAs}
          onChange={(e) => onChange({ ...draft, shiftedWorkdayHoursAs: e.target.value as Weekday })}
        >
          {weekdays.map((d) => (
            <option key={d} value={d}>
              {t(`hours.weekdays.${d}`)}
            </option>
          ))}
        </select>
      </label>
    </fieldset>
  );
}
