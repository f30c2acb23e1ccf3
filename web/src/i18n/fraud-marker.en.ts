/**
 * English catalogue of the fraud marker on conversation-list rows and the "not fraud" form
 * (i18next namespace `fraudMarker`), registered by features/fraud/FraudMarker.tsx. It defines the
 * shape of `fraud-marker.zh-CN.ts`. The reasons themselves come from the server in both languages.
 */
export const fraudMarkerEn = {
  level: {
    high: 'Fraud risk',
    warn: 'Caution',
  },
  /** Screen readers and the hover title: the level, then the strongest reason. */
  label: '{{level}}: {{reason}}',
  clear: {
    open: 'Not fraud…',
    title: 'Mark this mail as not fraud',
    hint: 'Say how you know (for example: called the customer on the number in their record). This is recorded in the audit log, and Pier will trust this sender from now on.',
    reason: 'Why is it not fraud?',
    submit: 'Mark as not fraud',
    cancel: 'Cancel',
    saving: 'Saving…',
    cleared: 'Marked as not fraud: {{reason}}',
  },
};

export type FraudMarkerCatalogue = typeof fraudMarkerEn;
