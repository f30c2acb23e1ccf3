/**
 * English strings of a list's public sign-up form on Settings → campaigns (i18next namespace
 * `campaignSignup`, decision 0071), registered by features/campaigns/SignupSettings.tsx. It defines
 * the shape of `campaign-signup.zh-CN.ts`.
 */
export const campaignSignupEn = {
  title: 'Public sign-up form',
  intro:
    'A page and a form for your website where visitors subscribe to this list. Every sign-up is confirmed by a mail (double opt-in) and recorded with its date and IP address; an address on the suppression list gets no mail.',
  enabled: 'Accept sign-ups from the public form',
  mailbox: 'Confirmation mails from',
  pageTitle: 'Page title',
  pageTitleHint: 'Empty: “Subscribe to {{sender}}” in the visitor’s language.',
  pageIntro: 'Intro text',
  pageIntroHint: 'Empty: a short default text in the visitor’s language. Plain text, up to 1,000 characters.',
  save: 'Save',
  saved: 'Saved.',
  url: 'Public page',
  open: 'Open',
  snippet: 'Form to paste on your website',
  snippetHint:
    'Plain HTML, no script: paste it where the form should appear. It posts to Pier and opens the answer in a new tab. Add ?lang=zh-CN or ?lang=en to the page address to fix its language.',
  snippetLanguage: 'Labels in',
  noPublicUrl:
    'Pier has no public address yet, so there is no URL to share: a super admin sets it under Settings → Users (or PIER_PUBLIC_URL).',
  off: 'The form is off: its page and any pasted copy answer “not available”.',
  consentSignup: 'Sign-up form',
};

export type CampaignSignupCatalogue = typeof campaignSignupEn;
