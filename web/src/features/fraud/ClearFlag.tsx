import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fraudApi, fraudKeys } from './api';
import './FraudMarker';
import { ReasonFields, reasonIsGiven } from './ReasonFields';

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
    if (reasonIsGiven(reason)) clear.mutate();
  };
  return (
    <form className="fraud-clear-form" onSubmit={submit} data-testid="fraud-clear-form">
      <strong>{t('clear.title')}</strong>
      <span className="fraud-cleared">{t('clear.hint')}</span>
      <ReasonFields
        id={id}
        label={t('clear.reason')}
        reason={reason}
        onReason={setReason}
        error={clear.error}
        pending={clear.isPending}
        submitLabel={t('clear.submit')}
        savingLabel={t('clear.saving')}
        cancelLabel={t('clear.cancel')}
        onCancel={() => setOpen(false)}
      />
    </form>
  );
}
