/**
 * English strings of the notification centre (i18next namespace `notifications`), registered by
 * `features/notifications/strings.ts`. It defines the shape of `notifications.zh-CN.ts`.
 */
export const notificationsEn = {
  bell: {
    label: 'Notifications',
    labelUnread_one: 'Notifications, {{count}} unread',
    labelUnread_other: 'Notifications, {{count}} unread',
  },
  panel: {
    title: 'Notifications',
    markAllRead: 'Mark all read',
    empty: 'No notifications yet.',
    loading: 'Loading…',
    failed: 'Could not load notifications.',
    unread: 'Unread',
    close: 'Close',
  },
  someone: 'Someone',
  noSubject: '(no subject)',
  kinds: {
    customer_pool_notice: 'Your customer {{address}} returns to the pool soon: no mail for a long time.',
    customer_pool_returned: 'Your customer {{address}} went back to the pool: no mail for a long time.',
    mention: '{{by}} mentioned you in a note on “{{subject}}”',
    note: '{{by}} added a note to “{{subject}}”, which you follow',
    assigned: '{{by}} assigned “{{subject}}” to you',
    reopened: '“{{subject}}” is back from snooze',
    message: 'New mail in “{{subject}}”, which you follow',
    security_alert: 'Security alert for {{email}}: {{what}}',
    approval_requested: '{{by}} asks you to approve an outgoing mail in “{{subject}}”',
    approval_granted: '{{by}} approved your outgoing mail',
    approval_rejected: '{{by}} rejected your outgoing mail',
    'forwarding.external_rule': '{{by}} set up forwarding of {{mailbox}} to {{target}}, outside the company',
    flagged_phone_changed: '{{by}} changed the phone number of {{address}}',
    fraud_flag: 'Fraud warning on “{{subject}}”, assigned to you: check it before paying or replying',
    'automatic_send.stopped': 'Pier stopped automatic mail of {{mailbox}} to {{target}} (mail from {{address}}): a possible mail loop',
    sla_warning: 'Reply due soon: “{{subject}}” (80 % of the reply time used)',
    sla_breached: 'Reply overdue: “{{subject}}”',
    unassigned_too_long: '“{{subject}}” has waited unassigned for {{hours}} working hours in {{team}}',
    unknown: 'Notification: {{kind}}',
  },
  securityKinds: {
    new_country: 'sign-in from a new country',
    new_device: 'sign-in from a new device',
    impossible_travel: 'sign-ins from two places too far apart',
    failure_burst: 'many failed sign-ins',
    locked_out: 'account locked after failed sign-ins',
    unknown: 'unusual sign-in',
  },
};

/** Same keys as English, any string values. */
export type NotificationsCatalogue = typeof notificationsEn;
