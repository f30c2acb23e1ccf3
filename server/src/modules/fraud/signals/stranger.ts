import { registrableDomainOf } from '../domains.js';
import type { FraudHistory, FraudMail } from '../types.js';

/**
 * Someone the workspace has no history with: not our own domain, not a counterparty that
 * exchanged mail before. The stranger signals (lures, call-back numbers, fake replies) only
 * count for them; a known customer's "payment" mail is judged by the payment-change checks.
 */
export function isStranger(mail: FraudMail, history: FraudHistory): boolean {
  const domain = registrableDomainOf(mail.from?.address);
  if (!domain) return true;
  return !history.ownDomains.includes(domain) && !history.knownDomains.includes(domain) && !history.establishedDomains.includes(domain);
}
