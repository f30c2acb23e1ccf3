/**
 * English catalogue of the badge beside a reply to a campaign in the conversation view (i18next
 * namespace `campaignReply`), registered by features/campaigns/CampaignReplyBadge.tsx.
 */
export const campaignReplyEn = {
  badge: 'Reply to campaign',
  /** The hover title and screen-reader label: the campaign's subject. */
  title: 'Reply to the campaign “{{subject}}”',
};

export type CampaignReplyCatalogue = typeof campaignReplyEn;
