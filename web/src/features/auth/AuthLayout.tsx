import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Wordmark } from '../../ui/Wordmark';
import { LanguageSwitch } from '../session/LanguageSwitch';

export function AuthLayout({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="auth">
      <header className="auth-top">
        <Wordmark />
        <LanguageSwitch />
      </header>
      <main className="auth-main">{children}</main>
      <footer className="auth-bottom">{t('app.tagline')}</footer>
    </div>
  );
}
