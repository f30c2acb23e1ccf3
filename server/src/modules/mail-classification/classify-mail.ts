import type { MailCategory } from '@pier/contracts';
import { type ClassificationReason, type MachineCategory, type MailEnvelope, readSignals } from './mail-signals.js';

export interface MailClassification {
  category: MailCategory;
  /** Every signal found, including those that did not decide, so a rule editor or timeline can show why. */
  reasons: ClassificationReason[];
  /**
   * Whether an automatic response is allowed at all by the mail itself (RFC 3834 §2): a person's
   * mail without Auto-Submitted (other than "no"), without a bulk Precedence, not from the null
   * sender, and without an X-Auto-Response-Suppress that asks for none. Own addresses and rate
   * limits are the auto-reply module's business.
   */
  mayAutoReply: boolean;
}

/** When signals point at several categories, the more specific one wins. */
const priority: MachineCategory[] = ['bounce', 'auto-reply', 'bulk', 'notification'];

function mostSpecific(categories: MachineCategory[]): MachineCategory | undefined {
  return priority.find((c) => categories.includes(c));
}

/** Person, bulk, auto-reply, bounce or notification, from the headers alone (no body reading). */
export function classifyMail(mail: MailEnvelope): MailClassification {
  const reasons = readSignals(mail);
  const strong = reasons.filter((r) => r.strength === 'strong');
  const weak = reasons.filter((r) => r.strength === 'weak');
  let category: MailCategory = 'person';
  const decided = mostSpecific(strong.filter((r) => !r.generic).map((r) => r.category));
  if (decided) category = decided;
  else if (strong.length > 0) {
    // Only generic machine signals: a weak bounce or auto-reply signal says which kind of machine.
    category = mostSpecific(weak.filter((r) => r.category !== 'notification').map((r) => r.category)) ?? 'notification';
  } else if (new Set(weak.map((r) => r.signal)).size >= 2) {
    category = mostSpecific(weak.map((r) => r.category)) ?? 'person';
  }
  return { category, reasons, mayAutoReply: category === 'person' && !forbidsAutoReply(mail, reasons) };
}

function forbidsAutoReply(mail: MailEnvelope, reasons: ClassificationReason[]): boolean {
  const autoSubmitted = mail.headers.get('auto-submitted')?.[0]?.split(';')[0]?.trim().toLowerCase();
  if (autoSubmitted && autoSubmitted !== 'no') return true;
  const suppress = mail.headers.get('x-auto-response-suppress')?.[0] ?? '';
  if (/\b(all|oof|autoreply)\b/i.test(suppress)) return true;
  return reasons.some((r) => r.signal === 'precedence' || r.signal === 'empty-return-path');
}
