import type { TimelineItem } from '@pier/contracts';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import i18next from '../../i18n';
import { campaignReplyEn } from '../../i18n/campaign-reply.en';
import { campaignReplyZhCN } from '../../i18n/campaign-reply.zh-CN';
import { useSession } from '../session/queries';
import './campaign-reply.css';

i18next.addResourceBundle('en', 'campaignReply', campaignReplyEn, true, true);
i18next.addResourceBundle('zh-CN', 'campaignReply', campaignReplyZhCN, true, true);

type Campaign = NonNullable<Extract<TimelineItem, { kind: 'message' }>['campaign']>;

/**
 * Beside an incoming reply to a campaign: which campaign it answers. Admins and auditors (who see
 * the campaigns page) get a link to it; an agent sees the subject only.
 */
export function CampaignReplyBadge({ campaign }: { campaign: Campaign }) {
  const { t } = useTranslation('campaignReply');
  const role = useSession().data?.user.role;
  const title = t('title', { subject: campaign.subject });
  const label = (
    <>
      {t('badge')}: <bdi>{campaign.subject}</bdi>
    </>
  );
  const canOpen = role === 'super_admin' || role === 'admin' || role === 'auditor';
  return canOpen ? (
    <Link className="campaign-reply" to={`/settings/campaigns#campaign-${campaign.id}`} title={title} data-testid="campaign-reply">
      {label}
    </Link>
  ) : (
    <span className="campaign-reply" title={title} data-testid="campaign-reply">
      {label}
    </span>
  );
}
