/**
 * English strings of notifications on this device (Web Push) and the app install hint (i18next
 * namespace `push`), registered by `features/push/strings.ts`. Defines the shape of `push.zh-CN.ts`.
 */
export const pushEn = {
  link: 'Phone notifications',
  phone: {
    openNav: 'Views and mailboxes',
    closeNav: 'Close the menu',
    accountMenu: 'Account: {{name}}',
  },
  pageTitle: 'Notifications on your devices · Pier',
  title: 'Notifications on your devices',
  back: 'Back to the inbox',
  device: {
    title: 'This device',
    intro: 'Pier can notify this phone or computer when something needs you, even when Pier is closed.',
    on: 'Notifications are on for this device.',
    off: 'Notifications are off for this device.',
    blocked: 'This browser blocks notifications from Pier. Allow them in the browser’s site settings, then come back here.',
    unsupported:
      'This browser cannot receive notifications from Pier. On an iPhone, add Pier to the Home Screen first (Share → Add to Home Screen).',
    insecure: 'Notifications need Pier to be opened over https.',
    turnOn: 'Turn on',
    turnOff: 'Turn off',
    test: 'Send a test',
    testSent_one: 'Sent to {{count}} device.',
    testSent_other: 'Sent to {{count}} devices.',
    testNone: 'No device received it. Turn notifications on for this device first.',
    working: 'Working…',
    failed: 'This browser could not turn notifications on ({{reason}}).',
  },
  kinds: {
    title: 'What to notify',
    intro: 'Only what you must act on. The notification says what kind it is; Pier shows the details once you open it.',
    saved: 'Saved.',
    assigned: 'A conversation is assigned to me',
    mention: 'Someone @mentions me',
    sla: 'A reply is about to be late (SLA)',
    fraud: 'A fraud warning on my conversation',
    approval: 'An outgoing mail waits for my approval',
  },
  devices: {
    title: 'Your devices',
    none: 'No device receives notifications yet.',
    added: 'added {{date}}',
    lastSent: 'last notified {{date}}',
    thisDevice: 'this device',
    remove: 'Remove',
  },
};

/** Same keys as English, any string values. */
export type PushCatalogue = typeof pushEn;
