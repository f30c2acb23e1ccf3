import type { DeactivateRequest, UserAdminView } from '@pier/contracts';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../i18n';
import { Notice } from '../../../ui/Notice';
import { usersApi, usersKeys } from './api';

/**
 * Deactivation asks where the user's open conversations go, after showing how many there are and
 * in which teams: a colleague, a team, or (default) each one's own team queue, else unassigned.
 */
export function DeactivateDialog({
  user,
  colleagues,
  onCancel,
  onConfirm,
}: {
  user: UserAdminView;
  colleagues: UserAdminView[];
  onCancel: () => void;
  onConfirm: (body: DeactivateRequest) => void;
}) {
  const { t } = useTranslation('users');
  const open = useQuery({ queryKey: usersKeys.openConversations(user.id), queryFn: () => usersApi.openConversations(user.id) });
  const teams = useQuery({ queryKey: usersKeys.teams, queryFn: usersApi.teams });
  const [to, setTo] = useState<'default' | 'colleague' | 'team'>('default');
  const [colleagueId, setColleagueId] = useState(colleagues[0]?.id ?? '');
  const [teamId, setTeamId] = useState('');
  const teamList = teams.data?.items ?? [];
  const chosenTeam = teamId || teamList[0]?.id || '';
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (to === 'colleague' && colleagueId) onConfirm({ reassignTo: { userId: colleagueId } });
    else if (to === 'team' && chosenTeam) onConfirm({ reassignTo: { teamId: chosenTeam } });
    else onConfirm({});
  };
  const counts = open.data;
  return (
    <div className="sec-backdrop">
      <div
        className="sec-dialog deactivate-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="deactivate-title"
        data-testid="deactivate-dialog"
      >
        <h2 id="deactivate-title">{t('deactivation.title', { name: user.name })}</h2>
        <p className="muted">{t('deactivation.lead')}</p>
        {open.isError ? <Notice>{errorMessage(open.error)}</Notice> : null}
        {!counts ? (
          <p className="muted">{t('deactivation.counting')}</p>
        ) : counts.open === 0 ? (
          <p data-testid="deactivate-count">{t('deactivation.none', { name: user.name })}</p>
        ) : (
          <div data-testid="deactivate-count">
            <p>{t('deactivation.count', { name: user.name, count: counts.open })}</p>
            <ul className="deactivate-breakdown">
              {counts.teams.map((team) => (
                <li key={team.teamId}>{t('deactivation.inTeam', { team: team.name, count: team.count })}</li>
              ))}
              {counts.withoutTeam > 0 ? <li>{t('deactivation.withoutTeam', { count: counts.withoutTeam })}</li> : null}
            </ul>
          </div>
        )}
        {counts?.customers ? (
          <p data-testid="deactivate-customers">{t('deactivation.customers', { name: user.name, count: counts.customers })}</p>
        ) : null}
        <form className="auth-form" onSubmit={submit} noValidate>
          {counts && (counts.open > 0 || (counts.customers ?? 0) > 0) ? (
            <fieldset className="deactivate-choice">
              <legend>{t('deactivation.handTo')}</legend>
              <label>
                <input
                  type="radio"
                  name="hand-to"
                  checked={to === 'default'}
                  onChange={() => setTo('default')}
                  data-testid="deactivate-to-default"
                />{' '}
                {t('deactivation.toDefault')}
              </label>
              <label>
                <input
                  type="radio"
                  name="hand-to"
                  checked={to === 'colleague'}
                  disabled={colleagues.length === 0}
                  onChange={() => setTo('colleague')}
                  data-testid="deactivate-to-colleague"
                />{' '}
                {t('deactivation.toColleague')}
              </label>
              {to === 'colleague' ? (
                <div className="field">
                  <select
                    className="input"
                    aria-label={t('deactivation.colleague')}
                    value={colleagueId}
                    onChange={(event) => setColleagueId(event.target.value)}
                    data-testid="deactivate-colleague"
                  >
                    {colleagues.map((c) => (
                      <option key={c.id} value={c.id}>
                        {c.name} ({c.email})
                      </option>
                    ))}
                  </select>
                  <p className="muted">{t('deactivation.colleagueHint')}</p>
                </div>
              ) : null}
              <label>
                <input
                  type="radio"
                  name="hand-to"
                  checked={to === 'team'}
                  disabled={teamList.length === 0}
                  onChange={() => setTo('team')}
                  data-testid="deactivate-to-team"
                />{' '}
                {t('deactivation.toTeam')}
              </label>
              {to === 'team' ? (
                <select
                  className="input"
                  aria-label={t('deactivation.team')}
                  value={chosenTeam}
                  onChange={(event) => setTeamId(event.target.value)}
                  data-testid="deactivate-team"
                >
                  {teamList.map((team) => (
                    <option key={team.id} value={team.id}>
                      {team.name}
                    </option>
                  ))}
                </select>
              ) : null}
            </fieldset>
          ) : null}
          <div className="sec-dialog-actions">
            <button type="button" className="btn" onClick={onCancel}>
              {t('deactivation.cancel')}
            </button>
            <button type="submit" className="btn btn-primary" disabled={!counts} data-testid="deactivate-submit">
              {t('deactivation.submit')}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
