import { registrableDomainOf } from './domains.js';
import { signal } from './reasons.js';
import type { FraudHistory, FraudMail, FraudSignal } from './types.js';

/** Added to a payment change from a party nobody knows: with the change itself (45) it is high. */
export const UNKNOWN_SENDER_PAYMENT_WEIGHT = 20;

const PAYMENT_CODES = new Set(['payment_change', 'new_bank_details']);

/**
 * A first contact that asks to change where money goes: the sender's company (or free-mail
 * address) has earned no trust (trust.ts), so nothing vouches for the new account. A real
 * customer's change comes from a party the team knows, and is still checked by phone.
 */
export function unknownSenderPaymentSignals(mail: FraudMail, history: FraudHistory, signals: FraudSignal[]): FraudSignal[] {
  const from = mail.from?.address;
  const domain = registrableDomainOf(from);
  if (!from || !domain || history.senderTrusted || history.ownDomains.includes(domain)) return [];
  if (!signals.some((s) => PAYMENT_CODES.has(s.code))) return [];
  return [
    signal(
      'unknown_sender_payment',
      UNKNOWN_SENDER_PAYMENT_WEIGHT,
      `${from} is not a known correspondent (the team never wrote to them and they have no history of mail with us), yet asks about a payment change.`,
      `${from} 不是已知的往来对象（我们从未给对方发过邮件，也没有长期往来记录），却要求更改付款信息。`,
    ),
  ];
}
