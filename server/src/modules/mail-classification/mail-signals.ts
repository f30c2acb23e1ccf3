import type { MailCategory } from '@pier/contracts';

/**
 * The standard signals that a mail was not written by a person, each pointing at one category.
 * "strong" signals decide alone; "weak" ones (a subject prefix, a header some clients also put
 * on ordinary mail, a mail service provider's tracking header) only count when two agree or when
 * they refine a generic machine signal (an empty Return-Path says "machine", the subject
 * "Automatic reply:" says which kind).
 */
export type MachineCategory = Exclude<MailCategory, 'person'>;

export interface ClassificationReason {
  /** Stable code of the signal, e.g. "auto-submitted", "list-id", "empty-return-path". */
  signal: string;
  category: MachineCategory;
  strength: 'strong' | 'weak';
  /** The header value or address that carried the signal, shortened. */
  evidence: string;
  /** A generic machine signal whose category a more specific weak signal may refine. */
  generic?: true;
}

export interface MailEnvelope {
  /** Unfolded headers by lower-cased name, as `splitMessage` from the conversations module gives them. */
  headers: ReadonlyMap<string, readonly string[]>;
  /** The From address (the decoded one the parser found); null when missing. */
  from: string | null;
  /** The envelope sender; undefined = read the Return-Path header, "" or "<>" = the null sender. */
  returnPath?: string | null | undefined;
  /** The top-level Content-Type; undefined = read the header. */
  contentType?: string | null | undefined;
  /** The decoded subject; undefined = the raw header (encoded words stay undecoded). */
  subject?: string | null | undefined;
}

const first = (mail: MailEnvelope, name: string) => mail.headers.get(name)?.[0]?.trim() ?? null;
const short = (value: string) => (value.length > 80 ? `${value.slice(0, 77)}...` : value);

/** Auto-reply subject prefixes of common clients in the languages Pier's users meet most. */
const autoReplySubject =
  /^\s*(automatic reply|auto(matic)?[- ]?reply|autoreply|out of (the )?office|abwesenheitsnotiz|automatische antwort|réponse automatique|respuesta automática|risposta automatica|resposta automática)\b|^\s*(自动回复|自動回覆|自動返信)/i;
const bounceSubject =
  /^\s*(undeliverable|undelivered mail|delivery status notification|mail delivery (failed|failure|system)|returned mail|failure notice|delivery failure|unzustellbar|non remis|系统退信|退信|投递失败|邮件投递失败|無法傳遞)/i;

const noReplyLocal = /^(no[-_.]?reply|do[-_.]?not[-_.]?reply|noreply[-_.+].*|.*[-_.]no[-_.]?reply|no[-_.]?answer)$/i;
const notificationLocal = /^(notifications?|notify|notifier)([-_.+].*)?$/i;

/** Headers of mail service providers: bulk ones (campaign tools) and the transactional rest. */
const campaignHeaders = ['x-mc-user', 'x-campaignid', 'x-campaign', 'x-mailchimp-campaign'];
const providerHeaders = ['x-sg-eid', 'x-mailgun-sid', 'x-ses-outgoing', 'x-pm-message-id', 'x-msfbl', 'x-mandrill-user', 'x-feedback-id'];

export function readSignals(mail: MailEnvelope): ClassificationReason[] {
  const reasons: ClassificationReason[] = [];
  const add = (signal: string, category: MachineCategory, strength: 'strong' | 'weak', evidence: string, generic?: true) =>
    reasons.push({ signal, category, strength, evidence: short(evidence), ...(generic ? { generic } : {}) });

  const contentType = (mail.contentType === undefined ? first(mail, 'content-type') : mail.contentType) ?? '';
  if (/^\s*multipart\/report\b/i.test(contentType)) {
    const reportType = /report-type\s*=\s*"?([\w-]+)/i.exec(contentType)?.[1]?.toLowerCase();
    if (reportType === 'delivery-status') add('delivery-status-report', 'bounce', 'strong', contentType);
    else if (reportType === 'disposition-notification') add('read-receipt', 'auto-reply', 'strong', contentType);
    else if (reportType === 'feedback-report') add('abuse-feedback-report', 'notification', 'strong', contentType);
    else add('report', 'notification', 'strong', contentType, true);
  }
  const failed = first(mail, 'x-failed-recipients');
  if (failed) add('x-failed-recipients', 'bounce', 'strong', failed);

  const autoSubmitted = first(mail, 'auto-submitted');
  const autoKeyword = autoSubmitted?.split(';')[0]?.trim().toLowerCase();
  if (autoKeyword === 'auto-replied') add('auto-submitted', 'auto-reply', 'strong', autoSubmitted as string);
  // RFC 5436's auto-forwarded mail carries someone else's message: it is not a category of its own.
  else if (autoKeyword && autoKeyword !== 'no' && autoKeyword !== 'auto-forwarded')
    add('auto-submitted', 'notification', 'strong', autoSubmitted as string, true);

  for (const value of mail.headers.get('precedence') ?? []) {
    const p = value.trim().toLowerCase();
    if (p === 'bulk' || p === 'list' || p === 'junk') add('precedence', 'bulk', 'strong', value);
    if (p === 'auto_reply' || p === 'auto-reply') add('precedence', 'auto-reply', 'strong', value);
  }
  const listId = first(mail, 'list-id');
  if (listId) add('list-id', 'bulk', 'strong', listId);
  const unsubscribe = first(mail, 'list-unsubscribe');
  if (unsubscribe) add('list-unsubscribe', 'bulk', 'strong', unsubscribe);
  for (const name of campaignHeaders) if (mail.headers.has(name)) add('campaign-header', 'bulk', 'strong', name);

  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponder', 'x-vacation']) {
    const value = first(mail, name);
    if (value && !/^(no|false|0)$/i.test(value)) add('autoreply-header', 'auto-reply', 'strong', `${name}: ${value}`);
  }
  const suppress = first(mail, 'x-auto-response-suppress');
  if (suppress) add('x-auto-response-suppress', 'auto-reply', 'weak', suppress);
  // Exchange marks mail its inbox rules generate (out-of-office replies, rule replies).
  if (mail.headers.has('x-ms-exchange-inbox-rules-loop'))
    add('exchange-inbox-rule', 'auto-reply', 'weak', first(mail, 'x-ms-exchange-inbox-rules-loop') ?? '');

  const subject = (mail.subject === undefined ? first(mail, 'subject') : mail.subject) ?? '';
  if (autoReplySubject.test(subject)) add('auto-reply-subject', 'auto-reply', 'weak', subject);
  if (bounceSubject.test(subject)) add('bounce-subject', 'bounce', 'weak', subject);

  const returnPath = mail.returnPath === undefined ? first(mail, 'return-path') : mail.returnPath;
  if (returnPath !== null && /^\s*<?\s*>?\s*$/.test(returnPath)) add('empty-return-path', 'notification', 'strong', '<>', true);

  const local = (mail.from ?? '').split('@')[0]?.toLowerCase() ?? '';
  if (local === 'mailer-daemon' || local === 'mailerdaemon') add('mailer-daemon-sender', 'bounce', 'strong', mail.from as string);
  else if (local === 'postmaster') add('postmaster-sender', 'bounce', 'weak', mail.from as string);
  else if (noReplyLocal.test(local)) add('no-reply-sender', 'notification', 'strong', mail.from as string, true);
  else if (notificationLocal.test(local)) add('notification-sender', 'notification', 'strong', mail.from as string, true);

  for (const name of providerHeaders) if (mail.headers.has(name)) add('mail-service-provider', 'notification', 'weak', name);
  return reasons;
}
