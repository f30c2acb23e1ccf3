import type { Role } from '@pier/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../i18n';
import { Field } from '../../../ui/Field';
import { Notice } from '../../../ui/Notice';
import { useStepUpAction } from '../../accounts/StepUp';
import { publicUrlApi } from './api';

const publicUrlKey = ['settings', 'public-url'] as const;

/**
 * Where invitation and reset links point (PIER_PUBLIC_URL, else the address stored at first run).
 * Without one, links are never emailed: admins copy them. A super admin sets it (step-up).
 */
export function PublicAddress({ role }: { role: Role }) {
  const { t } = useTranslation('users');
  const queryClient = useQueryClient();
  const setting = useQuery({ queryKey: publicUrlKey, queryFn: publicUrlApi.load });
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState('');
  const save = useStepUpAction(publicUrlApi.save, {
    onSuccess: (saved) => {
      queryClient.setQueryData(publicUrlKey, saved);
      setEditing(false);
    },
  });
  if (!setting.data) return null;
  const { publicUrl, source } = setting.data;
  const canEdit = role === 'super_admin' && source !== 'environment';
  const startEditing = () => {
    setValue(publicUrl ?? window.location.origin);
    setEditing(true);
  };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!save.isPending) save.mutate(value.trim());
  };

  return (
    <section className={publicUrl ? 'users-address' : 'users-address missing'} data-testid="public-address">
      <p>
        {publicUrl ? (
          <>
            {t('address.current')} <strong data-testid="public-address-value">{publicUrl}</strong>
            {source === 'environment' ? <span className="muted"> {t('address.fromEnvironment')}</span> : null}
          </>
        ) : (
          t('address.missing')
        )}
      </p>
      {canEdit && !editing ? (
        <button type="button" className="btn btn-sm" data-testid="public-address-edit" onClick={startEditing}>
          {publicUrl ? t('address.change') : t('address.set')}
        </button>
      ) : null}
      {editing ? (
        <form className="users-address-form" onSubmit={onSubmit} noValidate>
          {save.isError ? <Notice>{errorMessage(save.error)}</Notice> : null}
          <Field
            id="public-address-input"
            data-testid="public-address-input"
            label={t('address.label')}
            type="url"
            inputMode="url"
            spellCheck={false}
            maxLength={300}
            value={value}
            onChange={(event) => setValue(event.target.value)}
          />
          <div className="users-address-actions">
            <button type="submit" className="btn btn-primary btn-sm" data-testid="public-address-save" disabled={save.isPending}>
              {t('address.save')}
            </button>
            <button type="button" className="btn btn-ghost btn-sm" onClick={() => setEditing(false)}>
              {t('address.cancel')}
            </button>
          </div>
        </form>
      ) : null}
      {save.dialog}
    </section>
  );
}
