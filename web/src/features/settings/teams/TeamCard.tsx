import type { Team, TeamRouting, UserAdminView } from '@pier/contracts';
import { teamRoutingModes } from '@pier/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../i18n';
import { Field } from '../../../ui/Field';
import { Notice } from '../../../ui/Notice';
import { teamsApi, teamsKeys } from './api';

const numberOrNull = (value: string) => (value.trim() === '' ? null : Number(value));

/** One team: name, lead, routing rule, cap, escalation, and its members with "away". Each save is audited server-side. */
export function TeamCard({ team, people }: { team: Team; people: UserAdminView[] }) {
  const { t } = useTranslation('teams');
  const queryClient = useQueryClient();
  const [name, setName] = useState(team.name);
  const [leadId, setLeadId] = useState(team.leadId ?? '');
  const [routing, setRouting] = useState<TeamRouting>(team.routing);
  const [cap, setCap] = useState(team.openCap?.toString() ?? '');
  const [escalate, setEscalate] = useState(team.escalateAfterHours?.toString() ?? '');
  const [adding, setAdding] = useState('');
  const [saved, setSaved] = useState(false);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: teamsKeys.list });
  const personName = (id: string) => people.find((p) => p.id === id)?.name ?? id;
  const active = people.filter((p) => p.status === 'active' && p.role !== 'auditor');

  const save = useMutation({
    mutationFn: () =>
      teamsApi.update(team.id, {
        name: name.trim(),
        leadId: leadId || null,
        routing,
        openCap: numberOrNull(cap),
        escalateAfterHours: numberOrNull(escalate),
      }),
    onSuccess: () => {
      setSaved(true);
      refresh();
    },
  });
  const members = useMutation({ mutationFn: (memberIds: string[]) => teamsApi.update(team.id, { memberIds }), onSuccess: refresh });
  const away = useMutation({
    mutationFn: ({ userId, isAway }: { userId: string; isAway: boolean }) => teamsApi.setAway(team.id, userId, isAway),
    onSuccess: refresh,
  });
  const remove = useMutation({ mutationFn: () => teamsApi.remove(team.id), onSuccess: refresh });
  const failure = save.error ?? members.error ?? away.error ?? remove.error;

  return (
    <section className="team-card" data-testid="team-card" aria-label={team.name}>
      {failure ? <Notice>{errorMessage(failure)}</Notice> : null}
      <form
        className="team-fields"
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(false);
          save.mutate();
        }}
      >
        <Field id={`team-name-${team.id}`} label={t('name')} value={name} onChange={(e) => setName(e.target.value)} maxLength={60} />
        <div className="field">
          <label htmlFor={`team-lead-${team.id}`}>{t('lead')}</label>
          <select id={`team-lead-${team.id}`} className="input" value={leadId} onChange={(e) => setLeadId(e.target.value)}>
            <option value="">{t('noLead')}</option>
            {active.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
          <p className="hint">{t('leadHint')}</p>
        </div>
        <div className="field">
          <label htmlFor={`team-routing-${team.id}`}>{t('routing')}</label>
          <select
            id={`team-routing-${team.id}`}
            className="input"
            data-testid="team-routing"
            value={routing}
            onChange={(e) => setRouting(e.target.value as TeamRouting)}
          >
            {teamRoutingModes.map((mode) => (
              <option key={mode} value={mode}>
                {t(`routingModes.${mode}`)}
              </option>
            ))}
          </select>
        </div>
        <Field
          id={`team-cap-${team.id}`}
          label={t('cap')}
          hint={t('capHint')}
          type="number"
          min={1}
          value={cap}
          onChange={(e) => setCap(e.target.value)}
        />
        <Field
          id={`team-escalate-${team.id}`}
          label={t('escalate')}
          hint={t('escalateHint')}
          type="number"
          min={1}
          value={escalate}
          onChange={(e) => setEscalate(e.target.value)}
        />
        <div className="team-actions">
          <button type="submit" className="btn btn-primary" disabled={save.isPending}>
            {save.isPending ? t('saving') : t('save')}
          </button>
          {saved && !save.isPending ? <span role="status">{t('saved')}</span> : null}
          <button
            type="button"
            className="btn btn-quiet"
            onClick={() => {
              if (window.confirm(t('confirmDelete', { name: team.name }))) remove.mutate();
            }}
          >
            {t('delete')}
          </button>
        </div>
      </form>
      <h4>{t('members')}</h4>
      {team.memberIds.length === 0 ? <p className="hint">{t('noMembers')}</p> : null}
      <ul className="team-members">
        {team.memberIds.map((id) => {
          const isAway = team.awayIds.includes(id);
          return (
            <li key={id} data-away={isAway ? 'true' : undefined}>
              <span className="team-member-name">{personName(id)}</span>
              {isAway ? <span className="badge">{t('away')}</span> : null}
              <button type="button" className="btn btn-sm" onClick={() => away.mutate({ userId: id, isAway: !isAway })}>
                {isAway ? t('back') : t('away')}
              </button>
              <button type="button" className="btn btn-sm btn-quiet" onClick={() => members.mutate(team.memberIds.filter((m) => m !== id))}>
                {t('remove')}
              </button>
            </li>
          );
        })}
      </ul>
      <div className="team-add">
        <label htmlFor={`team-add-${team.id}`}>{t('addMember')}</label>
        <select id={`team-add-${team.id}`} className="input" value={adding} onChange={(e) => setAdding(e.target.value)}>
          <option value="">{t('choose')}</option>
          {active
            .filter((p) => !team.memberIds.includes(p.id))
            .map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} · {p.email}
              </option>
            ))}
        </select>
        <button
          type="button"
          className="btn"
          disabled={!adding}
          onClick={() => {
            members.mutate([...team.memberIds, adding]);
            setAdding('');
          }}
        >
          {t('access.add')}
        </button>
      </div>
    </section>
  );
}
