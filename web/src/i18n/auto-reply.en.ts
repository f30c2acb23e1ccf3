/**
 * English catalogue of a mailbox's auto-reply settings (i18next namespace `autoReply`, registered by
 * features/auto-reply/registerCatalogue.ts). It defines the shape of `auto-reply.zh-CN.ts`.
 */
export const autoReplyEn = {
  title: 'Auto-reply',
  intro:
    'Answers a new sender at once with the expected reply time. Never to newsletters, out-of-office replies, bounces, no-reply systems or your own mailboxes.',
  enabled: 'Send an auto-reply to new senders',
  periodDays: 'At most once per sender every (days)',
  hourlyCap: 'At most per conversation and hour',
  versionsTitle: 'Texts',
  versionsIntro:
    'The version in the language of the incoming mail is used, otherwise the default one. Plain text; the variables below are filled in.',
  language: 'Language',
  defaultLanguage: 'Default (any other language)',
  insideHours: 'Text during business hours',
  sameOutside: 'Use the same text outside business hours',
  outsideHours: 'Text outside business hours',
  addVersion: 'Add a language',
  removeVersion: 'Remove',
  variables: 'Variables',
  variable: {
    'customer.name': "the sender's name",
    'mailbox.name': "this mailbox's name",
    expected_reply_time: 'when the team will answer (business hours and the first-reply target)',
    reference: 'a short reference of the conversation',
  },
  unknownVariables: 'Unknown variable: {{names}}',
  save: 'Save auto-reply',
  saving: 'Saving…',
  saved: 'Auto-reply saved.',
  languages: {
    en: 'English',
    zh: 'Chinese',
    de: 'German',
    fr: 'French',
    es: 'Spanish',
    pt: 'Portuguese',
    it: 'Italian',
    ru: 'Russian',
    ar: 'Arabic',
    ja: 'Japanese',
    ko: 'Korean',
    tr: 'Turkish',
    vi: 'Vietnamese',
    nl: 'Dutch',
    pl: 'Polish',
  },
};

export type AutoReplyCatalogue = typeof autoReplyEn;
