/**
 * English catalogue of trust marks (i18next namespace `trust`): "Trust this sender…" in a flagged
 * conversation's fraud panel and the settings page /settings/trusted-parties. Registered by
 * features/fraud/trust-i18n.ts; it defines the shape of `trust.zh-CN.ts`.
 */
export const trustEn = {
  nav: 'Trusted parties',
  pageTitle: 'Trusted parties',
  intro:
    'Senders, domains, bank accounts and phone numbers a person vouched for. Pier does not warn about them, and never treats them as a look-alike. Every mark and every revoke is recorded in the audit log, and the conversations about the party are judged again.',
  kinds: {
    domain: 'Domain',
    address: 'Address',
    bank_account: 'Bank account',
    phone: 'Phone number',
  },
  sources: {
    admin: 'Marked by an admin',
    cleared: 'Flag cleared as not fraud',
  },
  columns: {
    party: 'Party',
    kind: 'Kind',
    reason: 'Reason',
    by: 'Who, when',
    status: 'Status',
    actions: 'Actions',
  },
  byAt: '{{name}}, {{time}}',
  unknownUser: 'unknown',
  active: 'Trusted',
  revoked: 'Revoked by {{name}}, {{time}}: {{reason}}',
  forCompany: 'of {{domain}}',
  empty: 'No trust marks yet. Mark a party from a flagged conversation, or add one here.',
  loading: 'Loading…',
  loadFailed: 'The trust marks could not be loaded.',
  readOnly: 'You can see the trust marks; only admins change them.',
  add: {
    open: 'Add a trust mark',
    title: 'Vouch for a party',
    kind: 'Kind',
    value: 'Domain, address, account or number',
    valueHint: {
      domain: 'example.com',
      address: 'anna@example.com',
      bank_account: 'IBAN, SWIFT/BIC or account number',
      phone: '+49 40 1234 5678',
    },
    companyDomain: 'Company domain the account belongs to',
    defaultCountry: 'Country for a number without +code (e.g. CN)',
    reason: 'Why do you trust it?',
    reasonHint: 'For example: confirmed by phone with their finance manager on the number in our records.',
    submit: 'Mark as trusted',
    saving: 'Saving…',
    cancel: 'Cancel',
    done: '{{value}} is trusted now. Its conversations are being judged again.',
  },
  revoke: {
    open: 'Revoke…',
    title: 'Revoke the trust mark for {{value}}',
    reason: 'Why?',
    submit: 'Revoke',
    saving: 'Revoking…',
    cancel: 'Cancel',
    done: 'The trust mark for {{value}} is revoked. Its conversations are being judged again.',
  },
  panel: {
    open: 'Trust this sender…',
    title: 'Mark the sender as trusted',
    hint: 'Only for a party you checked outside this mail (for example by phone, on a number from your records). Pier will not warn about them again; the audit log records who did it and why.',
    address: 'Only this address: {{value}}',
    domain: 'The whole domain: {{value}}',
    reason: 'How do you know it is genuine?',
    submit: 'Mark as trusted',
    saving: 'Saving…',
    cancel: 'Cancel',
    done: 'Marked as trusted: {{value}}.',
    manage: 'Trusted parties',
  },
};

export type TrustCatalogue = typeof trustEn;
