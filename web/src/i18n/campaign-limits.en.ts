/**
 * English strings of the providers' sending caps on Settings → campaigns (i18next namespace
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
  saved: 'Saved.',
};

export type CampaignLimitsCatalogue = typeof campaignLimitsEn;
