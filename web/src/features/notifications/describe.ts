import type { Notification } from '@pier/contracts';
import type { TFunction } from 'i18next';
import { notificationsEn } from '../../i18n/notifications.en';

type Kind = keyof typeof notificationsEn.kinds;
type SecurityKind = keyof typeof notificationsEn.securityKinds;

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() ? value : null;
}

function nameOf(value: unknown): string | null {
  if (typeof value === 'string') return text(value);
  if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    return text(record.name) ?? text(record.email);
  }
  return null;
}

function isKind(kind: string): kind is Kind {
  return kind !== 'unknown' && Object.hasOwn(notificationsEn.kinds, kind);
}

/** One readable, translated sentence per notification kind; unknown kinds still say something. */
export function describeNotification(n: Notification, t: TFunction<'notifications'>): string {
  const d = n.data;
  const by = nameOf(d.by) ?? t('someone');
  const subject = text(d.subject) ?? t('noSubject');
  if (!isKind(n.kind)) return t('kinds.unknown', { kind: n.kind });
  if (n.kind === 'security_alert') {
    const alertKind = text(d.alertKind);
    const what =
      alertKind && alertKind !== 'unknown' && Object.hasOwn(notificationsEn.securityKinds, alertKind)
        ? t(`securityKinds.${alertKind as SecurityKind}`)
        : t('securityKinds.unknown');
    return t('kinds.security_alert', { email: text(d.userEmail) ?? '', what });
  }
  return t(`kinds.${n.kind}`, {
    by,
    subject,
    mailbox: text(d.mailbox) ?? '',
    target: text(d.target) ?? '',
    address: text(d.address) ?? '',
    team: text(d.team) ?? '',
    hours: typeof d.hours === 'number' ? d.hours : '',
  });
}

/** The note's excerpt for mentions and notes on followed conversations (stored with the notification). */
export function notificationExcerpt(n: Notification): string | null {
  return n.kind === 'mention' || n.kind === 'note' ? text(n.data.excerpt) : null;
}

/** Where a click on the notification leads: its conversation, or the page about it. */
export function notificationTarget(n: Notification): string | null {
  const conversationId = text(n.data.conversationId);
  if (conversationId) return `/?c=${encodeURIComponent(conversationId)}`;
  if (n.kind === 'security_alert') return '/security';
  if (n.kind === 'forwarding.external_rule') return '/settings/forwarding';
  if (n.kind === 'automatic_send.stopped' && n.data.ruleKind === 'forward') return '/settings/forwarding';
  if (n.kind === 'flagged_phone_changed') return '/settings/audit';
  const contactId = text(n.data.contactId);
  if (contactId && n.kind.startsWith('customer_pool')) return `/customers?id=${encodeURIComponent(contactId)}`;
  return null;
}
