import type { SessionInfo } from '@pier/contracts';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import i18next from '../../i18n';
import { auditEn } from '../../i18n/audit.en';
import { auditZhCN } from '../../i18n/audit.zh-CN';
import { settingsEn } from '../../i18n/settings.en';
import { settingsZhCN } from '../../i18n/settings.zh-CN';
import { teamsEn } from '../../i18n/teams.en';
import { teamsZhCN } from '../../i18n/teams.zh-CN';
import { usersEn } from '../../i18n/users.en';
import { usersZhCN } from '../../i18n/users.zh-CN';
import { BackIcon, Icon, MailboxIcon } from '../../ui/icons';
import { Wordmark } from '../../ui/Wordmark';
import { SavedRepliesPage } from '../composer/settings/SavedRepliesPage';
import { SignaturesPage } from '../composer/settings/SignaturesPage';
import { TopBar } from '../inbox/TopBar';
import { useLogout } from '../session/queries';
import { AuditLogPage } from './audit/AuditLogPage';
import { AuditNavItems } from './audit/AuditNav';
import { ForwardingPage } from './audit/ForwardingPage';
import { ReportPage } from './audit/ReportPage';
import { MailboxesPage } from './mailboxes/MailboxesPage';
import { AddMailboxPage, EditMailboxPage } from './mailboxes/MailboxForm';
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
i18next.addResourceBundle('en', 'teams', teamsEn, true, true);
i18next.addResourceBundle('zh-CN', 'teams', teamsZhCN, true, true);

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
  const navigate = useNavigate();
  const logout = useLogout();
  const { pathname } = useLocation();

  const signOut = () => {
    logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) });
  };

  return (
    <div className="settings-shell" data-testid="settings-shell">
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
              <AuditNavItems pathname={pathname} />
            </ul>
          </section>
        </nav>
      </aside>
      <TopBar
        session={session}
        title={t('nav.title')}
        subtitle={
          pathname.startsWith('/settings/audit-report')
            ? ta('nav.report')
            : pathname.startsWith('/settings/audit')
              ? ta('nav.log')
              : pathname.startsWith('/settings/forwarding')
                ? ta('nav.forwarding')
                : pathname.startsWith('/settings/users')
                  ? tu('nav')
                  : pathname.startsWith('/settings/teams')
                    ? tt('nav')
                    : t('nav.mailboxes')
        }
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
            <Route path="audit-report" element={<ReportPage canMail={false} />} />
            <Route path="forwarding" element={<ForwardingPage canScan={false} />} />
            <Route path="*" element={<Navigate to="/settings/audit" replace />} />
          </Routes>
        ) : (
          <Routes>
            <Route path="mailboxes" element={<MailboxesPage />} />
            <Route path="mailboxes/new" element={<AddMailboxPage />} />
            <Route path="mailboxes/:id" element={<EditMailboxPage />} />
            <Route path="mailboxes/:id/access" element={<AccessPage />} />
            <Route path="teams" element={<TeamsPage />} />
            <Route path="signatures" element={<SignaturesPage />} />
            <Route path="saved-replies" element={<SavedRepliesPage />} />
            <Route path="users" element={<UsersPage session={session} />} />
            <Route path="audit" element={<AuditLogPage />} />
            <Route path="audit-report" element={<ReportPage canMail />} />
            <Route path="forwarding" element={<ForwardingPage canScan />} />
            <Route path="*" element={<Navigate to="/settings/mailboxes" replace />} />
          </Routes>
        )}
      </main>
    </div>
  );
}
