import type { SessionInfo } from '@pier/contracts';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { AllMailIcon, MailboxIcon, SettingsIcon } from '../../ui/icons';
import { Wordmark } from '../../ui/Wordmark';
import { queryKeys } from '../session/queries';
import { isAdminRole } from '../session/roles';
import { preloadSettings } from '../settings/load';
import { VIEW_ICONS, VIEW_IDS, type ViewId } from './views';

type Props = {
  session: SessionInfo;
  view: ViewId;
  mailboxId: string | null;
  /** Builds the link for a view/mailbox combination, keeping the rest of the URL state sensible. */
  hrefFor: (next: { view?: ViewId; mailboxId?: string | null }) => string;
};

export function Sidebar({ session, view, mailboxId, hrefFor }: Props) {
  const { t } = useTranslation();
  const isAdmin = isAdminRole(session.user.role);
  const mailboxes = session.mailboxes;

  return (
    <aside className="sidebar" data-testid="inbox-sidebar">
      <div className="sidebar-head">
        <Link to="/" className="wordmark-link">
          <Wordmark />
        </Link>
      </div>
      <nav className="sidebar-scroll" aria-label={t('shell.primaryNav')}>
        <section className="nav-section" aria-labelledby="nav-views">
          <h2 className="nav-title" id="nav-views">
            {t('shell.views')}
          </h2>
          <ul className="nav-list">
            {VIEW_IDS.map((id) => {
              const ViewIcon = VIEW_ICONS[id];
              return (
                <li key={id}>
                  <Link
                    className="nav-item"
                    to={hrefFor({ view: id })}
                    aria-current={id === view ? 'page' : undefined}
                    data-testid={`view-${id}`}
                  >
                    <ViewIcon />
                    <span className="nav-label">{t(`views.${id}`)}</span>
                    {/* Live counts arrive with the realtime API; blank rather than a guess. */}
                    <span className="nav-count" />
                  </Link>
                </li>
              );
            })}
          </ul>
        </section>

        <section className="nav-section" aria-labelledby="nav-mailboxes">
          <div className="nav-title-row">
            <h2 className="nav-title" id="nav-mailboxes">
              {t('shell.mailboxes')}
            </h2>
            {isAdmin ? (
              <Link
                to="/settings/mailboxes"
                className="nav-title-action"
                title={t('shell.manageMailboxes')}
                aria-label={t('shell.manageMailboxes')}
                data-testid="manage-mailboxes"
                onMouseEnter={preloadSettings}
                onFocus={preloadSettings}
              >
                <SettingsIcon />
              </Link>
            ) : null}
          </div>
          {mailboxes.length === 0 ? (
            <p className="nav-empty" data-testid="mailbox-empty">
              <strong>{isAdmin ? t('shell.noMailboxAdmin') : t('shell.noMailboxMember')}</strong>
              {isAdmin ? t('shell.noMailboxAdminHint') : t('shell.noMailboxMemberHint')}
              {isAdmin ? (
                <Link
                  to="/settings/mailboxes/new"
                  className="btn nav-empty-action"
                  data-testid="connect-mailbox"
                  onMouseEnter={preloadSettings}
                  onFocus={preloadSettings}
                >
                  {t('shell.connectMailbox')}
                </Link>
              ) : null}
            </p>
          ) : (
            <ul className="nav-list">
              {mailboxes.length > 1 ? (
                <li>
                  <Link className="nav-item" to={hrefFor({ mailboxId: null })} aria-current={mailboxId === null ? 'page' : undefined}>
                    <AllMailIcon />
                    <span className="nav-label">{t('shell.allMailboxes')}</span>
                  </Link>
                </li>
              ) : null}
              {mailboxes.map((mailbox) => (
                <li key={mailbox.id}>
                  <Link
                    className="nav-item mailbox-item"
                    to={hrefFor({ mailboxId: mailbox.id })}
                    aria-current={mailbox.id === mailboxId ? 'page' : undefined}
                    title={`${mailbox.displayName} <${mailbox.address}> · ${t(`access.${mailbox.access}`)}`}
                    data-testid="mailbox-item"
                  >
                    <MailboxIcon />
                    <span className="mailbox-text">
                      <span className="nav-label">{mailbox.displayName || mailbox.address}</span>
                      <span className="mailbox-address">{mailbox.address}</span>
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section className="nav-section" aria-labelledby="nav-teams">
          <h2 className="nav-title" id="nav-teams">
            {t('shell.teams')}
          </h2>
          <p className="nav-empty">{t('shell.noTeams')}</p>
        </section>
      </nav>
      <HealthFooter />
    </aside>
  );
}

function HealthFooter() {
  const { t } = useTranslation();
  const health = useQuery({
    queryKey: queryKeys.health,
    queryFn: api.health,
    staleTime: 60_000,
    refetchInterval: 120_000,
    retry: false,
  });
  if (!health.data) return null;
  const { status, version, checks } = health.data;
  const failing = (['database', 'blobStore', 'smtpListener'] as const).filter((name) => !checks[name].ok);
  const detail = failing.map((name) => [t(`health.${name}`), checks[name].detail].filter(Boolean).join(': ')).join('\n');
  return (
    <div className="sidebar-foot" title={detail || undefined}>
      <span className={`dot ${status}`} aria-hidden="true" />
      <span>{status === 'ok' ? t('health.ok') : t('health.degraded')}</span>
      <span aria-hidden="true">·</span>
      <span>{t('health.version', { version })}</span>
    </div>
  );
}
