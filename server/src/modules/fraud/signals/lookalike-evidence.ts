import { signal } from '../reasons.js';
import type { FraudMail, FraudSignal } from '../types.js';
import { ASKS_FOR_MONEY, PAYMENT_WORDS } from './lure-phrases.js';

/** Adds to a near-miss domain when the newcomer asks for money; takes from it for a signed list mail. */
export const LOOKALIKE_ASKS_MONEY_WEIGHT = 15;
export const LOOKALIKE_SIGNED_LIST_WEIGHT = -50;
const NEAR_MISS = new Set(['lookalike_domain', 'tld_swap_domain']);

/**
 * A one-letter difference to the workspace's or a customer's domain weighs by what the mail
 * does: strong when the newcomer asks for money, weak for a newsletter from a mailing list that
 * its own domain signed (DMARC pass): a real society one letter from us, not an impostor.
 */
export function lookalikeEvidenceSignals(mail: FraudMail, existing: FraudSignal[], words: string): FraudSignal[] {
  const nearMiss = existing.find((s) => NEAR_MISS.has(s.code));
  if (!nearMiss) return [];
  const signed = mail.authResults?.dmarc === 'pass' || mail.authResults?.dkim === 'pass';
  if (mail.bulk && signed && !PAYMENT_WORDS.test(words)) {
    return [
      signal(
        'lookalike_signed_list',
        LOOKALIKE_SIGNED_LIST_WEIGHT,
        'The similar-looking domain signed this list mail itself (DKIM/DMARC pass) and it asks for no payment: more likely a real organisation with a similar name than an impostor.',
        '这个相似域名的邮件列表邮件由其自身域名签名（DKIM/DMARC 通过），且未涉及付款：更可能是名称相近的真实机构，而非冒充者。',
      ),
    ];
  }
  const money = ASKS_FOR_MONEY.exec(words);
  if (money && !mail.bulk) {
    return [
      signal(
        'lookalike_asks_money',
        LOOKALIKE_ASKS_MONEY_WEIGHT,
        `The similar-looking domain is new to us and the mail is about money ("${money[0]}"): the usual impostor move.`,
        `这个相似域名是首次出现，而且邮件涉及钱款（“${money[0]}”）：这是冒充者的惯用手法。`,
      ),
    ];
  }
  return [];
}
