import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../i18n';
import { fraudApi, fraudKeys } from './api';
import './FraudMarker';

/**
 * "Not fraud…" under one flagged mail: a person says why (audited as `fraud.flag_cleared`); the
 * server trusts the sender from then on and judges the conversations about it again.
 */
export function ClearFlag({ conversationId, messageId }: { conversationId: string; messageId: string }) {
  const { t } = useTranslation('fraudMarker');
  const queryClient = useQueryClient();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const clear = useMutation({
    mutationFn: () => fraudApi.clearFlag(conversationId, { messageId, reason: reason.trim() }),
    onSuccess: (data) => {
      setOpen(false);
      queryClient.setQueryData(fraudKeys.conversation(conversationId), data);
      void queryClient.invalidateQueries({ queryKey: ['fraud'] });
      void queryClient.invalidateQueries({ queryKey: ['conversations'] });
    },
  });
  if (!open) {
    return (
      <button type="button" className="btn" onClick={() => setOpen(true)} data-testid="fraud-clear-open">
        {t('clear.open')}
      </button>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reason.trim().length >= 3) clear.mutate();
  };
  return (
    <form className="fraud-clear-form" onSubmit={submit} data-testid="fraud-clear-form">
      <strong>{t('clear.title')}</strong>
      <span className="fraud-cleared">{t('clear.hint')}</span>
      <label htmlFor={`${id}-reason`}>{t('clear.reason')}</label>
      <textarea
        id={`${id}-reason`}
        className="input"
        required
        minLength={3}
        maxLength={500}
        value={reason}
        onChange={(event) => setReason(event.target.value)}
      />
      {clear.isError ? (
        <p role="alert" className="fraud-phone-required">
          {errorMessage(clear.error)}
        </p>
      ) : null}
      <div className="fraud-clear-actions">
        <button type="submit" className="btn" disabled={clear.isPending || reason.trim().length < 3}>
          {clear.isPending ? t('clear.saving') : t('clear.submit')}
        </button>
        <button type="button" className="btn" onClick={() => setOpen(false)}>
          {t('clear.cancel')}
        </button>
      </div>
    </form>
  );
}
