import type { OutboxItem } from '@pier/contracts';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../i18n';
import { SEND_REASON_KEYS, type SendReasonKey } from '../../i18n/composer.en';
import { composerApi } from './api';

// awaiting_approval waits on a person (maybe for hours): no polling; the approval panel refreshes it.
const FINAL = new Set<OutboxItem['state']>(['sent', 'failed', 'uncertain', 'bounced', 'draft', 'awaiting_approval', 'rejected']);

/** Where each mail sent from Pier in this conversation is: queued, sent, failed (why), uncertain (decide). */
export function OutboxStatusList({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation('composer');
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  // Deciding about an uncertain mail is explicit: the risk of each choice is shown before it is made.
  const [confirming, setConfirming] = useState<{ id: string; action: 'resend' | 'mark_sent' } | null>(null);
  const outbox = useQuery({
    queryKey: ['conversation-outbox', conversationId],
    queryFn: () => composerApi.conversationOutbox(conversationId),
    // Poll only while something is still on its way.
    refetchInterval: (query) => (query.state.data?.items.some((i) => !FINAL.has(i.state)) ? 1500 : false),
  });
  const items = outbox.data?.items ?? [];
  if (items.length === 0) return null;

  const resolve = async (id: string, action: 'resend' | 'mark_sent') => {
    setError(null);
    setConfirming(null);
    try {
      await composerApi.resolve(id, action);
    } catch (err) {
      setError(errorMessage(err));
    }
    void queryClient.invalidateQueries({ queryKey: ['conversation-outbox', conversationId] });
  };

  return (
    <section className="outbox-status" aria-label={t('status.title')} data-testid="outbox-status">
      <h3>{t('status.title')}</h3>
      <ul>
        {items.map((item) => (
          <li key={item.id} className={`outbox-item outbox-${item.state}`} data-testid="outbox-item" data-state={item.state}>
            <span className={`outbox-badge outbox-badge-${item.state}`}>{t(`status.${item.state}`)}</span>
            {item.sentAt ? <time className="muted">{new Date(item.sentAt).toLocaleString()}</time> : null}
            {item.attempts > 1 ? <span className="muted">{t('status.attempts', { count: item.attempts })}</span> : null}
            {item.errorCode ? <p className="outbox-reason">{reasonText(t, item)}</p> : null}
            {item.state === 'uncertain' ? <p className="outbox-help">{t('status.uncertainHelp')}</p> : null}
            {confirming?.id === item.id ? (
              <div className="outbox-confirm" role="alertdialog" aria-labelledby={`outbox-confirm-${item.id}`} data-testid="outbox-confirm">
                <strong id={`outbox-confirm-${item.id}`}>
                  {confirming.action === 'resend' ? t('status.confirmResendTitle') : t('status.confirmMarkSentTitle')}
                </strong>
                <p>{confirming.action === 'resend' ? t('status.confirmResend') : t('status.confirmMarkSent')}</p>
                <div className="composer-actions-row">
                  <button
                    type="button"
                    className="btn btn-primary"
                    onClick={() => void resolve(item.id, confirming.action)}
                    data-testid="outbox-confirm-yes"
                  >
                    {confirming.action === 'resend' ? t('status.confirmResendYes') : t('status.confirmMarkSentYes')}
                  </button>
                  <button type="button" className="btn" onClick={() => setConfirming(null)}>
                    {t('status.cancel')}
                  </button>
                </div>
              </div>
            ) : item.state === 'uncertain' || item.state === 'failed' ? (
              <div className="composer-actions-row">
                <button
                  type="button"
                  className="btn"
                  onClick={() =>
                    // A failed mail did not leave: trying again cannot double it. An uncertain one might.
                    item.state === 'failed' ? void resolve(item.id, 'resend') : setConfirming({ id: item.id, action: 'resend' })
                  }
                  data-testid="outbox-resend"
                >
                  {item.state === 'failed' ? t('status.retry') : t('status.resend')}
                </button>
                {item.state === 'uncertain' ? (
                  <button
                    type="button"
                    className="btn"
                    onClick={() => setConfirming({ id: item.id, action: 'mark_sent' })}
                    data-testid="outbox-mark-sent"
                  >
                    {t('status.markSent')}
                  </button>
                ) : null}
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      {error ? <p className="composer-error">{error}</p> : null}
    </section>
  );
}

function reasonText(t: ReturnType<typeof useTranslation<'composer'>>['t'], item: OutboxItem): string {
  const code = item.errorCode ?? '';
  if ((SEND_REASON_KEYS as readonly string[]).includes(code)) {
    return t(`reasons.${code as SendReasonKey}`, { detail: item.errorDetail ?? '' });
  }
  return item.errorDetail ?? code;
}
