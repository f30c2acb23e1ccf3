import type { WebhookDelivery } from '@pier/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../i18n';
import { Notice } from '../../../ui/Notice';
import { formatRelative, useNow } from '../relativeTime';
import { apiSettingsApi, apiSettingsKeys } from './api';

/** Delivered reads like an active mailbox, a failure like a mailbox problem, a retry muted like a paused one. */
const deliveryTone: Record<WebhookDelivery['state'], string> = { delivered: '', pending: 'paused', failed: 'problem' };

/** A hook's newest deliveries with the receiver's HTTP status and tries; "send again" queues a copy. */
export function DeliveryLog({ hookId }: { hookId: string }) {
  const { t } = useTranslation('api');
  const now = useNow();
  const queryClient = useQueryClient();
  const log = useQuery({
    queryKey: apiSettingsKeys.deliveries(hookId),
    queryFn: () => apiSettingsApi.deliveries(hookId),
    refetchInterval: 10_000,
  });
  const redeliver = useMutation({
    mutationFn: apiSettingsApi.redeliver,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: apiSettingsKeys.deliveries(hookId) }),
  });

  if (log.isPending) return <p aria-busy="true">{t('loading')}</p>;
  if (log.isError) return <Notice>{t('loadFailed')}</Notice>;
  if (log.data.deliveries.length === 0) return <p className="hint">{t('hooks.noDeliveries')}</p>;
  return (
    <div className="table-scroll" data-testid="api-hook-deliveries">
      <table className="data-table api-table">
        <thead>
          <tr>
            <th>{t('hooks.colEvent')}</th>
            <th>{t('hooks.colState')}</th>
            <th>{t('hooks.colCode')}</th>
            <th>{t('hooks.colAttempts')}</th>
            <th>{t('hooks.colTime')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {log.data.deliveries.map((d) => (
            <tr key={d.id} data-testid="api-delivery-row">
              <td>
                {t(`hooks.event.${d.event}`)}
                {d.redeliveryOf ? <span className="cell-sub"> ({t('hooks.redelivery')})</span> : null}
              </td>
              <td>
                <span className={`badge status-badge ${deliveryTone[d.state]}`} data-testid="api-delivery-state">
                  {t(`hooks.state.${d.state}`)}
                </span>
                {d.error ? <span className="cell-sub"> {d.error}</span> : null}
              </td>
              <td>{d.responseCode ?? '—'}</td>
              <td>{d.attempts}</td>
              <td className="nowrap">{formatRelative(d.lastAttemptAt ?? d.createdAt, now)}</td>
              <td className="row-actions">
                <button
                  type="button"
                  className="btn btn-sm"
                  disabled={redeliver.isPending}
                  onClick={() => redeliver.mutate({ id: hookId, deliveryId: d.id })}
                  data-testid="api-redeliver"
                >
                  {t('hooks.redeliver')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {redeliver.isError ? <Notice>{errorMessage(redeliver.error)}</Notice> : null}
    </div>
  );
}
