import type { ConnectionErrorCode, MailboxPurpose } from '@pier/contracts';

/**
 * English catalogue of the admin screens (i18next namespace `settings`). It ships in the lazily
 * loaded settings chunk, not in the inbox bundle: `features/settings/SettingsApp.tsx` registers it.
 * It defines the shape of `settings.zh-CN.ts`, which is type-checked against it key by key.
 */

/** The provider presets the form offers, in order (ids from `packages/contracts/src/presets.ts`). */
export const PRESET_IDS = ['exmail', 'exmail-overseas', 'aliyun', 'qiye163', 'gmail', 'm365', 'other'] as const;
export type PresetId = (typeof PRESET_IDS)[number];

type ConnectionErrorKey = ConnectionErrorCode extends `connection.${infer Key}` ? Key : never;

// Compile-time guarantees: a new purpose, connection error code or preset without text fails `tsc`.
type Purposes = Record<MailboxPurpose, string>;
type ConnectionErrors = Record<ConnectionErrorKey, { title: string; fix: string }>;
type Presets = Record<PresetId, { name: string; note: string }>;

export const settingsEn = {
  nav: {
    title: 'Settings',
    label: 'Settings sections',
    back: 'Back to inbox',
    mailboxes: 'Mailboxes',
  },
  purposes: {
    inquiry: 'Inquiries',
    sales: 'Sales',
    service: 'Customer service',
    purchase: 'Purchasing',
    logistics: 'Logistics',
    accounting: 'Accounting',
    marketing: 'Marketing',
  } satisfies Purposes,
  mailboxes: {
    pageTitle: 'Mailboxes',
    intro: 'The shared addresses Pier fetches mail for (IMAP) and sends replies from (SMTP).',
    add: 'Add mailbox',
    loading: 'Loading mailboxes…',
    loadFailed: 'Could not load the mailboxes.',
    emptyTitle: 'No mailbox connected yet',
    emptyHint: 'Add a shared address such as info@ or sales@: Pier fetches its mail and sends replies through it.',
    columns: {
      address: 'Address',
      name: 'Display name',
      purpose: 'Purpose',
      status: 'Status',
      lastSynced: 'Last synced',
      open: 'Open',
      actions: 'Actions',
    },
    openTitle: 'Open conversations',
    listenerOnly: 'Pier’s SMTP listener only',
    never: 'Not yet',
    syncProgress: '{{done}} of {{total}} mails',
    syncRate: '{{rate}} per minute',
    syncLeft: 'about {{time}} left',
    syncMinutes: '{{count}} min',
    syncHours: '{{count}} h {{minutes}} min',
    syncProgressLabel: 'Syncing history',
    notApplicable: '—',
    status: {
      active: 'Active',
      paused: 'Paused',
      error: 'Error',
    },
    actions: {
      edit: 'Edit',
      test: 'Test',
      testing: 'Testing…',
      pause: 'Pause',
      resume: 'Resume',
      remove: 'Remove',
    },
    openCountCapped: '{{count}}+',
    openCountCappedTitle: 'More than {{count}} open conversations',
    rowActions: 'Actions for {{address}}',
    pausedHint: 'Paused: Pier neither fetches nor sends for this address until it is resumed.',
    added: '{{address}} added. Pier starts fetching its mail in the background.',
    addedListener: '{{address}} added. Mail sent to it through Pier’s SMTP listener lands in the inbox.',
    saved: 'Changes to {{address}} saved.',
    removed: '{{address}} removed.',
    removedPurged: '{{address}} removed, with the mail only it held.',
    paused: '{{address}} paused.',
    resumed: '{{address}} resumed.',
    dismiss: 'Dismiss',
  },
  form: {
    addTitle: 'Add a mailbox',
    editTitle: 'Edit {{address}}',
    backToList: 'All mailboxes',
    loadFailed: 'Could not load this mailbox.',
    mailbox: 'Mailbox',
    address: 'Address',
    addressPlaceholder: 'sales@company.com',
    addressHint: 'The shared address customers write to.',
    addressFixed: 'The address cannot be changed: to use another one, add a new mailbox.',
    name: 'Display name',
    namePlaceholder: 'e.g. ACME Sales',
    nameHint: 'How your team sees this mailbox in the sidebar.',
    purpose: 'Purpose',
    purposeHint: 'What the address is used for.',
    connection: 'Connection',
    connectionIntro: 'How Pier fetches mail (IMAP) and sends replies (SMTP) for this address.',
    provider: 'Provider',
    none: 'No connection — receive on Pier’s SMTP listener only',
    noneHint:
      'Pier does not fetch or send for this address. Mail reaches Pier only when it is delivered to Pier’s SMTP listener (MX record or forwarding). You can add a connection later.',
    noneLocked: 'A connected mailbox cannot go back to listener-only: pause it from the list to stop fetching.',
    server: 'Server',
    port: 'Port',
    security: 'Security',
    imap: 'IMAP',
    imapLong: 'Incoming mail (IMAP)',
    smtp: 'SMTP',
    smtpLong: 'Outgoing mail (SMTP)',
    tls: {
      tls: 'SSL/TLS',
      starttls: 'STARTTLS',
      none: 'None (unencrypted)',
    },
    user: 'User name',
    userHint: 'Usually the full address.',
    authMethod: 'Sign-in method',
    authPassword: 'Password',
    authXoauth2: 'XOAUTH2 access token',
    password: 'Password',
    accessToken: 'Access token',
    unchanged: 'unchanged',
    unchangedHint: 'Leave empty to keep the saved one.',
    secretAgainHint:
      'The server, port or security changed: enter the password again. Pier never sends a saved password to a different server.',
    xoauth2Hint:
      'An OAuth 2.0 access token for this mailbox. Without a refresh token below, Pier cannot renew it: paste a new one when it expires.',
    oauthRefreshToken: 'Refresh token',
    oauthRefreshHint:
      'With a refresh token and the client (app) it was issued to, Pier renews the access token itself before it expires (about every hour). The access token above may then stay empty.',
    oauthClientId: 'OAuth client ID',
    oauthClientSecret: 'OAuth client secret',
    folders: 'Folders to sync',
    folder: {
      inbox: 'INBOX',
      sent: 'Sent',
      spam: 'Spam',
    },
    foldersHint: 'Sent brings in replies written in other mail programs, so each conversation is complete.',
    syncWindow: 'First sync',
    syncWindowHint: 'How far back Pier fetches the first time. New mail always arrives.',
    window: {
      d30: 'Last 30 days',
      d90: 'Last 90 days',
      d365: 'Last 12 months',
      all: 'All mail',
      custom: 'Last {{count}} days',
    },
    test: 'Test connection',
    testing: 'Testing… this can take up to 20 seconds',
    testHint: 'Signs in to both servers with these settings. Nothing is saved.',
    testNeedsSecret:
      'To test changed settings, type the password again: Pier never sends the saved one back to the browser. Save first to test with the saved password.',
    testFailed: 'The test could not run.',
    save: 'Save changes',
    create: 'Add mailbox',
    saving: 'Saving…',
    cancel: 'Cancel',
    validation: {
      addressInvalid: 'Enter a valid address, e.g. sales@company.com.',
      nameRequired: 'Enter a display name.',
      hostRequired: 'Enter the server name.',
      portInvalid: 'A port is a number from 1 to 65535.',
      userRequired: 'Enter the user name.',
      passwordRequired: 'Enter the password.',
      tokenRequired: 'Enter the access token (or a refresh token).',
      passwordAgain: 'The server changed: enter the password again (a saved password is never sent to another server).',
      tokenAgain: 'The server changed: enter the access token (or a refresh token) again.',
      clientIdRequired: 'Enter the client ID the refresh token was issued to.',
      foldersRequired: 'Choose at least one folder.',
    },
    fieldNames: {
      address: 'Address',
      displayName: 'Display name',
      purpose: 'Purpose',
      imapHost: 'IMAP server',
      imapPort: 'IMAP port',
      imapTls: 'IMAP security',
      smtpHost: 'SMTP server',
      smtpPort: 'SMTP port',
      smtpTls: 'SMTP security',
      user: 'User name',
      secret: 'Password or token',
      syncFolders: 'Folders to sync',
      syncSinceDays: 'First sync',
      oauthRefreshToken: 'Refresh token',
      oauthClientId: 'OAuth client ID',
      oauthClientSecret: 'OAuth client secret',
    },
    help: {
      appPassword: 'Use a client-specific password (客户端专用密码), not the web login password.',
      imapId: 'The server wants mail programs to identify themselves (IMAP ID): Pier does it, nothing to set.',
      savesSent: 'The provider files sent mail in Sent itself; Pier does not add a second copy.',
    },
  },
  presets: {
    exmail: {
      name: 'Tencent Exmail (腾讯企业邮箱)',
      note: 'IMAP must be turned on in Exmail settings: 设置 → 客户端设置 → 开启IMAP/SMTP服务.',
    },
    'exmail-overseas': {
      name: 'Tencent Exmail, overseas (腾讯企业邮箱 海外)',
      note: 'Exmail’s overseas servers, for a Pier hosted outside mainland China. IMAP must be turned on in Exmail settings: 设置 → 客户端设置 → 开启IMAP/SMTP服务.',
    },
    aliyun: {
      name: 'Alibaba Mail (阿里企业邮箱)',
      note: 'If sign-in is refused, check that IMAP/SMTP is allowed for this account in the Alibaba Mail settings.',
    },
    qiye163: {
      name: 'NetEase Qiye Mail (网易企业邮箱)',
      note: 'If sign-in is refused, check that IMAP/SMTP is turned on for this account (网易企业邮箱 settings → 客户端设置).',
    },
    gmail: {
      name: 'Google Workspace / Gmail',
      note: 'With a password, use an app password (Google Account → Security → 2-Step Verification → App passwords): the normal Google password is refused.',
    },
    m365: {
      name: 'Microsoft 365',
      note: 'Most Microsoft 365 tenants refuse passwords for IMAP and SMTP: use an XOAUTH2 access token, or ask your Microsoft admin to allow SMTP AUTH for this mailbox.',
    },
    other: {
      name: 'Other IMAP server',
      note: 'Copy the settings from your provider’s “IMAP/SMTP client” help page.',
    },
  } satisfies Presets,
  test: {
    title: 'Test result',
    imapOk_one: 'Signed in · {{count}} folder',
    imapOk_other: 'Signed in · {{count}} folders',
    smtpOk: 'Signed in, ready to send',
    detail: 'Detail: {{message}}',
    allOk: 'Both servers work with these settings.',
    someFailed: 'Fix the problems below, then test again.',
  },
  connectionErrors: {
    auth_failed: {
      title: 'Sign-in refused',
      fix: 'The server refused the user name or password. Check the user (usually the full address); Tencent Exmail, NetEase and Gmail need a client-specific (app) password, not the web login password.',
    },
    tls_failed: {
      title: 'Secure connection failed',
      fix: 'The encrypted connection could not be set up. Check that port and security match (993 and 465 use SSL/TLS, 143 and 587 use STARTTLS) and that the server’s certificate is valid.',
    },
    unreachable: {
      title: 'Server unreachable',
      fix: 'Pier could not reach the server. Check the server name and port, and that the Pier server may connect to it (firewall, proxy, DNS).',
    },
    timeout: {
      title: 'No answer',
      fix: 'The server did not answer in time. Check the server name and port; if they are right, the network may be slow or blocking Pier: try again in a few minutes.',
    },
    imap_disabled: {
      title: 'IMAP is turned off',
      fix: 'IMAP is turned off for this mailbox: turn it on in the provider’s settings (Tencent Exmail: 设置 → 客户端设置 → 开启IMAP/SMTP服务) and use a client-specific password.',
    },
    protocol_error: {
      title: 'Unexpected answer',
      fix: 'The server answered in a way Pier did not expect. Check that the server is a mail server and that the ports are its IMAP and SMTP ports (not POP3 or a web address).',
    },
    no_settings: {
      title: 'No connection settings',
      fix: 'This mailbox has no IMAP/SMTP settings: it only receives mail on Pier’s SMTP listener. Edit it to add a connection.',
    },
    oauth_revoked: {
      title: 'Reconnect this mailbox',
      fix: 'Google or Microsoft refused to renew Pier’s access (the refresh token was revoked or has expired, or the password changed). Edit the mailbox and enter a new refresh token, or sign in to the account again.',
    },
    private_host: {
      title: 'Private network address',
      fix: 'This server name points to a private or reserved network address (such as 127.0.0.1, 10.x or 192.168.x), which Pier does not connect to unless the operator allows it. Check the server name; for a mail server inside your own network, the operator sets PIER_ALLOW_PRIVATE_HOSTS.',
    },
  } satisfies ConnectionErrors,
  remove: {
    title: 'Remove {{address}}?',
    body: 'Pier stops fetching and sending for this address and it disappears from everyone’s sidebar.',
    keepDefault: 'By default all mail is kept: conversations, customer history and search still show every message already in Pier.',
    purge: 'Also delete the mail that only this mailbox holds',
    purgeHint: 'Messages that another mailbox also holds are kept either way. Deleting cannot be undone.',
    confirm: 'Remove mailbox',
    confirmPurge: 'Remove and delete its mail',
    removing: 'Removing…',
    cancel: 'Cancel',
  },
};

/** The shape of a settings catalogue: same keys as English, any string values. */
export type SettingsCatalogue = typeof settingsEn;
