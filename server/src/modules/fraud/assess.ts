import { companyDomainFor } from '../contacts/index.js';
import { ownWords } from './mail-text.js';
import { attachmentSignals } from './signals/attachments.js';
import { authFailureSignals } from './signals/auth-failure.js';
import { bankIdentifierSignals, extractBankIdentifiers } from './signals/bank-identifiers.js';
import { displayNameSignals } from './signals/display-name.js';
import { impersonationSignals } from './signals/impersonation.js';
import { paymentChangeSignals, pressureSignals, type TextSource } from './signals/language.js';
import { lookalikeSignals } from './signals/lookalike-domain.js';
import { lookalikeEvidenceSignals } from './signals/lookalike-evidence.js';
import { replyToSignals } from './signals/reply-to.js';
import { fakeReplyPaymentSignals, senderFormSignals } from './signals/sender-form.js';
import { callbackSignals, lureSignals } from './signals/stranger-lures.js';
import { threadSignals } from './signals/thread-hijack.js';
import { unknownSenderPaymentSignals } from './trust-signals.js';
import type { Assessment, BankIdentifier, FraudHistory, FraudLevel, FraudMail } from './types.js';

/**
 * Score thresholds (sum of signal weights, never below 0):
 * - high ≥ 60: one strong identity signal (homoglyph domain 80, look-alike of our own domain or
 *   the real name as a subdomain 70, a program attached 60), or two medium ones (payment change
 *   45 + anything from 15), or a new account on a known company (50) with any other sign.
 *   A red banner; replying with payment details or closing needs a phone confirmation.
 * - warn ≥ 30: one medium signal (near-miss of a counterparty's domain 55, payment change,
 *   DMARC failure, a known contact's name on another address, risky attachment). A banner;
 *   the phone confirmation is required only when the warning is about payment.
 * - none < 30: weak signs alone (Reply-To elsewhere 20, urgency 10, first bank details 5).
 */
export const HIGH_THRESHOLD = 60;
export const WARN_THRESHOLD = 30;

export function levelFor(score: number): FraudLevel {
  if (score >= HIGH_THRESHOLD) return 'high';
  if (score >= WARN_THRESHOLD) return 'warn';
  return 'none';
}

/** Scores one incoming mail against what the workspace knew before it. Pure: no I/O. */
export function assessMail(mail: FraudMail, history: FraudHistory): Assessment & { bankIdentifiers: BankIdentifier[]; imitated: string[] } {
  const words = ownWords(mail.subject, mail.text);
  // The sender's own words first, then the text of each PDF/DOCX attachment (an invoice with the "new" account).
  const sources: TextSource[] = [{ words }, ...mail.documents.map((d) => ({ words: d.text, attachment: d.filename }))];
  const lookalike = lookalikeSignals(mail, history);
  const displayName = displayNameSignals(mail, history);
  const bankIdentifiers = uniqueIdentifiers(
    [ownWords('', mail.text), ...mail.documents.map((d) => d.text)].flatMap(extractBankIdentifiers),
  );
  const senderCompany = mail.from?.address ? companyDomainFor(mail.from.address) : null;
  const imitated = [...new Set([...lookalike.imitated, ...displayName.imitated])];
  const signals = [
    ...lookalike.signals,
    ...displayName.signals,
    ...replyToSignals(mail, history),
    ...authFailureSignals(mail),
    ...threadSignals(mail, history),
    ...paymentChangeSignals(sources),
    ...bankIdentifierSignals(bankIdentifiers, history, {
      senderCompany,
      imitated,
    }),
    ...pressureSignals(sources),
    ...attachmentSignals(mail.attachments),
    // Strangers (decision 0036): lures, call-back numbers, impersonated names, sender shape.
    ...lookalikeEvidenceSignals(mail, lookalike.signals, words),
    ...impersonationSignals(mail),
    ...senderFormSignals(mail, history),
    ...fakeReplyPaymentSignals(mail, history, words),
    ...lureSignals(mail, history, sources),
    ...callbackSignals(mail, history, sources),
  ];
  signals.push(...unknownSenderPaymentSignals(mail, history, signals));
  const score = Math.max(
    0,
    signals.reduce((sum, s) => sum + s.weight, 0),
  );
  return { score, level: levelFor(score), signals, bankIdentifiers, imitated };
}

function uniqueIdentifiers(list: BankIdentifier[]): BankIdentifier[] {
  const seen = new Map<string, BankIdentifier>();
  for (const id of list) seen.set(`${id.kind}:${id.value}`, id);
  return [...seen.values()];
}
