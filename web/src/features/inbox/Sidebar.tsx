import type { SessionInfo } from '@pier/contracts';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../../api/client';
import { AllMailIcon, MailboxIcon, SettingsIcon, UserIcon } from '../../ui/icons';
import { Wordmark } from '../../ui/Wordmark';
import { queryKeys } from '../session/queries';
import { isAdminRole } from '../session/roles';
import { preloadSettings } from '../settings/load';
import { triageApi, triageKeys } from '../triage/api';
import '../triage/i18n';
import '../triage/triage.css';
import { VIEW_ICONS, VIEW_IDS, type ViewId } from './views';
import { WhomToAsk } from './WhomToAsk';

type Props = {
  session: SessionInfo;
  view: ViewId;
  mailboxId: string | null;
  /** The tag or team the list is narrowed to, if any. */
  tag?: string | null;
  team?: string | null;
  /** Builds the link for a view/mailbox/tag/team combination, keeping the rest of the URL state sensible. */
  hrefFor: (next: { view?: ViewId; mailboxId?: string | null; tag?: string | null; team?: string | null }) => string;
};

/** A count as the sidebar shows it: blank while loading, "99+" at the server's cap (then its title says "more than 99", not the cap). */
function Count({ value, cap }: { value: number | undefined; cap: number | undefined }) {
  const { t } = useTranslation('triage');
  if (value === undefined || value === 0) return <span className="nav-count" />;
  const capped = cap !== undefined && value >= cap;
  const text = capped ? t('views.countCapped', { count: cap - 1 }) : String(value);
  const title = capped ? t('views.countCappedLabel', { count: cap - 1 }) : t('views.countLabel', { count: value });
  return (
    <span className="nav-count" data-testid="nav-count" title={title}>
      {text}
    </span>
  );
}

export function Sidebar({ session, view, mailboxId, tag = null, team = null, hrefFor }: Props) {
  const { t } = useTranslation();
  const isAdmin = isAdminRole(session.user.role);
  const mailboxes = session.mailboxes;
  // Counts within what this user may read; refreshed with the list (live push will replace the interval).
  const counts = useQuery({ queryKey: triageKeys.views, queryFn: triageApi.views, refetchInterval: 15_000, staleTime: 5_000 });
  const cap = counts.data?.cap;

  return (
    <aside className="sidebar" data-testid="inbox-sidebar">
      <div className="sidebar-head">
        <Link to="/" className="wordmark-link">
          <Wordmark />
        </Link>
      </div>
      {mailboxes.some((mailbox) => mailbox.access !== 'read') ? (
        <div className="sidebar-compose">
          <Link to="/compose" className="btn btn-primary sidebar-compose-button" data-testid="new-mail">
            {t('shell.newMail')}
          </Link>
        </div>
      ) : null}
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
                    to={hrefFor({ view: id, tag: null, team: null })}
                    aria-current={id === view && !tag && !team ? 'page' : undefined}
                    data-testid={`view-${id}`}
                  >
                    <ViewIcon />
                    <span className="nav-label">{t(`views.${id}`)}</span>
                    <Count value={counts.data?.views[id]} cap={cap} />
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
              {isAdmin ? t('shell.noMailboxAdminHint') : <WhomToAsk />}
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
                    <Count value={counts.data?.mailboxes.find((m) => m.id === mailbox.id)?.open} cap={cap} />
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>

        {counts.data && counts.data.tags.length > 0 ? (
          <section className="nav-section" aria-labelledby="nav-tags">
            <h2 className="nav-title" id="nav-tags">
              {t('views.tags', { ns: 'triage' })}
            </h2>
            <ul className="nav-list">
              {counts.data.tags.map((entry) => (
                <li key={entry.name}>
                  <Link
                    className="nav-item"
                    to={hrefFor({ view: 'open', tag: entry.name, team: null })}
                    aria-current={tag === entry.name ? 'page' : undefined}
                    data-testid="tag-item"
                  >
                    <span className="nav-tag-mark" aria-hidden="true">
                      #
                    </span>
                    <span className="nav-label">{entry.name}</span>
                    <Count value={entry.open} cap={cap} />
                  </Link>
                </li>
              ))}
            </ul>
          </section>
        ) : null}

        <section className="nav-section" aria-labelledby="nav-teams">
          <h2 className="nav-title" id="nav-teams">
            {t('shell.teams')}
          </h2>
          {counts.data && counts.data.teams.length > 0 ? (
            <ul className="nav-list">
              {counts.data.teams.map((entry) => (
                <li key={entry.id}>
                  <Link
                    className="nav-item"
                    to={hrefFor({ view: 'open', team: entry.id, tag: null })}
                    aria-current={team === entry.id ? 'page' : undefined}
                    data-testid="team-item"
                  >
                    <UserIcon />
                    <span className="nav-label">{entry.name}</span>
                    <Count value={entry.open} cap={cap} />
                  </Link>
                </li>
              ))}
            </ul>
          ) : (
            <p className="nav-empty">{t('shell.noTeams')}</p>
          )}
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
  const failing = (['database', 'blobStore', 'smtpListener', 'clock'] as const).filter((name) => !checks[name].ok);
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
