/**
 * English catalogue of the users screen (i18next namespace `users`), in the lazily loaded
 * settings chunk (`SettingsApp.tsx` registers it). It defines the shape of `users.zh-CN.ts`.
 */
export const usersEn = {
  nav: 'Users',
  pageTitle: 'Users',
  intro: 'Everyone who can sign in to this workspace, their role and how they sign in.',
  readOnly: 'You have read-only access: auditors can see users but not change them.',
  loading: 'Loading users…',
  loadFailed: 'The users could not be loaded.',
  tooManySuperAdmins:
    'There are more than two super admins. Each one can change everything, including the security settings: keep two at most.',
  columns: {
    user: 'User',
    role: 'Role',
    twoFactor: 'Two-step sign-in',
    lastLogin: 'Last sign-in',
    status: 'Status',
    actions: 'Actions',
  },
  you: 'you',
  never: 'Never',
  twoFactor: {
    none: 'Not set up',
    totp: 'Authenticator app',
    passkeys: '{{count}} passkeys',
  },
  status: {
    active: 'Active',
    disabled: 'Deactivated',
    invited: 'Invited',
  },
  actions: {
    resetTwoFactor: 'Reset two-step sign-in',
    passwordLink: 'Password reset link',
    deactivate: 'Deactivate',
    reactivate: 'Reactivate',
    revokeSessions: 'Sign out everywhere',
  },
  confirm: {
    resetTwoFactor:
      'Reset two-step sign-in for {{name}}? Their authenticator app, passkeys and recovery codes stop working and they are signed out; the next sign-in sets it up again.',
    revokeSessions: 'Sign {{name}} out of every browser?',
  },
  done: {
    role: 'Role of {{name}} changed.',
    resetTwoFactor: 'Two-step sign-in of {{name}} reset.',
    deactivate: '{{name}} deactivated: {{reassigned}} conversations handed over, {{count}} back in the queue.',
    reactivate: '{{name}} can sign in again.',
    revokeSessions: '{{name}} signed out of {{count}} sessions.',
  },
  address: {
    current: 'Invitation and reset links point to',
    fromEnvironment: '(set by PIER_PUBLIC_URL)',
    missing: 'Pier has no public address yet, so invitation and reset links are not emailed: copy them from here and pass them on.',
    set: 'Set the address',
    change: 'Change',
    label: 'Pier’s web address',
    save: 'Save',
    cancel: 'Cancel',
  },
  link: {
    title: 'Link for {{name}}',
    emailed: 'It was also sent by email.',
    notEmailed: 'No system mailbox is set up to send it: copy the link and give it to them yourself.',
    notEmailedNoPublicUrl:
      'Not emailed: Pier has no public address to put in a link (set PIER_PUBLIC_URL, or ask a super admin to set it). Copy the link and give it to them yourself.',
    expires: 'Valid until {{time}}. It works once.',
    copy: 'Copy link',
    copied: 'Copied',
    close: 'Close',
  },
  invite: {
    title: 'Invite a colleague',
    open: 'Invite',
    email: 'Email',
    name: 'Name',
    role: 'Role',
    submit: 'Send invitation',
    submitting: 'Inviting…',
    cancel: 'Cancel',
  },
  dismiss: 'Dismiss',
  deactivation: {
    title: 'Deactivate {{name}}',
    lead: 'They are signed out at once and cannot sign in any more. Their history stays.',
    counting: 'Counting open conversations…',
    none: '{{name}} has no open conversations.',
    count: '{{name}} has {{count}} open conversations:',
    inTeam: '{{count}} in team {{team}}',
    withoutTeam: '{{count}} without a team',
    handTo: 'Hand them to',
    toDefault: 'Their own team’s queue, or the unassigned queue',
    toColleague: 'A colleague',
    toTeam: 'A team',
    colleague: 'Colleague',
    team: 'Team',
    colleagueHint: 'Conversations in a mailbox this colleague may not reply in go to the unassigned queue.',
    submit: 'Deactivate',
    cancel: 'Cancel',
  },
};

export type UsersCatalogue = typeof usersEn;
