import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../i18n';
import { Field } from '../../../ui/Field';
import { Notice } from '../../../ui/Notice';
import { useDocumentTitle } from '../../../ui/useDocumentTitle';
import { teamsApi, teamsKeys } from './api';
import { TeamCard } from './TeamCard';
import './teams.css';

/** Settings → teams: create, rename, delete; members, lead, away; how new conversations are routed (decision 0034). */
export function TeamsPage() {
  const { t } = useTranslation('teams');
  useDocumentTitle(t('pageTitle'));
  const queryClient = useQueryClient();
  const teams = useQuery({ queryKey: teamsKeys.list, queryFn: teamsApi.list });
  const users = useQuery({ queryKey: teamsKeys.users, queryFn: teamsApi.users });
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: () => teamsApi.create(name.trim()),
    onSuccess: () => {
      setName('');
      void queryClient.invalidateQueries({ queryKey: teamsKeys.list });
    },
  });
  const people = users.data?.items ?? [];

  return (
    <div className="settings-page" data-testid="teams-page">
      <header className="page-head">
        <div>
          <h2>{t('pageTitle')}</h2>
          <p className="page-intro">{t('intro')}</p>
        </div>
      </header>
      <form
        className="team-create"
        onSubmit={(e) => {
          e.preventDefault();
          if (name.trim()) create.mutate();
        }}
      >
        <Field id="team-create-name" label={t('create.name')} value={name} onChange={(e) => setName(e.target.value)} maxLength={60} />
        <button type="submit" className="btn btn-primary" disabled={!name.trim() || create.isPending} data-testid="team-create">
          {t('create.submit')}
        </button>
      </form>
      {create.isError ? <Notice>{errorMessage(create.error)}</Notice> : null}
      {teams.isPending ? <p aria-busy="true">{t('loading')}</p> : null}
      {teams.isError ? <Notice>{t('loadFailed')}</Notice> : null}
      {teams.data?.items.length === 0 ? <p className="hint">{t('empty')}</p> : null}
      <div className="team-list">
        {teams.data?.items.map((team) => (
          <TeamCard
            key={`${team.id}:${team.name}:${team.routing}:${team.leadId}:${team.openCap}:${team.escalateAfterHours}`}
            team={team}
            people={people}
          />
        ))}
      </div>
    </div>
  );
}
