/** English strings of a campaign's clicks per link (i18next namespace `campaignLinks`, decision 0060). */
export const campaignLinksEn = {
  show: 'Links',
  hide: 'Hide links',
  title: 'Clicks per link — {{subject}}',
  intro:
    'Each tracked link of the HTML version. Unique: recipients who clicked it at least once; total: every click. Link scanners of mail providers may click too, so these are upper bounds.',
  url: 'Link',
  unique: 'Unique clicks',
  total: 'Total clicks',
  empty: 'This mail has no tracked links.',
  loading: 'Loading…',
};

export type CampaignLinksCatalogue = typeof campaignLinksEn;
