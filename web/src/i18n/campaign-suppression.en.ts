/**
 * English strings of the suppression list's management, a member edited or removed, and the CSV
 * import's report (i18next namespace `campaignSuppression`, decision 0072). It defines the shape of
 * `campaign-suppression.zh-CN.ts`.
 */
export const campaignSuppressionEn = {
  search: 'Search by address',
  allReasons: 'All reasons ({{count}})',
  reasonCount: '{{label}} ({{count}})',
  reasonFilter: 'Reason',
  source: 'Source',
  sourceCampaign: 'Campaign “{{subject}}”',
  sourceNone: 'Added by hand',
  none: 'No address matches.',
  lift: 'Remove from the list',
  liftTitle: 'Mail {{address}} again?',
  liftIntro:
    'Only when the mailbox works again (it was full, the domain was fixed, the provider’s outage is over). Say why: the note is kept in the audit log.',
  note: 'Note (required)',
  notePlaceholder: 'e.g. IT confirmed by phone that the mailbox is fixed',
  liftConfirm: 'Remove from the suppression list',
  cancel: 'Cancel',
  lifted: '{{address}} is off the suppression list: the next campaign to its lists mails it again.',
  whyNoButton: {
    unsubscribed: 'Unsubscribed by the person: only their own new confirmed opt-in can undo it, not an admin.',
    complaint: 'Reported a mail as spam: only their own new confirmed opt-in can undo it, not an admin.',
  },
  member: {
    edit: 'Edit',
    remove: 'Remove',
    removeConfirm:
      'Remove {{address}} from “{{list}}”? Its consent record goes with it (the audit log keeps it). The suppression list does not change: an unsubscribed address stays unsubscribed.',
    removed: '{{address}} removed from the list.',
    editTitle: 'Edit {{address}}',
    editHint: 'Merge fields and the language of the confirmation mails; the address and the consent record stay as they are.',
    name: 'Name',
    company: 'Company',
    country: 'Country code (e.g. DE)',
    timeZone: 'Time zone (e.g. Europe/Berlin)',
    language: 'Language of the confirmation mail',
    languageNone: 'Not set',
    save: 'Save',
    saved: '{{address}} saved.',
  },
  report: {
    title: 'Import report',
    counts:
      '{{added}} added · {{existing}} already members (updated) · {{suppressed}} suppressed (in the list, never mailed) · {{invalid}} invalid · {{duplicate}} duplicates in the file',
    download: 'Download the {{count}} rows not mailed (CSV)',
    line: 'Line',
    outcome: 'Outcome',
    reason: 'Why',
    more: '… and {{count}} more in the download.',
    outcomes: {
      suppressed: 'Suppressed',
      invalid: 'Invalid',
      duplicate: 'Duplicate',
    },
  },
};

export type CampaignSuppressionCatalogue = typeof campaignSuppressionEn;
