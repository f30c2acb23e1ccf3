import { ApiRequestError } from '../../api/client';
import { invalidFields } from '../../api/validation';
import i18next, { currentLocale, errorMessage } from '../../i18n';

/** Fields the server rejected, limited to the ones this form shows. */
export function serverInvalidFields<F extends string>(error: unknown, known: readonly F[]): F[] {
  if (!(error instanceof ApiRequestError) || error.code !== 'request.invalid') return [];
  const named = invalidFields(error.details);
  return known.filter((field) => named.includes(field));
}

/** The message for a failed form submission, naming the fields the server rejected when it said which. */
export function submitErrorMessage(error: unknown, fieldLabels: string[]): string {
  if (error instanceof ApiRequestError && error.code === 'request.invalid' && fieldLabels.length > 0) {
    const fields = new Intl.ListFormat(currentLocale(), { type: 'conjunction' }).format(fieldLabels);
    return i18next.t('errors.request.invalid_fields', { fields });
  }
  return errorMessage(error);
}

export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
