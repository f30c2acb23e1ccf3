import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../i18n';
import { useStepUp } from '../accounts/StepUp';
import { fraudApi, fraudKeys } from './api';
import './fraud.css';

/** The mailbox's second-approver rule (admins; the server asks for a fresh step-up). */
export function SecondApproverSetting({ mailboxId }: { mailboxId: string }) {
  const { t } = useTranslation('fraud');
  const id = useId();
  const queryClient = useQueryClient();
  const stepUp = useStepUp();
  const query = useQuery({ queryKey: fraudKeys.settings(mailboxId), queryFn: () => fraudApi.settings(mailboxId) });
  const save = useMutation({
    mutationFn: (secondApprover: boolean) => stepUp.run(() => fraudApi.saveSettings(mailboxId, { secondApprover })),
    onSuccess: (data) => queryClient.setQueryData(fraudKeys.settings(mailboxId), data),
  });
  if (!query.data) return null;
  return (
    <section className="settings-section fraud-settings" data-testid="fraud-settings">
      <h2>{t('settings.title')}</h2>
      <label htmlFor={`${id}-second`} className="fraud-settings-toggle">
        <input
          id={`${id}-second`}
          type="checkbox"
          checked={query.data.secondApprover}
          disabled={save.isPending}
          onChange={(e) => save.mutate(e.target.checked)}
          data-testid="fraud-second-approver"
        />
        {t('settings.secondApprover')}
      </label>
      <p className="muted">{t('settings.secondApproverHint')}</p>
      {save.isSuccess ? <p className="fraud-saved">{t('settings.saved')}</p> : null}
      {save.isError ? (
        <p className="field-error" role="alert">
          {errorMessage(save.error)}
        </p>
      ) : null}
      {stepUp.dialog}
    </section>
  );
}
