/**
 * English strings of double opt-in on Settings → campaigns (i18next namespace `campaignOptIn`,
 * decision 0059), registered by features/campaigns/OptInSection.tsx. It defines the shape of
 * `campaign-opt-in.zh-CN.ts`.
 */
export const campaignOptInEn = {
  title: 'Double opt-in',
  intro:
    'With double opt-in, each address added to the list gets one confirmation mail and receives no campaign until it clicks the link and confirms. The click’s time, IP address and browser are kept as proof of consent.',
  list: 'List',
  noStaticList: 'No imported list yet: double opt-in is for imported lists (a segment is read from the customers).',
  enabled: 'Ask new members to confirm (double opt-in)',
  mailbox: 'Confirmation mails from',
  save: 'Save',
  saved: 'Saved.',
  existingNote: 'Members already in the list keep their state; only addresses added from now on are asked.',
  counts: '{{confirmed}} confirmed · {{pending}} awaiting confirmation · {{none}} not asked',
  resendAll: 'Resend to all awaiting',
  resendAllDone: '{{queued}} confirmation mails queued; {{skipped}} not now (sent less than an hour ago, five sent, or suppressed).',
  resend: 'Resend',
  resendHint: 'At most one mail an hour and five in all per address; never to a suppressed address.',
  address: 'Address',
  state: 'State',
  mails: 'Mails',
  lastMail: 'Last mail',
  confirmedAt: 'Confirmed',
  evidence: 'Proof of consent',
  consent: 'Consent source',
  empty: 'This list has no members.',
  states: { none: 'Not asked', pending: 'Awaiting confirmation', expired: 'Link expired', confirmed: 'Confirmed' },
  mailStates: {
    queued: 'Mail queued',
    sending: 'Sending',
    sent: 'Mail sent',
    failed: 'Mail failed',
    uncertain: 'Mail uncertain',
    suppressed: 'Suppressed: not mailed',
  },
  listColumn: 'On · {{count}} awaiting',
  importOptIn: 'Double opt-in: new addresses confirm by a mail from',
  importOptInOff: 'No (consent on record is enough)',
};

export type CampaignOptInCatalogue = typeof campaignOptInEn;
