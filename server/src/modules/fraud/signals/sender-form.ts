import { isReplyOrForward } from '../../conversations/index.js';
import { editDistance, isFreeMailDomain, registrableDomainOf, splitDomain } from '../domains.js';
import { quote, signal } from '../reasons.js';
import type { FraudHistory, FraudMail, FraudSignal } from '../types.js';
import { PAYMENT_WORDS } from './lure-phrases.js';
import { isStranger } from './stranger.js';

export const FROM_WITHOUT_ADDRESS_WEIGHT = 30;
export const REPLY_TO_OTHER_FREE_MAILBOX_WEIGHT = 25;
export const FAKE_REPLY_PAYMENT_WEIGHT = 20;
export const REPLY_TO_LOOKALIKE_WEIGHT = 30;

/**
 * The shape of the sender headers: a From with no address at all (only a name, or
 * "undisclosed"), and answers redirected from one free-mail mailbox to another (the sender's
 * Gmail, the Reply-To's Outlook: the scammer collects replies where the sending account was not
 * burnt). The Reply-To to free mail under a company domain is reply-to.ts's `reply_to_mismatch`.
 */
export function senderFormSignals(mail: FraudMail, history: FraudHistory): FraudSignal[] {
  const signals: FraudSignal[] = [];
  const address = mail.from?.address?.trim() ?? '';
  if (!address.includes('@') || address.endsWith('@') || address.startsWith('@')) {
    const shown = mail.from?.name || address || '(empty)';
    signals.push(
      signal(
        'from_without_address',
        FROM_WITHOUT_ADDRESS_WEIGHT,
        `The sender "${quote(shown, 50)}" has no mail address: real senders always have one, so the origin of this mail is hidden.`,
        `发件人“${quote(shown, 50)}”没有邮件地址：正常发件人都有地址，这封邮件隐藏了来源。`,
      ),
    );
    return signals;
  }
  if (mail.bulk || !isStranger(mail, history)) return signals;
  const fromDomain = registrableDomainOf(address);
  for (const replyTo of mail.replyTo) {
    const target = replyTo.address?.toLowerCase();
    const domain = registrableDomainOf(target);
    if (!target || !domain || target === address.toLowerCase()) continue;
    if (fromDomain && domain !== fromDomain && imitatesDomain(domain, fromDomain)) {
      signals.push(
        signal(
          'reply_to_lookalike',
          REPLY_TO_LOOKALIKE_WEIGHT,
          `The mail claims to come from ${fromDomain}, but answers would go to ${domain}, a different domain made to look like it.`,
          `邮件声称来自 ${fromDomain}，但回复会发到 ${domain}——一个刻意模仿它的不同域名。`,
        ),
      );
      break;
    }
    if (fromDomain && isFreeMailDomain(fromDomain) && isFreeMailDomain(domain)) {
      signals.push(
        signal(
          'reply_to_other_mailbox',
          REPLY_TO_OTHER_FREE_MAILBOX_WEIGHT,
          `The mail comes from the free-mail address ${address}, but answers would go to another free-mail address, ${target}.`,
          `邮件来自免费邮箱 ${address}，但回复会发到另一个免费邮箱 ${target}。`,
        ),
      );
      break;
    }
  }
  return signals;
}

/**
 * A Reply-To built from the From's name: johnlewis.com → johnlewis-trades.com, asda.co.uk →
 * asda-c.com. The From is forged from a real company, the answers go to the impostor's look-alike.
 * The same name under another ending (acme.de → acme.com) is a company's other country site.
 */
function imitatesDomain(replyDomain: string, fromDomain: string): boolean {
  if (isFreeMailDomain(replyDomain) || isFreeMailDomain(fromDomain)) return false;
  const reply = splitDomain(replyDomain).label;
  const from = splitDomain(fromDomain).label;
  if (reply === from || from.length < 4) return false;
  const grown = reply.startsWith(`${from}-`) || reply.endsWith(`-${from}`) || (reply.startsWith(from) && reply.length - from.length <= 3);
  return grown || (from.length >= 5 && editDistance(reply, from) === 1);
}

/**
 * "RE: Invoice overdue" from a stranger, naming no earlier message: a thread made up so the
 * payment request feels familiar. thread-hijack.ts already notes the fake reply (weak); the
 * payment words make it count. Our own colleagues forwarding mail never get here (isStranger).
 */
export function fakeReplyPaymentSignals(mail: FraudMail, history: FraudHistory, words: string): FraudSignal[] {
  if (mail.bulk || history.thread || !isStranger(mail, history) || !isReplyOrForward(mail.subject)) return [];
  if (mail.inReplyTo || mail.references.length > 0) return [];
  const found = PAYMENT_WORDS.exec(words);
  if (!found) return [];
  return [
    signal(
      'fake_reply_payment',
      FAKE_REPLY_PAYMENT_WEIGHT,
      `The subject pretends to continue a conversation ("${quote(mail.subject, 50)}") that never took place, and the mail is about money ("${quote(found[0], 30)}").`,
      `主题假装是之前对话的延续（“${quote(mail.subject, 50)}”），但并无此对话，而且邮件涉及钱款（“${quote(found[0], 30)}”）。`,
    ),
  ];
}
