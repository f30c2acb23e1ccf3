import type { MailboxAccess } from '@pier/contracts';
import { mailboxAccessLevels } from '@pier/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { errorMessage } from '../../../i18n';
import { BackIcon } from '../../../ui/icons';
import { Notice } from '../../../ui/Notice';
import { useDocumentTitle } from '../../../ui/useDocumentTitle';
import { mailboxApi, mailboxKeys } from '../mailboxes/api';
import { teamsApi, teamsKeys } from './api';
import './teams.css';

/**
 * Settings → mailboxes → access: who may read, reply to or manage one mailbox, people and teams
 * added and removed in one place, and the team its new conversations go to (decision 0034).
 */
export function AccessPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation('teams');
  const queryClient = useQueryClient();
  const mailbox = useQuery({ queryKey: mailboxKeys.detail(id), queryFn: () => mailboxApi.detail(id) });
  const access = useQuery({ queryKey: teamsKeys.access(id), queryFn: () => teamsApi.access(id) });
  const users = useQuery({ queryKey: teamsKeys.users, queryFn: teamsApi.users });
  const teams = useQuery({ queryKey: teamsKeys.list, queryFn: teamsApi.list });
  const routes = useQuery({ queryKey: teamsKeys.routes, queryFn: teamsApi.routes });
  const [person, setPerson] = useState('');
  const [personLevel, setPersonLevel] = useState<MailboxAccess>('reply');
  const [team, setTeam] = useState('');
  const [teamLevel, setTeamLevel] = useState<MailboxAccess>('reply');
  const address = mailbox.data?.address ?? '';
  useDocumentTitle(t('access.pageTitle', { address }));

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: teamsKeys.access(id) });
    void queryClient.invalidateQueries({ queryKey: teamsKeys.routes });
  };
  const change = useMutation({
    mutationFn: async (run: () => Promise<unknown>) => run(),
    onSuccess: refresh,
  });
  const people = access.data?.people ?? [];
  const candidates = (users.data?.items ?? []).filter(
    (u) => u.status === 'active' && (u.role === 'agent' || u.role === 'auditor') && !people.some((p) => p.userId === u.id),
  );
  const routeTeamId = routes.data?.items.find((r) => r.mailboxId === id)?.teamId ?? '';
  const levelSelect = (value: MailboxAccess, onChange: (level: MailboxAccess) => void, label: string, testId?: string) => (
    <select
      className="input"
      aria-label={label}
      value={value}
      data-testid={testId}
      onChange={(e) => onChange(e.target.value as MailboxAccess)}
    >
      {mailboxAccessLevels.map((level) => (
        <option key={level} value={level}>
          {t(`access.levels.${level}`)}
        </option>
      ))}
    </select>
  );

  return (
    <div className="settings-page" data-testid="mailbox-access-page">
      <Link to="/settings/mailboxes" className="back-link">
        <BackIcon />
        {t('access.back')}
      </Link>
      <header className="page-head">
        <div>
          <h2>{t('access.pageTitle', { address })}</h2>
          <p className="page-intro">{t('access.intro')}</p>
        </div>
      </header>
      {change.isError ? <Notice>{errorMessage(change.error)}</Notice> : null}
      {access.isError ? <Notice>{errorMessage(access.error)}</Notice> : null}

      <div className="field">
        <label htmlFor="mailbox-route">{t('access.route')}</label>
        <select
          id="mailbox-route"
          className="input"
          data-testid="mailbox-route"
          value={routeTeamId}
          onChange={(e) => {
            // Read now: the controlled select shows the stored route again until the refetch.
            const teamId = e.target.value || null;
            change.mutate(() => teamsApi.setRoute(id, teamId));
          }}
        >
          <option value="">{t('access.noRoute')}</option>
          {teams.data?.items.map((item) => (
            <option key={item.id} value={item.id}>
              {item.name} · {t(`routingModes.${item.routing}`)}
            </option>
          ))}
        </select>
      </div>

      <section className="access-section" aria-labelledby="access-people">
        <h3 id="access-people">{t('access.manage')}</h3>
        {people.length === 0 && access.isSuccess ? <p className="hint">{t('access.none')}</p> : null}
        <ul className="team-members" data-testid="access-people">
          {people.map((p) => (
            <li key={p.userId} className="access-row">
              <span className="access-person">
                {p.name}
                <small>{p.email}</small>
              </span>
              {levelSelect(p.access, (level) => change.mutate(() => teamsApi.grant(id, p.userId, level)), t('access.level'))}
              <button type="button" className="btn btn-sm btn-quiet" onClick={() => change.mutate(() => teamsApi.revoke(id, p.userId))}>
                {t('remove')}
              </button>
            </li>
          ))}
        </ul>
        <div className="access-add">
          <select className="input" aria-label={t('access.addPerson')} value={person} onChange={(e) => setPerson(e.target.value)}>
            <option value="">{t('access.addPerson')}</option>
            {candidates.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} · {u.email}
              </option>
            ))}
          </select>
          {levelSelect(personLevel, setPersonLevel, t('access.level'))}
          <button
            type="button"
            className="btn"
            disabled={!person}
            onClick={() => {
              change.mutate(() => teamsApi.grant(id, person, personLevel));
              setPerson('');
            }}
          >
            {t('access.add')}
          </button>
        </div>
        <div className="access-add">
          <select className="input" aria-label={t('access.addTeam')} value={team} onChange={(e) => setTeam(e.target.value)}>
            <option value="">{t('access.addTeam')}</option>
            {teams.data?.items.map((item) => (
              <option key={item.id} value={item.id}>
                {item.name} ({item.memberIds.length})
              </option>
            ))}
          </select>
          {levelSelect(teamLevel, setTeamLevel, t('access.level'))}
          <button
            type="button"
            className="btn"
            disabled={!team}
            onClick={() => change.mutate(() => teamsApi.grantTeam(id, team, teamLevel))}
          >
            {t('access.add')}
          </button>
          <button
            type="button"
            className="btn btn-quiet"
            disabled={!team}
            onClick={() => change.mutate(() => teamsApi.revokeTeam(id, team))}
          >
            {t('access.removeTeam')}
          </button>
        </div>
        <p className="hint">{t('access.teamHint')}</p>
      </section>
    </div>
  );
}
