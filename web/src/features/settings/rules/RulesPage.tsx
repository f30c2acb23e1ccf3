import type { Rule, SessionInfo } from '@pier/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../i18n';
import { useDocumentTitle } from '../../../ui/useDocumentTitle';
import { forwardingApi } from '../audit/api';
import { mailboxApi, mailboxKeys } from '../mailboxes/api';
import { usersApi, usersKeys } from '../users/api';
import { rulesApi, rulesKeys } from './api';
import { RuleForm } from './RuleForm';
import type { RuleChoices } from './RuleRows';
import './rules.css';

/** Settings → Rules: the ordered list (move, turn on/off, edit, delete) and the editor with its preview. */
export function RulesPage({ session }: { session: SessionInfo }) {
  const { t } = useTranslation('rules');
  useDocumentTitle(t('title'));
  const queryClient = useQueryClient();
  const isAdmin = session.user.role === 'admin' || session.user.role === 'super_admin';
  const rules = useQuery({ queryKey: rulesKeys.list, queryFn: rulesApi.list });
  const mailboxes = useQuery({ queryKey: mailboxKeys.list, queryFn: mailboxApi.list });
  const users = useQuery({ queryKey: usersKeys.list, queryFn: usersApi.list, enabled: isAdmin });
  const teams = useQuery({ queryKey: usersKeys.teams, queryFn: usersApi.teams });
  const forwarding = useQuery({ queryKey: ['settings', 'forwarding'], queryFn: forwardingApi.audit, enabled: isAdmin });
  const [editing, setEditing] = useState<Rule | 'new' | null>(null);
  const [error, setError] = useState<string | null>(null);

  const choices: RuleChoices = {
    mailboxes: mailboxes.data?.items.map((m) => ({ id: m.id, address: m.address })) ?? [],
    users: users.data?.items.filter((u) => u.status === 'active' && u.role !== 'auditor').map((u) => ({ id: u.id, name: u.name })) ?? [],
    teams: teams.data?.items.map((team) => ({ id: team.id, name: team.name })) ?? [],
    forwardingRules: forwarding.data?.pierRules.available
      ? forwarding.data.pierRules.items.map((f) => ({ id: f.id, name: f.name, target: f.target, mailboxId: f.mailboxId }))
      : [],
  };
  const mailboxName = (id: string | null) => (id === null ? t('global') : (choices.mailboxes.find((m) => m.id === id)?.address ?? id));
  const refresh = () => queryClient.invalidateQueries({ queryKey: rulesKeys.list });
  const act = async (run: () => Promise<unknown>) => {
    setError(null);
    try {
      await run();
      await refresh();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  const items = rules.data?.items ?? [];
  const move = (index: number, by: -1 | 1) => {
    const ids = items.map((r) => r.id);
    const [moved] = ids.splice(index, 1);
    if (moved === undefined) return;
    ids.splice(index + by, 0, moved);
    void act(() => rulesApi.reorder(ids));
  };

  if (editing !== null) {
    return (
      <div className="settings-page narrow" data-testid="rules-page">
        <RuleForm
          key={editing === 'new' ? 'new' : editing.id}
          rule={editing === 'new' ? null : editing}
          choices={choices}
          isAdmin={isAdmin}
          onSaved={() => {
            setEditing(null);
            void refresh();
          }}
          onCancel={() => setEditing(null)}
        />
      </div>
    );
  }

  return (
    <div className="settings-page narrow" data-testid="rules-page">
      <div className="page-head">
        <div>
          <h2>{t('title')}</h2>
          <p className="page-intro">{t('intro')}</p>
        </div>
        <button type="button" className="btn btn-primary" onClick={() => setEditing('new')} data-testid="rules-add">
          {t('add')}
        </button>
      </div>
      {error ? (
        <p className="row-problem" role="alert">
          {error}
        </p>
      ) : null}
      {rules.isPending ? null : items.length === 0 ? (
        <p className="muted-3">{t('empty')}</p>
      ) : (
        <ol className="rules-list" data-testid="rules-list">
          {items.map((rule, index) => (
            <li key={rule.id} className={rule.enabled ? 'rule-item' : 'rule-item rule-off'} data-testid="rule-item">
              <span className="rule-position">{index + 1}</span>
              <div className="rule-main">
                <span className="cell-main" dir="auto">
                  {rule.name}
                  {rule.enabled ? null : <span className="rule-badge">{t('disabled')}</span>}
                </span>
                <span className="cell-sub">
                  {mailboxName(rule.mailboxId)} ·{' '}
                  {rule.trigger === 'schedule'
                    ? t('triggers.schedule', { hours: rule.afterWorkingHours ?? 0 })
                    : t(`triggers.${rule.trigger}`)}{' '}
                  · {t('summary.conditions', { count: rule.conditions.length })} · {t('summary.actions', { count: rule.actions.length })}
                </span>
              </div>
              {rule.editable ? (
                <div className="rule-controls">
                  <button
                    type="button"
                    className="btn btn-ghost"
                    aria-label={t('moveUp', { name: rule.name })}
                    disabled={index === 0}
                    onClick={() => move(index, -1)}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="btn btn-ghost"
                    aria-label={t('moveDown', { name: rule.name })}
                    disabled={index === items.length - 1}
                    onClick={() => move(index, 1)}
                  >
                    ↓
                  </button>
                  <button type="button" className="btn btn-ghost" onClick={() => act(() => rulesApi.setEnabled(rule.id, !rule.enabled))}>
                    {rule.enabled ? t('disable') : t('enable')}
                  </button>
                  <button type="button" className="btn btn-ghost" onClick={() => setEditing(rule)}>
                    {t('edit')}
                  </button>
                  <button
                    type="button"
                    className="btn btn-ghost"
                    onClick={() => {
                      if (window.confirm(t('confirmRemove', { name: rule.name }))) void act(() => rulesApi.remove(rule.id));
                    }}
                  >
                    {t('remove')}
                  </button>
                </div>
              ) : (
                <span className="muted-3 rule-controls">{t('readOnly')}</span>
              )}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
