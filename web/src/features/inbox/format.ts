import i18next, { currentLocale } from '../../i18n';

/** `lastMessageAt` is epoch milliseconds; small values are taken as seconds, to be safe. */
export function toDate(timestamp: number): Date {
  return new Date(timestamp < 1e11 ? timestamp * 1000 : timestamp);
}

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

const DAY = 86_400_000;

/** Compact time for the list: 14:05 · Yesterday · Tue · 3 Mar · 2024/3/3. */
export function formatListTime(timestamp: number, now = new Date()): string {
  const date = toDate(timestamp);
  const locale = currentLocale();
  const days = Math.round((startOfDay(now) - startOfDay(date)) / DAY);
  if (days <= 0) {
    return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(date);
  }
  if (days === 1) return i18next.t('time.yesterday');
  if (days < 7) return new Intl.DateTimeFormat(locale, { weekday: 'short' }).format(date);
  if (date.getFullYear() === now.getFullYear()) {
    return new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric' }).format(date);
  }
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'numeric', day: 'numeric' }).format(date);
}

export function formatFullTime(timestamp: number): string {
  return new Intl.DateTimeFormat(currentLocale(), {
    dateStyle: 'medium',
    timeStyle: 'short',
    hourCycle: 'h23',
  }).format(toDate(timestamp));
}
