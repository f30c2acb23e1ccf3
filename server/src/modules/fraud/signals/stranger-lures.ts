import { isFreeMailDomain, registrableDomainOf } from '../domains.js';
import { quote, signal } from '../reasons.js';
import type { FraudHistory, FraudMail, FraudSignal } from '../types.js';
import type { TextSource } from './language.js';
import { BILLING_CLAIM, CALL_TO_ACTION, LARGE_SUM, LURE_CONCEPTS, PHONE_NUMBER, PITCH_CONCEPTS, unicodeWords } from './lure-phrases.js';
import { isStranger } from './stranger.js';

const CONCEPTS = Object.entries(LURE_CONCEPTS).map(([name, pattern]) => [name, unicodeWords(pattern)] as const);
const PITCHES = Object.entries(PITCH_CONCEPTS).map(([name, pattern]) => [name, unicodeWords(pattern)] as const);
const SUM = unicodeWords(LARGE_SUM);
const BILL = unicodeWords(BILLING_CLAIM);
const CALL = unicodeWords(CALL_TO_ACTION);

/** One money concept is everyday business; two are a pitch; three or more are the 419 script. */
export const LURE_TWO_WEIGHT = 30;
export const LURE_MANY_WEIGHT = 45;
export const LARGE_SUM_WEIGHT = 20;
export const CALLBACK_WEIGHT = 40;
/** One money concept plus answers diverted (Reply-To) elsewhere: with the Reply-To signal (20–25) it reaches warn. */
export const DIVERTED_PITCH_WEIGHT = 15;
/** The same when the mail's own words name the other mailbox: no Reply-To signal adds to it, so it carries both parts. */
export const DIVERTED_IN_TEXT_WEIGHT = 30;

/** Another mailbox than the sender's: another domain, or another mailbox of a free-mail provider. */
function elsewhere(from: string, fromDomain: string, target: string | undefined): boolean {
  const domain = registrableDomainOf(target);
  return !!target && !!domain && target !== from && (domain !== fromDomain || isFreeMailDomain(fromDomain));
}

/** "reply to: x@y", "send your quotation to x@y", "contact me via x@y", "my private email: x@y". */
const ANSWER_ADDRESS =
  /\b(?:(?:reply|respond|revert|write|send|contact|forward|reach)\w*|e-?mail (?:me|us)|private e-?mail)\b(?:[^@.!?]{0,60}?(?:\bto|\bat|\bvia|\bon|:))?\s*([\w.+-]+@[\w-]+(?:\.[\w-]+)+)/giu;

/**
 * Answers diverted away from the account the mail comes from: a Reply-To, or an address in the
 * mail's own words that the reader is asked to write to. Lists answer elsewhere by design.
 */
function repliesGoElsewhere(mail: FraudMail, text: string): 'reply_to' | 'free_reply_to' | 'body' | null {
  const from = mail.from?.address?.toLowerCase() ?? '';
  const fromDomain = registrableDomainOf(from);
  if (mail.bulk || !fromDomain) return null;
  const targets = mail.replyTo.map((r) => r.address?.toLowerCase()).filter((t) => elsewhere(from, fromDomain, t));
  if (targets.length > 0)
    return isFreeMailDomain(fromDomain) || targets.some((t) => isFreeMailDomain(registrableDomainOf(t) ?? ''))
      ? 'free_reply_to'
      : 'reply_to';
  for (const match of text.matchAll(ANSWER_ADDRESS)) if (elsewhere(from, fromDomain, match[1]?.toLowerCase())) return 'body';
  return null;
}

const CONCEPT_NAMES: Record<string, { en: string; zh: string }> = {
  inheritance: { en: 'an inheritance', zh: '遗产' },
  unclaimed_fund: { en: 'a fund waiting for a beneficiary', zh: '等待受益人的资金' },
  donation: { en: 'a donation', zh: '捐款' },
  loan: { en: 'a loan offer', zh: '贷款' },
  investment: { en: 'an investment proposal', zh: '投资提议' },
  prize: { en: 'a prize or lottery win', zh: '中奖' },
  order_request: { en: 'a request for a quotation or catalogue', zh: '询价或索取产品目录' },
  proposal: { en: 'an unexplained proposal', zh: '一个语焉不详的提议' },
  money_service: { en: 'fees or a money courier', zh: '手续费或汇款/快递机构' },
  authority: { en: 'an authority (UN, IMF, FBI, a barrister)', zh: '权威机构（联合国、IMF、FBI、律师）' },
  secrecy_trust: { en: 'a plea for trust or your personal details', zh: '要求信任或索取个人资料' },
};

/**
 * Advance-fee and investment lures from someone Pier has never seen: the mail combines several
 * of the money concepts in lure-phrases.ts (any of nine languages), often with a large sum.
 * Weighed so that one concept alone says nothing (a buyer may mention a loan or a donation).
 */
export function lureSignals(mail: FraudMail, history: FraudHistory, sources: TextSource[]): FraudSignal[] {
  if (!isStranger(mail, history)) return [];
  // Mail wraps lines anywhere: "reply for more\nspecific details", "send your quotation to:\nx@y".
  const text = sources
    .map((s) => s.words)
    .join('\n')
    .replace(/\s+/g, ' ');
  const found = CONCEPTS.filter(([, pattern]) => pattern.test(text)).map(([name]) => name);
  const sum = SUM.exec(text);
  // A large sum is itself one of the lure's parts: "a donation of $3,500,000" is two.
  const parts = found.length + (sum ? 1 : 0);
  const signals: FraudSignal[] = [];
  if (parts >= 2 && found.length >= 1) {
    const names = found.slice(0, 3).map((n) => CONCEPT_NAMES[n] ?? { en: n, zh: n });
    signals.push(
      signal(
        'money_lure',
        parts >= 3 ? LURE_MANY_WEIGHT : LURE_TWO_WEIGHT,
        `A sender Pier has never seen writes about ${names.map((n) => n.en).join(', ')}: the pattern of advance-fee and investment scams. Do not send money or personal details.`,
        `一个从未联系过的发件人提到${names.map((n) => n.zh).join('、')}：这是预付费诈骗和投资诈骗的典型模式。请勿汇款或提供个人资料。`,
      ),
    );
  }
  // A fake order or a vague proposal only counts with answers diverted, like one money concept.
  const pitches = PITCHES.filter(([, pattern]) => pattern.test(text)).map(([name]) => name);
  const pitched = [...found, ...pitches];
  const diverted = pitched.length >= 1 ? repliesGoElsewhere(mail, text) : null;
  // A company buyer whose Reply-To is its group's other domain asks for quotations too: a
  // quotation or a proposal alone counts only when a free-mail mailbox is involved or the mail
  // itself names where to write.
  if (diverted && (found.length > 0 || diverted !== 'reply_to')) {
    const first = CONCEPT_NAMES[pitched[0] ?? ''] ?? { en: pitched[0], zh: pitched[0] };
    signals.push(
      signal(
        'diverted_money_pitch',
        diverted === 'body' ? DIVERTED_IN_TEXT_WEIGHT : DIVERTED_PITCH_WEIGHT,
        `A sender Pier has never seen writes about ${first.en} and has answers sent to another mailbox: scammers collect replies away from the account they send from.`,
        `一个从未联系过的发件人提到${first.zh}，并让回复发到另一个邮箱：诈骗者常在发信账号之外收集回复。`,
      ),
    );
  }
  if (sum) {
    signals.push(
      signal(
        'large_sum_offer',
        LARGE_SUM_WEIGHT,
        `The mail dangles a large sum ("${quote(sum[0], 40)}") from someone Pier has never seen.`,
        `一个陌生发件人在邮件中许诺一大笔钱（“${quote(sum[0], 40)}”）。`,
      ),
    );
  }
  return signals;
}

/**
 * A number as written in mail ("1-888-555-0147", "040 1234 5678") against a stored E.164 one: the
 * last nine digits (all of a shorter number, at least seven) agree, whatever the country or trunk prefix.
 */
export function samePhone(e164: string, written: string): boolean {
  const digits = written.replace(/\D/g, '');
  const tail = Math.min(9, digits.length);
  return tail >= 7 && e164.replace(/\D/g, '').slice(-tail) === digits.slice(-tail);
}

/**
 * The call-back scam: a "bill", "renewal" or "payment confirmation" from a stranger that asks
 * the reader to phone a number (to cancel, to dispute). The number reaches the fraudster.
 */
export function callbackSignals(mail: FraudMail, history: FraudHistory, sources: TextSource[]): FraudSignal[] {
  if (!isStranger(mail, history) || mail.bulk) return [];
  for (const source of sources) {
    const text = source.words;
    const bill = BILL.exec(text);
    const call = CALL.exec(text);
    const phone = PHONE_NUMBER.exec(text);
    if (!bill || !call || !phone) continue;
    // A number an admin vouched for (the real supplier's hotline) is no call-back scam.
    if (history.trustedPhones?.some((trusted) => samePhone(trusted, phone[0]))) continue;
    const where = source.attachment
      ? { en: ` (in "${quote(source.attachment, 50)}")`, zh: `（附件“${quote(source.attachment, 50)}”中）` }
      : { en: '', zh: '' };
    return [
      signal(
        'callback_number',
        CALLBACK_WEIGHT,
        `A stranger sends a bill or charge ("${quote(bill[0], 40)}") and asks you to phone ${phone[0].trim()}${where.en}. Call-back scams work this way: never call a number from such a mail.`,
        `陌生发件人发来账单或扣款通知（“${quote(bill[0], 40)}”），并要求拨打 ${phone[0].trim()}${where.zh}。这是回拨诈骗的手法：切勿拨打此类邮件中的电话。`,
      ),
    ];
  }
  return [];
}
