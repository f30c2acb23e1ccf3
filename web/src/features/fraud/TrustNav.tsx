import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Icon } from '../../ui/icons';
import './trust-i18n';

const CheckShieldIcon = () => (
  <Icon>
    <path d="M8 1.5 2.5 3.5v4c0 3.3 2.3 5.9 5.5 7 3.2-1.1 5.5-3.7 5.5-7v-4L8 1.5Z" />
    <path d="m5.5 8 1.8 1.8L10.8 6.3" />
  </Icon>
);

/** The trusted-parties entry of the settings sidebar (admins and auditors). */
export function TrustNavItem({ pathname }: { pathname: string }) {
  const { t } = useTranslation('trust');
  return (
    <li>
      <Link
        to="/settings/trusted-parties"
        className="nav-item"
        aria-current={pathname.startsWith('/settings/trusted-parties') ? 'page' : undefined}
        data-testid="settings-nav-trusted-parties"
      >
        <CheckShieldIcon />
        <span className="nav-label">{t('nav')}</span>
      </Link>
    </li>
  );
}
