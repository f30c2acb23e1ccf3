import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useStepUp } from '../accounts/StepUp';
import { fraudApi } from './api';
import { ReasonFields, reasonIsGiven } from './ReasonFields';
import './trust-i18n';

/**
 * "Trust this sender…" under one flagged mail (admins): vouch for its address or its whole domain,
 * with a reason. The server audits it (`fraud.party_trusted`) and judges the party's conversations
 * again, so the panel refreshes with the new verdict. Only for a party checked outside the mail.
 */
export function TrustSender({ conversationId, from }: { conversationId: string; from: string }) {
  const { t } = useTranslation('trust');
  const queryClient = useQueryClient();
  const stepUp = useStepUp();
  const id = useId();
  const address = from.trim().toLowerCase();
  const domain = address.split('@')[1] ?? '';
  const [open, setOpen] = useState(false);
  const [kind, setKind] = useState<'address' | 'domain'>('address');
  const [reason, setReason] = useState('');
  const value = kind === 'address' ? address : domain;
  const mark = useMutation({
    mutationFn: () => stepUp.run(() => fraudApi.markTrusted({ kind, value, reason: reason.trim() })),
    onSuccess: () => {
      setOpen(false);
      setReason('');
      void queryClient.invalidateQueries({ queryKey: ['fraud'] });
      void queryClient.invalidateQueries({ queryKey: ['conversations'] });
    },
  });
  if (!open) {
    return (
      <>
        {mark.isSuccess ? (
          <p className="fraud-saved" role="status" data-testid="fraud-trust-done">
            {t('panel.done', { value })}
          </p>
        ) : null}
        <button type="button" className="btn" onClick={() => setOpen(true)} data-testid="fraud-trust-open">
          {t('panel.open')}
        </button>
      </>
    );
  }
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (reasonIsGiven(reason)) mark.mutate();
  };
  return (
    <form className="fraud-clear-form" onSubmit={submit} data-testid="fraud-trust-form" data-conversation-id={conversationId}>
      <strong>{t('panel.title')}</strong>
      <span className="fraud-cleared">{t('panel.hint')}</span>
      <fieldset className="fraud-outcomes">
        <legend className="visually-hidden">{t('panel.title')}</legend>
        <label>
          <input type="radio" name={`${id}-kind`} checked={kind === 'address'} onChange={() => setKind('address')} />
          {t('panel.address', { value: address })}
        </label>
        {domain ? (
          <label>
            <input
              type="radio"
              name={`${id}-kind`}
              checked={kind === 'domain'}
              onChange={() => setKind('domain')}
              data-testid="fraud-trust-domain"
            />
            {t('panel.domain', { value: domain })}
          </label>
        ) : null}
      </fieldset>
      <ReasonFields
        id={id}
        label={t('panel.reason')}
        reason={reason}
        onReason={setReason}
        error={mark.error}
        pending={mark.isPending}
        submitLabel={t('panel.submit')}
        savingLabel={t('panel.saving')}
        cancelLabel={t('panel.cancel')}
        onCancel={() => setOpen(false)}
        submitTestId="fraud-trust-submit"
      >
        <Link to="/settings/trusted-parties" className="btn btn-ghost">
          {t('panel.manage')}
        </Link>
      </ReasonFields>
      {stepUp.dialog}
    </form>
  );
}
