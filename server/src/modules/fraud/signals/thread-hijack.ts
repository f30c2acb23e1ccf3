import { isReplyOrForward } from '../../conversations/index.js';
import { isFreeMailDomain, registrableDomainOf } from '../domains.js';
import { signal } from '../reasons.js';
import type { FraudHistory, FraudMail, FraudSignal } from '../types.js';

export const THREAD_HIJACK_WEIGHT = 50;
export const FAKE_REPLY_WEIGHT = 10;

/**
 * A reply into an existing conversation from someone outside it: the thread's customer was
 * acme.com, the reply comes from acme-co.com (or a free-mail address). Also "Re:" mail from an
 * unknown sender that names no earlier message: a thread made up to look familiar.
 */
export function threadSignals(mail: FraudMail, history: FraudHistory): FraudSignal[] {
  const from = mail.from?.address?.toLowerCase();
  const domain = registrableDomainOf(from);
  if (!from || !domain || history.ownDomains.includes(domain)) return [];
  if (history.thread) {
    const parties = history.thread.counterpartyAddresses.map((a) => a.toLowerCase());
    if (parties.length === 0) return [];
    const sameParty = parties.some((p) => p === from || (!isFreeMailDomain(domain) && registrableDomainOf(p) === domain));
    if (sameParty) return [];
    const usual = [...new Set(parties.map((p) => (isFreeMailDomain(registrableDomainOf(p) ?? '') ? p : registrableDomainOf(p))))].join(
      ', ',
    );
    return [
      signal(
        'thread_hijack',
        THREAD_HIJACK_WEIGHT,
        `This is a reply in a conversation with ${usual}, but it comes from ${from}, who was never part of it.`,
        `这是与 ${usual} 往来邮件中的一封回复，但发件人 ${from} 从未参与过这个对话。`,
      ),
    ];
  }
  // No thread found: either the mail names no earlier message, or only ones we never received.
  // List mail answers threads we were never part of; that is what lists do.
  if (isReplyOrForward(mail.subject) && !mail.bulk && !history.knownDomains.includes(domain)) {
    return [
      signal(
        'reply_without_thread',
        FAKE_REPLY_WEIGHT,
        `The subject says it is a reply ("${mail.subject.slice(0, 60)}"), but ${from} never wrote to us and the mail refers to no message we have.`,
        `主题显示这是一封回复（“${mail.subject.slice(0, 60)}”），但 ${from} 从未与我们通信，邮件引用的也不是我们收发过的邮件。`,
      ),
    ];
  }
  return [];
}
