import type { ResolveForward, UncertainForward } from '@pier/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../i18n';
import { AlertIcon } from '../../../ui/icons';
import { useStepUp } from '../../accounts/StepUp';
import { formatFullTime } from '../../inbox/format';
import { forwardingApi } from './api';

const key = ['audit', 'forwarding', 'uncertain'] as const;

/**
 * Forwards whose outcome is unknown (decision 0017): listed on the forwarding audit page for whoever
 * reads it; admins decide, after the risk of their choice is shown (step-up, audited on the server).
 * Nothing is listed when there is nothing to decide.
 */
export function UncertainForwards({ canDecide }: { canDecide: boolean }) {
  const { t } = useTranslation('audit');
  const queryClient = useQueryClient();
  const stepUp = useStepUp();
  const [confirming, setConfirming] = useState<(ResolveForward & { item: UncertainForward }) | null>(null);
  const list = useQuery({
    queryKey: key,
    queryFn: forwardingApi.uncertain,
  });
  const decide = useMutation({
    mutationFn: (input: ResolveForward) => stepUp.run(() => forwardingApi.resolveUncertain(input)),
    onSettled: () => {
      setConfirming(null);
      void queryClient.invalidateQueries({ queryKey: key });
      void queryClient.invalidateQueries({ queryKey: ['audit', 'forwarding'] });
    },
  });
  const items = list.data?.items ?? [];
  if (items.length === 0 && !decide.isError && !decide.isSuccess) return null;

  return (
    <section className="audit-uncertain" data-testid="uncertain-forwards">
      {stepUp.dialog}
      <h3 className="audit-section">
        <AlertIcon /> {t('forwarding.uncertain.title')}
      </h3>
      <p className="page-intro">{t('forwarding.uncertain.intro')}</p>
      {decide.isError ? (
        <p className="row-problem" role="alert">
          {errorMessage(decide.error)}
        </p>
      ) : decide.isSuccess ? (
        <p className="muted-3" role="status">
          {t('forwarding.uncertain.done')}
        </p>
      ) : null}
      {items.length > 0 ? (
        <table className="data-table audit-table">
          <thead>
            <tr>
              <th scope="col">{t('forwarding.uncertain.columns.mail')}</th>
              <th scope="col">{t('forwarding.uncertain.columns.rule')}</th>
              <th scope="col">{t('forwarding.uncertain.columns.target')}</th>
              <th scope="col">{t('forwarding.uncertain.columns.since')}</th>
              {canDecide ? <th scope="col" aria-label={t('forwarding.uncertain.resend')} /> : null}
            </tr>
          </thead>
          <tbody>
            {items.map((item) => {
              const open = confirming?.ruleId === item.ruleId && confirming.messageId === item.messageId ? confirming : null;
              const choose = (action: ResolveForward['action']) =>
                setConfirming({ ruleId: item.ruleId, messageId: item.messageId, action, item });
              return (
                <tr key={`${item.ruleId}:${item.messageId}`} data-testid="uncertain-forward">
                  <td>
                    <span className="cell-main">{item.subject}</span>
                    <span className="cell-sub">{item.from ?? ''}</span>
                    {item.error ? <span className="cell-sub">{item.error}</span> : null}
                  </td>
                  <td>
                    {item.ruleName} <span className="cell-sub">{item.mailboxAddress ?? ''}</span>
                  </td>
                  <td>
                    <span className="cell-main">{item.target}</span>
                    <span className="cell-sub">{item.external ? t('forwarding.external') : t('forwarding.internal')}</span>
                  </td>
                  <td className="nowrap">{formatFullTime(item.since)}</td>
                  {canDecide ? (
                    <td>
                      {open ? (
                        <div className="uncertain-confirm" role="alertdialog" data-testid="uncertain-confirm">
                          <p>
                            {open.action === 'resend'
                              ? t('forwarding.uncertain.confirmResend', { subject: item.subject, target: item.target })
                              : t('forwarding.uncertain.confirmMarkSent', { subject: item.subject, target: item.target })}
                          </p>
                          <div className="row-actions">
                            <button
                              type="button"
                              className="btn btn-primary btn-sm"
                              disabled={decide.isPending}
                              onClick={() => decide.mutate({ ruleId: open.ruleId, messageId: open.messageId, action: open.action })}
                              data-testid="uncertain-confirm-yes"
                            >
                              {open.action === 'resend' ? t('forwarding.uncertain.resend') : t('forwarding.uncertain.markSent')}
                            </button>
                            <button type="button" className="btn btn-sm" onClick={() => setConfirming(null)}>
                              {t('forwarding.uncertain.cancel')}
                            </button>
                          </div>
                        </div>
                      ) : (
                        <div className="row-actions">
                          <button type="button" className="btn btn-sm" onClick={() => choose('resend')} data-testid="uncertain-resend">
                            {t('forwarding.uncertain.resend')}
                          </button>
                          <button
                            type="button"
                            className="btn btn-sm"
                            onClick={() => choose('mark_sent')}
                            data-testid="uncertain-mark-sent"
                          >
                            {t('forwarding.uncertain.markSent')}
                          </button>
                        </div>
                      )}
                    </td>
                  ) : null}
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
