import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import i18next, { errorMessage } from '../../i18n';
import { campaignLimitsEn } from '../../i18n/campaign-limits.en';
import { campaignLimitsZhCN } from '../../i18n/campaign-limits.zh-CN';
import { Notice } from '../../ui/Notice';
import { campaignsApi, campaignsKeys, type ProviderLimit } from './api';
import { DataTable } from './DataTable';

i18next.addResourceBundle('en', 'campaignLimits', campaignLimitsEn, true, true);
i18next.addResourceBundle('zh-CN', 'campaignLimits', campaignLimitsZhCN, true, true);

/** The providers' sending caps: each shown as set by an admin or as a default to check with the provider. */
export function ProviderLimitsSection() {
  const { t } = useTranslation('campaignLimits');
  const limits = useQuery({ queryKey: campaignsKeys.limits, queryFn: campaignsApi.limits });
  return (
    <section className="campaigns-section" aria-labelledby="campaign-limits-title">
      <h3 id="campaign-limits-title">{t('title')}</h3>
      <p className="hint">{t('intro')}</p>
      {limits.isError ? <Notice>{errorMessage(limits.error)}</Notice> : null}
      {limits.data ? (
        <DataTable
          testId="provider-limits"
          className="provider-limits"
          head={
            <>
              <th>{t('provider')}</th>
              <th className="num">{t('perMinute')}</th>
              <th className="num">{t('perDay')}</th>
              <th>{t('source')}</th>
              <th className="actions" />
            </>
          }
        >
          {limits.data.limits.map((limit) => (
            <LimitRow key={limit.preset} limit={limit} />
          ))}
        </DataTable>
      ) : null}
    </section>
  );
}

function LimitRow({ limit }: { limit: ProviderLimit }) {
  const { t } = useTranslation('campaignLimits');
  const { t: ts } = useTranslation('settings');
  const queryClient = useQueryClient();
  const [perMinute, setPerMinute] = useState(String(limit.perMinute));
  const [perDay, setPerDay] = useState(String(limit.perDay));
  const valid = Number.isInteger(Number(perMinute)) && Number(perMinute) >= 1 && Number.isInteger(Number(perDay)) && Number(perDay) >= 1;
  const save = useMutation({
    mutationFn: () => campaignsApi.setLimits({ preset: limit.preset, perMinute: Number(perMinute), perDay: Number(perDay) }),
    onSuccess: (data) => queryClient.setQueryData(campaignsKeys.limits, data),
  });
  const name = ts(`presets.${limit.preset}.name` as 'presets.other.name', { defaultValue: limit.preset });
  return (
    <tr data-preset={limit.preset}>
      <td>{name}</td>
      <td className="num">
        <input
          className="input limit-input"
          inputMode="numeric"
          aria-label={`${name} · ${t('perMinute')}`}
          value={perMinute}
          onChange={(e) => setPerMinute(e.target.value)}
        />
      </td>
      <td className="num">
        <input
          className="input limit-input"
          inputMode="numeric"
          aria-label={`${name} · ${t('perDay')}`}
          value={perDay}
          onChange={(e) => setPerDay(e.target.value)}
        />
      </td>
      <td>
        {limit.configured ? (
          t('configured')
        ) : (
          <span className="limit-default" data-testid="limit-default">
            {t('defaultToVerify')}
          </span>
        )}
        {save.isError ? <Notice>{errorMessage(save.error)}</Notice> : null}
      </td>
      <td className="actions">
        <button type="button" className="btn btn-sm" disabled={!valid || save.isPending} onClick={() => save.mutate()}>
          {t('save')}
        </button>
      </td>
    </tr>
  );
}
