import type { SessionInfo } from '@pier/contracts';
import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { MenuIcon, SettingsIcon, SignOutIcon } from '../../ui/icons';
import { NotificationBell } from '../notifications/NotificationBell';
import { LanguageSwitch } from '../session/LanguageSwitch';
import { isAdminRole } from '../session/roles';
import { preloadSettings } from '../settings/load';
import '../knowledge/strings';
import '../customers/strings';
import '../push/strings';

type Props = {
  session: SessionInfo;
  title: string;
  subtitle: string | null;
  onSignOut: () => void;
  signingOut: boolean;
  /** Offer the admin screens (admins only); off on the admin screens themselves. */
  settingsLink?: boolean;
  /** Where the screen has a side navigation: the button that opens it as a drawer on narrow screens. */
  onOpenNav?: () => void;
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

/**
 * The top bar. Wide screens show the account's actions in a row; narrow ones (phones, tablets)
 * fold them behind the account button into a panel, and show a button that opens the side
 * navigation as a drawer (the layout CSS decides which, styles.css "Narrow screens").
 */
export function TopBar({ session, title, subtitle, onSignOut, signingOut, settingsLink = false, onOpenNav }: Props) {
  const { t } = useTranslation();
  const { t: tp } = useTranslation('push');
  const { t: tf } = useTranslation('faq');
  const { t: tc } = useTranslation('customers');
  const { user } = session;
  const [menuOpen, setMenuOpen] = useState(false);
  const menuId = useId();
  const barRef = useRef<HTMLElement>(null);
  const { key: locationKey } = useLocation();

  // The panel closes on navigation, on Escape and on a tap outside it.
  // biome-ignore lint/correctness/useExhaustiveDependencies: closing is the point of a new location.
  useEffect(() => setMenuOpen(false), [locationKey]);
  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setMenuOpen(false);
    };
    const onPointer = (event: PointerEvent) => {
      if (!barRef.current?.contains(event.target as Node)) setMenuOpen(false);
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('pointerdown', onPointer);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('pointerdown', onPointer);
    };
  }, [menuOpen]);

  return (
    <header className="topbar" ref={barRef}>
      {onOpenNav ? (
        <button
          type="button"
          className="btn btn-ghost topbar-nav-toggle"
          aria-label={tp('phone.openNav')}
          data-testid="nav-toggle"
          onClick={onOpenNav}
        >
          <MenuIcon />
        </button>
      ) : null}
      <div className="topbar-title">
        <h1>{title}</h1>
        {subtitle ? <span className="crumb">{subtitle}</span> : null}
      </div>
      <div className="topbar-actions">
        <NotificationBell />
        <button
          type="button"
          className="btn btn-ghost topbar-menu-toggle"
          aria-expanded={menuOpen}
          aria-controls={menuId}
          aria-label={tp('phone.accountMenu', { name: user.name })}
          data-testid="account-menu-toggle"
          onClick={() => setMenuOpen((open) => !open)}
        >
          <span className="avatar" aria-hidden="true">
            {initials(user.name)}
          </span>
        </button>
        <div id={menuId} className={menuOpen ? 'topbar-menu is-open' : 'topbar-menu'} data-testid="account-menu">
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
          <Link to="/customers" className="btn btn-ghost" data-testid="customers-link">
            {tc('link')}
          </Link>
          <Link to="/security" className="btn btn-ghost" data-testid="security-link">
            {t('security.link', { ns: 'accounts' })}
          </Link>
          <Link to="/faq" className="btn btn-ghost" data-testid="faq-link">
            {tf('link')}
          </Link>
          <Link to="/notifications" className="btn btn-ghost" data-testid="push-link">
            {tp('link')}
          </Link>
          <LanguageSwitch />
          <button type="button" className="btn btn-ghost" data-testid="logout-button" onClick={onSignOut} disabled={signingOut}>
            <SignOutIcon />
            {signingOut ? t('shell.signingOut') : t('shell.signOut')}
          </button>
        </div>
      </div>
    </header>
  );
}

/** Behind the open drawer: a tap beside it closes it. */
export function NavBackdrop({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation('push');
  return <button type="button" className="nav-backdrop" aria-label={t('phone.closeNav')} tabIndex={-1} onClick={onClose} />;
}
