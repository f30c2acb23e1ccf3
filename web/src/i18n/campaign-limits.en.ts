/**
 * English strings of the providers' sending caps and of click tracking on Settings → campaigns (namespace
 * `campaignLimits`, decision 0058), registered by features/campaigns/ProviderLimits.tsx.
 */
export const campaignLimitsEn = {
  title: 'Sending caps per provider',
  intro:
    'A campaign never sends faster than its mailbox provider’s caps (per minute and per 24 hours). The defaults are cautious guesses, not the providers’ published figures: check your contract (Tencent Exmail and Alibaba Mail block an account that sends beyond its cap) and set the real figures.',
  provider: 'Provider',
  perMinute: 'Per minute',
  perDay: 'Per 24 hours',
  source: 'Source',
  configured: 'Set by an admin',
  defaultToVerify: 'Default — check with your provider',
  save: 'Save',
  trackClicks: 'Count clicks on links (optional)',
  trackClicksHint:
    'Links of the HTML version go through Pier’s signed redirect and each recipient who clicks is counted. Off by default; the plain-text version keeps its links as written.',
  saved: 'Saved.',
};

export type CampaignLimitsCatalogue = typeof campaignLimitsEn;
