import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import i18next, { errorMessage } from '../../i18n';
import { campaignLinksEn } from '../../i18n/campaign-links.en';
import { campaignLinksZhCN } from '../../i18n/campaign-links.zh-CN';
import { Notice } from '../../ui/Notice';
import { campaignsApi, campaignsKeys } from './api';
import { DataTable } from './DataTable';

i18next.addResourceBundle('en', 'campaignLinks', campaignLinksEn, true, true);
i18next.addResourceBundle('zh-CN', 'campaignLinks', campaignLinksZhCN, true, true);

/** A tracking campaign's clicks per link: unique (recipients) and total, most clicked first (decision 0060). */
export function CampaignLinks({ campaign }: { campaign: { id: string; subject: string } }) {
  const { t } = useTranslation('campaignLinks');
  const links = useQuery({
    queryKey: campaignsKeys.links(campaign.id),
    queryFn: () => campaignsApi.links(campaign.id),
    refetchInterval: 10_000,
  });
  const rows = links.data?.links ?? [];
  return (
    <section className="campaign-links" aria-labelledby={`campaign-links-${campaign.id}`} data-testid="campaign-links">
      <h4 id={`campaign-links-${campaign.id}`}>{t('title', { subject: campaign.subject })}</h4>
      <p className="hint">{t('intro')}</p>
      {links.isPending ? <p aria-busy="true">{t('loading')}</p> : null}
      {links.isError ? <Notice>{errorMessage(links.error)}</Notice> : null}
      {links.data && rows.length === 0 ? <p className="hint">{t('empty')}</p> : null}
      {rows.length > 0 ? (
        <DataTable
          testId="campaign-links-table"
          head={
            <>
              <th>{t('url')}</th>
              <th className="num">{t('unique')}</th>
              <th className="num">{t('total')}</th>
            </>
          }
        >
          {rows.map((l) => (
            <tr key={l.url}>
              <td className="campaign-link-url" dir="ltr">
                <a href={l.url} target="_blank" rel="noopener noreferrer">
                  {l.url}
                </a>
              </td>
              <td className="num">{l.uniqueClicks}</td>
              <td className="num">{l.totalClicks}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </section>
  );
}
