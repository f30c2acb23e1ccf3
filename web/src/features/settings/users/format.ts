import { currentLocale } from '../../../i18n';

/** A moment in the users pages: medium date, short time, in the interface language. */
export function formatTime(ms: number): string {
  return new Intl.DateTimeFormat(currentLocale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(ms));
}
