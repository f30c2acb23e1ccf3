import { isFreeMailDomain, registrableDomainOf } from '../domains.js';
import { signal } from '../reasons.js';
import type { FraudHistory, FraudMail, FraudSignal } from '../types.js';

/** Alone this is weak: newsletters and helpdesks legitimately answer elsewhere (LESSONS §3 scoring). */
export const REPLY_TO_WEIGHT = 20;
export const REPLY_TO_FREE_MAIL_WEIGHT = 30;
/** Mailing lists and newsletters answer through their service provider as a matter of course. */
export const REPLY_TO_BULK_WEIGHT = 5;

/** Answers would go to another domain than the one the mail claims to come from. */
export function replyToSignals(mail: FraudMail, history: FraudHistory): FraudSignal[] {
  const fromDomain = registrableDomainOf(mail.from?.address);
  if (!fromDomain) return [];
  for (const replyTo of mail.replyTo) {
    const domain = registrableDomainOf(replyTo.address);
    if (!domain || domain === fromDomain || history.ownDomains.includes(domain)) continue;
    const free = isFreeMailDomain(domain) && !isFreeMailDomain(fromDomain);
    return [
      signal(
        'reply_to_mismatch',
        // A list (Mailman's "X via List" under DMARC) answers its poster's own, often free-mail, address.
        mail.bulk ? REPLY_TO_BULK_WEIGHT : free ? REPLY_TO_FREE_MAIL_WEIGHT : REPLY_TO_WEIGHT,
        `The mail comes from ${mail.from?.address}, but replies would go to ${replyTo.address}${free ? ', a free-mail address' : ''}.`,
        `邮件来自 ${mail.from?.address}，但回复会发到 ${replyTo.address}${free ? '（免费邮箱）' : ''}。`,
      ),
    ];
  }
  return [];
}
