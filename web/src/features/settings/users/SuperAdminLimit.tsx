import type { Role } from '@pier/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../i18n';
import { Notice } from '../../../ui/Notice';
import { useStepUpAction } from '../../accounts/StepUp';
import { superAdminPolicyApi, usersKeys } from './api';

const CHOICES = [1, 2, 3, 4, 5] as const;

/**
 * The workspace's limit on super admins ("1–2 people", the guide's rule). A super admin sets it
 * (step-up); Pier then refuses a grant, an invitation or a reactivation beyond it.
 */
export function SuperAdminLimit({ role }: { role: Role }) {
  const { t } = useTranslation('users');
  const queryClient = useQueryClient();
  const policy = useQuery({ queryKey: usersKeys.superAdminPolicy, queryFn: superAdminPolicyApi.load });
  const [value, setValue] = useState<string | null>(null);
  const save = useStepUpAction(superAdminPolicyApi.save, {
    onSuccess: (saved) => {
      queryClient.setQueryData(usersKeys.superAdminPolicy, saved);
      void queryClient.invalidateQueries({ queryKey: usersKeys.list });
      setValue(null);
    },
  });
  if (!policy.data) return null;
  const current = policy.data.maxSuperAdmins;
  const shown = value ?? (current === null ? '' : String(current));
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!save.isPending) save.mutate({ maxSuperAdmins: shown === '' ? null : Number(shown) });
  };
  return (
    <section className="users-sender" data-testid="super-admin-limit">
      {role === 'super_admin' ? (
        <form className="users-limit-form" onSubmit={onSubmit} noValidate>
          {save.isError ? <Notice>{errorMessage(save.error)}</Notice> : null}
          <div className="field">
            <label htmlFor="super-admin-limit">{t('limit.label')}</label>
            <div className="users-limit-row">
              <select
                id="super-admin-limit"
                className="input users-limit-select"
                data-testid="super-admin-limit-select"
                value={shown}
                onChange={(e) => setValue(e.target.value)}
              >
                <option value="">{t('limit.none')}</option>
                {CHOICES.map((n) => (
                  <option key={n} value={String(n)}>
                    {t('limit.atMost', { count: n })}
                  </option>
                ))}
              </select>
              <button
                type="submit"
                className="btn btn-sm"
                data-testid="super-admin-limit-save"
                disabled={save.isPending || value === null || shown === (current === null ? '' : String(current))}
              >
                {t('limit.save')}
              </button>
            </div>
          </div>
        </form>
      ) : (
        <p data-testid="super-admin-limit-value">
          {t('limit.label')}: <strong>{current === null ? t('limit.none') : t('limit.atMost', { count: current })}</strong>
        </p>
      )}
      <p className="muted">{t('limit.hint')}</p>
      {save.dialog}
    </section>
  );
}
