import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Icon } from '../../ui/icons';
import './strings';

const ClockIcon = () => (
  <Icon>
    <circle cx="8" cy="8" r="6" />
    <path d="M8 4.5V8l2.5 1.5" />
  </Icon>
);
const ChartIcon = () => (
  <Icon>
    <path d="M2.5 13.5h11M4.5 11V7M8 11V4M11.5 11V8.5" />
  </Icon>
);

/** The settings sidebar's entries for business hours (admins) and reports (admins and auditors). */
export function OperationsNavItems({ pathname, canEdit }: { pathname: string; canEdit: boolean }) {
  const { t } = useTranslation('operations');
  return (
    <>
      {canEdit ? (
        <li>
          <Link
            to="/settings/business-hours"
            className="nav-item"
            aria-current={pathname === '/settings/business-hours' ? 'page' : undefined}
            data-testid="settings-nav-hours"
          >
            <ClockIcon />
            <span className="nav-label">{t('nav.hours')}</span>
          </Link>
        </li>
      ) : null}
      <li>
        <Link
          to="/settings/reports"
          className="nav-item"
          aria-current={pathname === '/settings/reports' ? 'page' : undefined}
          data-testid="settings-nav-reports"
        >
          <ChartIcon />
          <span className="nav-label">{t('nav.reports')}</span>
        </Link>
      </li>
    </>
  );
}
