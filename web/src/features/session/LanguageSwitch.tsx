import type { Locale, SessionInfo } from '@pier/contracts';
import { useQueryClient } from '@tanstack/react-query';
import type { ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { chooseLocale, currentLocale, LANGUAGE_NAMES, SUPPORTED_LOCALES } from '../../i18n';
import { queryKeys } from './queries';

/** Switches the interface language at once; remembers it on this device and, when signed in, on the account. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();

  const onChange = (event: ChangeEvent<HTMLSelectElement>) => {
    const locale = event.target.value as Locale;
    chooseLocale(locale);
    const session = queryClient.getQueryData<SessionInfo | null>(queryKeys.session);
    if (session) {
      queryClient.setQueryData<SessionInfo>(queryKeys.session, { ...session, user: { ...session.user, locale } });
      // Saving on the account is a convenience: the switch already happened, so a failure is ignored.
      api.updatePreferences(locale).catch(() => undefined);
    }
  };

  return (
    <label className="lang-switch">
      <span className="visually-hidden">{t('common.language')}</span>
      <select data-testid="language-switch" value={currentLocale()} onChange={onChange}>
        {SUPPORTED_LOCALES.map((locale) => (
          <option key={locale} value={locale} lang={locale}>
            {LANGUAGE_NAMES[locale]}
          </option>
        ))}
      </select>
    </label>
  );
}
