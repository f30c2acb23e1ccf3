/**
 * English strings of a list's members (paged, searched, counted by status), adding one contact by
 * hand, and cancelling a campaign (i18next namespace `campaignMembers`, decision 0068). It defines
 * the shape of `campaign-members.zh-CN.ts`.
 */
export const campaignMembersEn = {
  sectionTitle: 'List members and double opt-in',
  search: 'Search by address, name or company',
  allStatuses: 'All ({{count}})',
  statuses: {
    subscribed: 'Subscribed',
    pending: 'Awaiting opt-in',
    unsubscribed: 'Unsubscribed',
    suppressed: 'Suppressed',
  },
  statusCount: '{{label}} ({{count}})',
  statusFilter: 'Status',
  none: 'No member matches.',
  name: 'Name',
  company: 'Company',
  suppressedWhy: '{{reason}} since {{since}}',
  add: {
    title: 'Add a contact',
    address: 'Email address',
    name: 'Name (optional)',
    company: 'Company (optional)',
    country: 'Country code (optional, e.g. DE)',
    language: 'Language of the confirmation mail',
    languageAuto: 'By country',
    consentSource: 'Consent source (required)',
    consentSourceHint: 'Where and how this person agreed, e.g. “Canton Fair 2026 form, booth 12.1”.',
    consentDate: 'Consent date (required)',
    submit: 'Add to the list',
    added: '{{address}} added: subscribed.',
    addedPending: '{{address}} added: a confirmation mail is on its way; no campaign reaches it before the click.',
    suppressed: '{{address}} is on the suppression list ({{reason}} since {{since}}). No campaign may mail it, so it is not added.',
  },
  cancel: {
    button: 'Cancel',
    confirm:
      'Cancel “{{subject}}”? The {{pending}} recipients not sent yet will never get it; the {{sent}} already sent stay counted. This cannot be undone.',
    scheduled: 'Scheduled for {{when}}',
    cancelledNote: '{{count}} not sent (cancelled)',
  },
  pending: 'Pending',
  pendingHint: 'Queued and not sent yet (waiting for their time or the provider’s cap).',
};

export type CampaignMembersCatalogue = typeof campaignMembersEn;
