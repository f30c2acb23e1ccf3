import type { SessionInfo } from '@pier/contracts';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import i18next from '../../i18n';
import { apiEn } from '../../i18n/api.en';
import { apiZhCN } from '../../i18n/api.zh-CN';
import { auditEn } from '../../i18n/audit.en';
import { auditZhCN } from '../../i18n/audit.zh-CN';
import { rulesEn } from '../../i18n/rules.en';
import { rulesZhCN } from '../../i18n/rules.zh-CN';
import { settingsEn } from '../../i18n/settings.en';
import { settingsZhCN } from '../../i18n/settings.zh-CN';
import { teamsEn } from '../../i18n/teams.en';
import { teamsZhCN } from '../../i18n/teams.zh-CN';
import { usersEn } from '../../i18n/users.en';
import { usersZhCN } from '../../i18n/users.zh-CN';
import { BackIcon, Icon, MailboxIcon } from '../../ui/icons';
import { Wordmark } from '../../ui/Wordmark';
import { CampaignsPage } from '../campaigns/CampaignsPage';
import { SavedRepliesPage } from '../composer/settings/SavedRepliesPage';
import { SignaturesPage } from '../composer/settings/SignaturesPage';
import { TrustedPartiesPage } from '../fraud/TrustedPartiesPage';
import { TrustNavItem } from '../fraud/TrustNav';
import { NavBackdrop, TopBar } from '../inbox/TopBar';
import { BusinessHoursPage } from '../operations/BusinessHoursPage';
import { OperationsNavItems } from '../operations/OperationsNav';
import { ReportsPage } from '../operations/ReportsPage';
import { useLogout } from '../session/queries';
import { ApiPage } from './api/ApiPage';
import { AuditLogPage } from './audit/AuditLogPage';
import { AuditNavItems } from './audit/AuditNav';
import { ForwardingPage } from './audit/ForwardingPage';
import { ReportPage } from './audit/ReportPage';
import { MailboxesPage } from './mailboxes/MailboxesPage';
import { AddMailboxPage, EditMailboxPage } from './mailboxes/MailboxForm';
import { RulesPage } from './rules/RulesPage';
import { AccessPage } from './teams/AccessPage';
import { TeamsPage } from './teams/TeamsPage';
import { UsersPage } from './users/UsersPage';
import './settings.css';

const UsersIcon = () => (
  <Icon>
    <circle cx="6" cy="5.5" r="2.5" />
    <path d="M1.5 13.5c.4-2.4 2.2-4 4.5-4s4.1 1.6 4.5 4" />
    <path d="M10.5 3.2a2.5 2.5 0 0 1 0 4.6M12 9.8c1.3.5 2.2 1.8 2.5 3.7" />
  </Icon>
);

// The admin screens bring their own catalogues: registered once, when this chunk loads.
i18next.addResourceBundle('en', 'settings', settingsEn, true, true);
i18next.addResourceBundle('zh-CN', 'settings', settingsZhCN, true, true);
i18next.addResourceBundle('en', 'audit', auditEn, true, true);
i18next.addResourceBundle('zh-CN', 'audit', auditZhCN, true, true);
i18next.addResourceBundle('en', 'users', usersEn, true, true);
i18next.addResourceBundle('zh-CN', 'users', usersZhCN, true, true);
i18next.addResourceBundle('en', 'rules', rulesEn, true, true);
i18next.addResourceBundle('zh-CN', 'rules', rulesZhCN, true, true);
i18next.addResourceBundle('en', 'teams', teamsEn, true, true);
i18next.addResourceBundle('zh-CN', 'teams', teamsZhCN, true, true);
i18next.addResourceBundle('en', 'api', apiEn, true, true);
i18next.addResourceBundle('zh-CN', 'api', apiZhCN, true, true);

/**
 * /settings/*: the admin area (admins and super admins; App.tsx checks the role). Auditors
 * see its read-only part: the audit log, forwarding audit, reports and the users list.
 */
export function SettingsApp({ session }: { session: SessionInfo }) {
  const { t } = useTranslation('settings');
  const { t: tu } = useTranslation('users');
  const { t: tt } = useTranslation('teams');
  const auditor = session.user.role === 'auditor';
  const { t: tc } = useTranslation('composer');
  const { t: ta } = useTranslation('audit');
  const { t: to } = useTranslation('operations');
  const { t: tr } = useTranslation('rules');
  const { t: tf } = useTranslation('trust');
  const { t: tapi } = useTranslation('api');
  const { t: tcp } = useTranslation('campaigns');
  const navigate = useNavigate();
  const logout = useLogout();
  const { pathname, key: locationKey } = useLocation();
  // Tablets and phones: the settings pages as a drawer, closed by any navigation.
  const [navOpen, setNavOpen] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new location closes the drawer.
  useEffect(() => setNavOpen(false), [locationKey]);

  // The top bar names the page: the first prefix that matches (audit-report before audit).
  const pageTitles: [prefix: string, title: () => string][] = [
    ['/settings/business-hours', () => to('nav.hours')],
    ['/settings/reports', () => to('nav.reports')],
    ['/settings/audit-report', () => ta('nav.report')],
    ['/settings/audit', () => ta('nav.log')],
    ['/settings/forwarding', () => ta('nav.forwarding')],
    ['/settings/users', () => tu('nav')],
    ['/settings/rules', () => tr('nav')],
    ['/settings/trusted-parties', () => tf('nav')],
    ['/settings/teams', () => tt('nav')],
    ['/settings/api', () => tapi('nav')],
    ['/settings/signatures', () => tc('settings.navSignatures')],
    ['/settings/saved-replies', () => tc('settings.navSavedReplies')],
    ['/settings/campaigns', () => tcp('nav')],
  ];
  const pageTitle = () => (pageTitles.find(([prefix]) => pathname.startsWith(prefix))?.[1] ?? (() => t('nav.mailboxes')))();

  const signOut = () => {
    logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) });
  };

  return (
    <div className={navOpen ? 'settings-shell nav-open' : 'settings-shell'} data-testid="settings-shell">
      <aside className="sidebar">
        <div className="sidebar-head">
          <Link to="/" className="wordmark-link">
            <Wordmark />
          </Link>
        </div>
        <nav className="sidebar-scroll" aria-label={t('nav.label')}>
          <Link to="/" className="nav-item" data-testid="settings-back">
            <BackIcon />
            <span className="nav-label">{t('nav.back')}</span>
          </Link>
          <section className="nav-section" aria-labelledby="nav-settings">
            <h2 className="nav-title" id="nav-settings">
              {t('nav.title')}
            </h2>
            <ul className="nav-list">
              {auditor ? null : (
                <>
                  <li>
                    <Link
                      to="/settings/mailboxes"
                      className="nav-item"
                      aria-current={pathname.startsWith('/settings/mailboxes') ? 'page' : undefined}
                      data-testid="settings-nav-mailboxes"
                    >
                      <MailboxIcon />
                      <span className="nav-label">{t('nav.mailboxes')}</span>
                    </Link>
                  </li>
                  <li>
                    <Link
                      to="/settings/rules"
                      className="nav-item"
                      aria-current={pathname.startsWith('/settings/rules') ? 'page' : undefined}
                      data-testid="settings-nav-rules"
                    >
                      <MailboxIcon />
                      <span className="nav-label">{tr('nav')}</span>
                    </Link>
                  </li>
                  <li>
                    <Link
                      to="/settings/signatures"
                      className="nav-item"
                      aria-current={pathname.startsWith('/settings/signatures') ? 'page' : undefined}
                      data-testid="settings-nav-signatures"
                    >
                      <MailboxIcon />
                      <span className="nav-label">{tc('settings.navSignatures')}</span>
                    </Link>
                  </li>
                  <li>
                    <Link
                      to="/settings/saved-replies"
                      className="nav-item"
                      aria-current={pathname.startsWith('/settings/saved-replies') ? 'page' : undefined}
                      data-testid="settings-nav-saved-replies"
                    >
                      <MailboxIcon />
                      <span className="nav-label">{tc('settings.navSavedReplies')}</span>
                    </Link>
                  </li>
                </>
              )}
              {auditor ? null : (
                <li>
                  <Link
                    to="/settings/campaigns"
                    className="nav-item"
                    aria-current={pathname.startsWith('/settings/campaigns') ? 'page' : undefined}
                    data-testid="settings-nav-campaigns"
                  >
                    <MailboxIcon />
                    <span className="nav-label">{tcp('nav')}</span>
                  </Link>
                </li>
              )}
              {auditor ? null : (
                <li>
                  <Link
                    to="/settings/teams"
                    className="nav-item"
                    aria-current={pathname.startsWith('/settings/teams') ? 'page' : undefined}
                    data-testid="settings-nav-teams"
                  >
                    <UsersIcon />
                    <span className="nav-label">{tt('nav')}</span>
                  </Link>
                </li>
              )}
              <li>
                <Link
                  to="/settings/users"
                  className="nav-item"
                  aria-current={pathname.startsWith('/settings/users') ? 'page' : undefined}
                  data-testid="settings-nav-users"
                >
                  <UsersIcon />
                  <span className="nav-label">{tu('nav')}</span>
                </Link>
              </li>
              <TrustNavItem pathname={pathname} />
              {auditor ? null : (
                <li>
                  <Link
                    to="/settings/api"
                    className="nav-item"
                    aria-current={pathname.startsWith('/settings/api') ? 'page' : undefined}
                    data-testid="settings-nav-api"
                  >
                    <MailboxIcon />
                    <span className="nav-label">{tapi('nav')}</span>
                  </Link>
                </li>
              )}
              <OperationsNavItems pathname={pathname} canEdit={!auditor} />
              <AuditNavItems pathname={pathname} />
            </ul>
          </section>
        </nav>
      </aside>
      <NavBackdrop onClose={() => setNavOpen(false)} />
      <TopBar
        onOpenNav={() => setNavOpen(true)}
        session={session}
        title={t('nav.title')}
        subtitle={pageTitle()}
        onSignOut={signOut}
        signingOut={logout.isPending}
      />
      <main className="settings-main">
        <Link to="/" className="back-link settings-mobile-back">
          <BackIcon />
          {t('nav.back')}
        </Link>
        {auditor ? (
          <Routes>
            <Route path="users" element={<UsersPage session={session} />} />
            <Route path="audit" element={<AuditLogPage />} />
            <Route path="trusted-parties" element={<TrustedPartiesPage session={session} />} />
            <Route path="audit-report" element={<ReportPage canMail={false} />} />
            <Route path="reports" element={<ReportsPage />} />
            <Route path="forwarding" element={<ForwardingPage canScan={false} />} />
            <Route path="*" element={<Navigate to="/settings/audit" replace />} />
          </Routes>
        ) : (
          <Routes>
            <Route path="mailboxes" element={<MailboxesPage />} />
            <Route path="mailboxes/new" element={<AddMailboxPage />} />
            <Route path="mailboxes/:id" element={<EditMailboxPage />} />
            <Route path="rules" element={<RulesPage session={session} />} />
            <Route path="mailboxes/:id/access" element={<AccessPage />} />
            <Route path="teams" element={<TeamsPage />} />
            <Route path="api" element={<ApiPage />} />
            <Route path="signatures" element={<SignaturesPage />} />
            <Route path="saved-replies" element={<SavedRepliesPage />} />
            <Route path="campaigns" element={<CampaignsPage />} />
            <Route path="users" element={<UsersPage session={session} />} />
            <Route path="audit" element={<AuditLogPage />} />
            <Route path="trusted-parties" element={<TrustedPartiesPage session={session} />} />
            <Route path="audit-report" element={<ReportPage canMail />} />
            <Route path="business-hours" element={<BusinessHoursPage />} />
            <Route path="reports" element={<ReportsPage />} />
            <Route path="forwarding" element={<ForwardingPage canScan />} />
            <Route path="*" element={<Navigate to="/settings/mailboxes" replace />} />
          </Routes>
        )}
      </main>
    </div>
  );
}
