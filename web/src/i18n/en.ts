/**
 * English catalogue. It defines the shape every other catalogue must match
 * (see `Catalogue`): zh-CN is type-checked against it key by key.
 */
export const en = {
  app: {
    name: 'Pier',
    tagline: 'The shared mailbox for export teams',
  },
  common: {
    loading: 'Loading…',
    retry: 'Try again',
    language: 'Language',
    close: 'Close',
    reload: 'Reload',
  },
  boot: {
    loading: 'Loading Pier…',
    failedTitle: 'Pier could not start',
    failedHint: 'The Pier server did not answer as expected.',
    pageFailed: 'This page could not be loaded',
    pageFailedHint: 'Pier may have been updated in the meantime. Reload to get the current version.',
    paneFailed: 'This conversation could not be shown',
    paneFailedHint: 'The rest of Pier still works. Open another conversation, or reload the page.',
  },
  fields: {
    name: 'Your name',
    email: 'Email',
    password: 'Password',
    passwordConfirm: 'Confirm password',
    publicUrl: 'Pier’s web address',
  },
  setup: {
    pageTitle: 'Set up Pier',
    title: 'Create the first administrator',
    intro:
      'Pier brings your team’s shared addresses — info@, sales@, service@ — into one inbox, so every customer mail gets an owner and an answer.',
    namePlaceholder: 'e.g. Li Wei',
    emailPlaceholder: 'you@company.com',
    passwordHint: 'At least 12 characters. A long passphrase is the easiest to remember.',
    publicUrlHint:
      'The address your colleagues open Pier at, e.g. https://pier.your-company.com. Invitation and password-reset emails link here.',
    submit: 'Create administrator',
    submitting: 'Creating…',
    footnote: 'This account can manage users, mailboxes and security settings. You can add colleagues afterwards.',
    goToLogin: 'Go to sign in',
    validation: {
      nameRequired: 'Enter your name.',
      emailInvalid: 'Enter a valid email address, e.g. name@company.com.',
      passwordTooShort: 'Use at least 12 characters ({{length}} so far).',
      passwordMismatch: 'The two passwords do not match.',
      publicUrlInvalid: 'Enter a web address starting with https:// or http://, e.g. https://pier.your-company.com.',
    },
  },
  login: {
    pageTitle: 'Sign in',
    title: 'Sign in to Pier',
    subtitle: 'Use the email address your administrator registered for you.',
    submit: 'Sign in',
    submitting: 'Signing in…',
    forgotHint: 'Forgot your password? Ask an administrator to reset it.',
    validation: {
      emailRequired: 'Enter your email address.',
      passwordRequired: 'Enter your password.',
    },
  },
  shell: {
    pageTitle: 'Inbox',
    primaryNav: 'Views and mailboxes',
    views: 'Inbox',
    mailboxes: 'Mailboxes',
    teams: 'Teams',
    allMailboxes: 'All mailboxes',
    noMailboxAdmin: 'No mailbox connected yet',
    noMailboxAdminHint: 'Connect a shared address such as info@ or sales@ to start receiving mail.',
    noMailboxMember: 'No mailbox shared with you yet',
    noMailboxMemberHint: 'Ask an administrator to give you access.',
    whomToAsk: 'Ask {{names}} to give you access to a mailbox.',
    noTeams: 'No teams yet',
    signOut: 'Sign out',
    signingOut: 'Signing out…',
    roleLabel: 'Role',
    searchLabel: 'Search conversations',
    searchPlaceholder: 'Search mail: words, people, attachments',
    settings: 'Settings',
    manageMailboxes: 'Manage mailboxes',
    connectMailbox: 'Connect a mailbox',
    newMail: 'New mail',
  },
  shortcuts: {
    label: 'Keyboard shortcuts',
    search: 'Search',
    move: 'Next / previous',
    close: 'Close',
  },
  views: {
    unassigned: 'Unassigned',
    mine: 'Mine',
    open: 'All open',
    pending: 'Pending',
    snoozed: 'Snoozed',
    closed: 'Closed',
    spam: 'Spam',
    automated: 'Automated mail',
    escalated: 'Unassigned too long',
  },
  status: {
    open: 'Open',
    pending: 'Pending',
    snoozed: 'Snoozed',
    closed: 'Closed',
  },
  roles: {
    super_admin: 'Super admin',
    admin: 'Admin',
    agent: 'Agent',
    auditor: 'Auditor',
  },
  access: {
    read: 'Read only',
    reply: 'Can reply',
    manage: 'Can manage',
  },
  list: {
    label: 'Conversations',
    loading: 'Loading conversations…',
    loadFailed: 'Could not load conversations.',
    emptyTitle: 'No conversations yet',
    emptyHint: 'Mail sent to a connected mailbox appears here within seconds.',
    emptyViewTitle: 'Nothing in “{{view}}”',
    emptyViewHint: 'Conversations show up here when they reach this state.',
    emptyMineHint: 'Conversations assigned to you will show up here.',
    noMatchTitle: 'No match for “{{query}}”',
    noMatchHint: 'Search looks at subjects, message text, people and attachment names, in Chinese and English.',
    shown: '{{total}} shown',
    unknownSender: 'Unknown sender',
    noSubject: '(no subject)',
  },
  detail: {
    selectTitle: 'Select a conversation',
    selectHint: 'Choose a conversation from the list to read and reply.',
    from: 'From',
    lastMessage: 'Last message',
    mailbox: 'Mailbox',
    status: 'Status',
    preview: 'Preview',
    back: 'Back to list',
  },
  time: {
    yesterday: 'Yesterday',
  },
  health: {
    ok: 'Server healthy',
    degraded: 'Server degraded',
    version: 'Pier {{version}}',
    database: 'Database',
    blobStore: 'File storage',
    smtpListener: 'SMTP listener',
  },
  errors: {
    api: {
      rate_limited: 'Too many requests in a short time. Wait a minute, then try again.',
    },
    auth: {
      required: 'Your session has ended. Please sign in again.',
      invalid_credentials:
        'Wrong email or password. After several failed attempts an account is paused for a while and its owner receives a security alert.',
      forbidden: 'You do not have permission to do that.',
      rate_limited: 'Too many attempts. Wait a few minutes, then try again.',
      user_disabled: 'This account has been disabled. Contact an administrator.',
      second_factor_required: 'Enter the code from your authenticator app to finish signing in.',
      enrolment_required: 'Set up two-factor sign-in first: your workspace requires it.',
      step_up_required: 'For this action, confirm your password and code again.',
      locked_out: 'Too many failed sign-ins. Sign-in is paused for a while; try again later.',
      weak_password: 'Choose a stronger password: at least 12 characters, not a common password, not your email.',
      link_invalid: 'This link has expired or was already used. Ask for a new one.',
    },
    csrf: {
      invalid: 'Your security token has expired. Reload the page and try again.',
    },
    setup: {
      already_done: 'Pier is already set up. Sign in with your account instead.',
    },
    request: {
      invalid: 'Some of the information is not valid. Check the form and try again.',
      invalid_fields: 'Check these fields: {{fields}}.',
      malformed_json: 'The request could not be read. Reload the page and try again.',
      not_found: 'That could not be found. It may have been deleted.',
    },
    mailbox: {
      not_found: 'That mailbox no longer exists.',
      holiday_calendar_unknown: 'Pier knows no holiday calendar for that country or region.',
      sla_policy_duplicate: 'Each priority can have only one SLA policy.',
      address_taken: 'This address is already connected to another mailbox.',
      secret_required: 'The server changed: enter the password (or token) again. Pier never sends a saved password to a different server.',
      private_host:
        'A server name points to a private network address, which Pier does not connect to unless the operator allows it (PIER_ALLOW_PRIVATE_HOSTS).',
    },
    signature: {
      unknown_variable: 'The signature uses {{unknown}}, which Pier does not know. Variables it knows: {{known}}.',
    },
    user: {
      email_taken: 'A user with this email address already exists.',
      not_found: 'That user no longer exists.',
      last_super_admin: 'This is the last super admin. Make someone else super admin first.',
      super_admin_limit:
        'Super admin limit reached: the workspace allows {{maxSuperAdmins}} and has {{current}} (active or invited). Change a super admin’s role first, or have a super admin raise the limit on the Users page.',
    },
    two_factor: {
      invalid_code: 'The code does not match. Check the time on your phone; each code works once.',
      already_enrolled: 'Two-factor sign-in is already set up.',
      not_started: 'Start the two-factor set-up first.',
      required_by_policy: 'Your workspace requires two-factor sign-in, so it cannot be turned off.',
    },
    passkey: {
      invalid: 'The passkey was not accepted. Try again, or use a code from your authenticator app.',
      already_registered: 'This passkey is already registered.',
      none: 'This account has no passkey yet.',
      not_found: 'That passkey no longer exists.',
      unavailable: 'Passkeys are not available at this address. An administrator must set PIER_PUBLIC_URL.',
      challenge_expired: 'The passkey request expired. Try again.',
    },
    session: {
      not_found: 'That session has already ended.',
    },
    server: {
      error: 'Something went wrong on the server. Try again in a moment.',
    },
    conversation: {
      not_found: 'That conversation does not exist or is not shared with you.',
      assignee_invalid: 'That person cannot be assigned here: they need reply access to one of its mailboxes.',
      snooze_invalid: 'Pick a time in the future to snooze until.',
      merge_invalid: 'These two conversations cannot be merged.',
    },
    note: {
      mention_invalid: 'You can only mention colleagues who can see this conversation.',
    },
    forwarding: {
      not_found: 'That forwarding rule no longer exists.',
      delivery_not_found: 'That forward no longer exists.',
      delivery_changed: 'Someone already decided about this forward. The list is refreshed.',
      rule_disabled: 'The rule is switched off. Switch it on to send the forward again.',
    },
    rule: {
      not_found: 'That rule no longer exists.',
      forbidden: 'Only admins change rules for all mailboxes.',
      regex_invalid: 'The regular expression cannot be used (RE2 syntax: no back-references or look-around).',
      forward_needs_mailbox: 'A forward uses a forwarding rule of one mailbox: choose that mailbox for the rule.',
      forwarding_rule_invalid: 'Choose a forwarding rule of this mailbox.',
      reorder_invalid: 'The order could not be saved. Reload the page and try again.',
    },
    push: {
      endpoint_refused: 'This browser’s push service address was refused. Try another browser, or ask your administrator.',
      subscription_not_found: 'That device is no longer registered for notifications.',
    },
    team: {
      not_found: 'That team no longer exists.',
      name_taken: 'A team with this name already exists.',
      lead_invalid: 'The lead must be an active colleague who is not an auditor.',
      member_not_found: 'That person is not in the team any more.',
    },
    mailbox_access: {
      not_found: 'That person has no access to this mailbox any more.',
    },
    fraud: {
      assessment_not_found: 'That mail has no fraud assessment in this conversation.',
      not_flagged: 'That mail is not flagged.',
      already_cleared: 'Someone already marked this mail as not fraud.',
      impostor_contact: "This address sent flagged mail and is not a known party: record the number on the real company's contact instead.",
      phone_not_on_record:
        'That contact has no phone number on record. Add it to the customer record first; never use a number from the mail.',
      caller_unknown: 'The person who made the call is not an active user.',
      phone_confirmation_required:
        'This conversation carries a fraud warning. Call the customer on the number in their record and record the call in the red warning above first.',
      approver_is_author: 'A second approver must be a colleague: you cannot approve your own mail.',
      phone_invalid: 'This is not a valid phone number. Write it with its country code, e.g. +49 40 1234 5678.',
    },
    contact: {
      not_found: 'That contact does not exist, or is not in your mailboxes.',
    },
    network: {
      unreachable: 'Cannot reach the Pier server. Check your connection and try again.',
    },
    message: {
      not_found: 'This message does not exist, or you have no access to its mailboxes.',
    },
    attachment: {
      not_found: 'This attachment does not exist, or you have no access to its mailbox.',
    },
    outbox: {
      collision: 'Someone wrote in this conversation after you started your reply.',
      not_found: 'That mail or draft could not be found.',
      not_cancellable: 'Too late to undo: the mail is already on its way.',
      invalid_state: 'This mail has changed meanwhile. Reload and try again.',
      no_smtp: 'This mailbox has no outgoing (SMTP) settings yet. An administrator can add them.',
      upload_too_large: 'Attachments are limited to 25 MB each.',
      empty_body: 'The mail has no text. Write something (or attach a file) before sending.',
    },
  },
};

/** The shape of a catalogue: same keys as English, any string values. */
export type Catalogue = typeof en;
