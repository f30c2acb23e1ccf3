import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Icon } from '../../../ui/icons';

const ShieldIcon = () => (
  <Icon>
    <path d="M8 1.5 2.5 3.5v4c0 3.3 2.3 5.9 5.5 7 3.2-1.1 5.5-3.7 5.5-7v-4L8 1.5Z" />
  </Icon>
);

/** The audit entries of the settings sidebar (kept here so the audit work touches SettingsApp only to mount them). */
export function AuditNavItems({ pathname }: { pathname: string }) {
  const { t } = useTranslation('audit');
  const items = [
    { to: '/settings/audit', label: t('nav.log'), testId: 'settings-nav-audit' },
    { to: '/settings/forwarding', label: t('nav.forwarding'), testId: 'settings-nav-forwarding' },
    { to: '/settings/audit-report', label: t('nav.report'), testId: 'settings-nav-report' },
  ];
  return (
    <>
      {items.map((item) => (
        <li key={item.to}>
          <Link to={item.to} className="nav-item" aria-current={pathname === item.to ? 'page' : undefined} data-testid={item.testId}>
            <ShieldIcon />
            <span className="nav-label">{item.label}</span>
          </Link>
        </li>
      ))}
    </>
  );
}
