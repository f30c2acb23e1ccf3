/**
 * English strings of the segment builder on Settings → campaigns (i18next namespace
 * `campaignSegments`, decision 0058), registered by features/campaigns/SegmentBuilder.tsx.
 */
export const campaignSegmentsEn = {
  title: 'New segment of customers',
  intro:
    'A segment is read from the customers each time a campaign is queued, so it stays current. Choose it by its name as a campaign’s list (the CLI: --list NAME). Suppressed addresses never get mail.',
  name: 'Name',
  tags: 'Tags (any of them, comma-separated)',
  countries: 'Countries (ISO codes, comma-separated)',
  domains: 'Company domains (comma-separated)',
  owner: 'Owner',
  anyOwner: 'Any owner',
  pool: 'In the pool (no owner)',
  language: 'Language of their latest mail',
  anyLanguage: 'Any language',
  contactedWithin: 'Mail with them within (days)',
  quietFor: 'No mail with them for (days)',
  counting: 'Counting…',
  count: '{{matching}} match · {{suppressed}} suppressed · {{recipients}} would receive it',
  sampleTitle: 'First recipients',
  address: 'Address',
  contactName: 'Name',
  company: 'Company',
  country: 'Country',
  noMatch: 'No customer matches.',
  save: 'Save segment',
  saved: 'Segment “{{name}}” saved.',
  suppressed: 'Suppressed',
  recipients: 'Would receive',
};

export type CampaignSegmentsCatalogue = typeof campaignSegmentsEn;
