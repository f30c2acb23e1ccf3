import type { SessionInfo } from '@pier/contracts';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { SettingsIcon, SignOutIcon } from '../../ui/icons';
import { NotificationBell } from '../notifications/NotificationBell';
import { LanguageSwitch } from '../session/LanguageSwitch';
import { isAdminRole } from '../session/roles';
import { preloadSettings } from '../settings/load';

type Props = {
  session: SessionInfo;
  title: string;
  subtitle: string | null;
  onSignOut: () => void;
  signingOut: boolean;
  /** Offer the admin screens (admins only); off on the admin screens themselves. */
  settingsLink?: boolean;
};

function initials(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) return '?';
  // Chinese names: the family name; Latin names: first letters of the first two words.
  if (/[\u3400-\u9fff]/.test(trimmed)) return trimmed.slice(0, 1);
  return trimmed
    .split(/\s+/)
    .slice(0, 2)
    .map((part) => part.slice(0, 1).toUpperCase())
    .join('');
}

export function TopBar({ session, title, subtitle, onSignOut, signingOut, settingsLink = false }: Props) {
  const { t } = useTranslation();
  const { user } = session;
  return (
    <header className="topbar">
      <div className="topbar-title">
        <h1>{title}</h1>
        {subtitle ? <span className="crumb">{subtitle}</span> : null}
      </div>
      <div className="topbar-actions">
        <div className="user-chip" title={user.email}>
          <span className="avatar" aria-hidden="true">
            {initials(user.name)}
          </span>
          <span className="user-name" data-testid="current-user">
            {user.name}
          </span>
          <span className="badge accent" data-testid="current-user-role">
            <span className="visually-hidden">{t('shell.roleLabel')}: </span>
            {t(`roles.${user.role}`)}
          </span>
        </div>
        <NotificationBell />
        <span className="topbar-divider" aria-hidden="true" />
        {settingsLink && (isAdminRole(user.role) || user.role === 'auditor') ? (
          <Link
            to={user.role === 'auditor' ? '/settings/audit' : '/settings/mailboxes'}
            className="btn btn-ghost"
            data-testid="settings-link"
            onMouseEnter={preloadSettings}
            onFocus={preloadSettings}
          >
            <SettingsIcon />
            {t('shell.settings')}
          </Link>
        ) : null}
        <Link to="/security" className="btn btn-ghost" data-testid="security-link">
          {t('security.link', { ns: 'accounts' })}
        </Link>
        <LanguageSwitch />
        <button type="button" className="btn btn-ghost" data-testid="logout-button" onClick={onSignOut} disabled={signingOut}>
          <SignOutIcon />
          {signingOut ? t('shell.signingOut') : t('shell.signOut')}
        </button>
      </div>
    </header>
  );
}
