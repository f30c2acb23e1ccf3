import { quote, signal } from '../reasons.js';
import type { FraudSignal } from '../types.js';
import { PAYMENT_CHANGE_PATTERNS, SECRECY_PATTERNS, URGENCY_PATTERNS } from './payment-phrases.js';

/** The lists are written in lower case; the mail keeps its case so a reason quotes it as written. */
const caseless = (pattern: RegExp) => new RegExp(pattern.source, pattern.flags.includes('i') ? pattern.flags : `${pattern.flags}i`);
const PAYMENT_CHANGE = Object.entries(PAYMENT_CHANGE_PATTERNS).map(([language, patterns]) => [language, patterns.map(caseless)] as const);
const URGENCY = URGENCY_PATTERNS.map(caseless);
const SECRECY = SECRECY_PATTERNS.map(caseless);

export const PAYMENT_CHANGE_WEIGHT = 45;
export const URGENCY_WEIGHT = 10;
export const SECRECY_WEIGHT = 20;

const LANGUAGE_NAMES: Record<string, { en: string; zh: string }> = {
  en: { en: 'English', zh: '英文' },
  zh: { en: 'Chinese', zh: '中文' },
  es: { en: 'Spanish', zh: '西班牙文' },
  pt: { en: 'Portuguese', zh: '葡萄牙文' },
  fr: { en: 'French', zh: '法文' },
  de: { en: 'German', zh: '德文' },
  ru: { en: 'Russian', zh: '俄文' },
  ar: { en: 'Arabic', zh: '阿拉伯文' },
  tr: { en: 'Turkish', zh: '土耳其文' },
  it: { en: 'Italian', zh: '意大利文' },
};

/** The first payment-change phrase in the sender's own words, with its language. */
export function findPaymentChange(words: string): { language: string; phrase: string } | null {
  for (const [language, patterns] of PAYMENT_CHANGE) {
    for (const pattern of patterns) {
      const match = pattern.exec(words);
      if (match) return { language, phrase: match[0] };
    }
  }
  return null;
}

/**
 * Where a phrase was found, for the reason: the mail's own words, or the text of one of its
 * PDF/DOCX attachments (then named, so the agent knows where to look).
 */
export type TextSource = { words: string; attachment?: string };

const inAttachment = (source: TextSource) =>
  source.attachment
    ? { en: ` in the attachment "${quote(source.attachment, 60)}"`, zh: `附件“${quote(source.attachment, 60)}”中` }
    : { en: '', zh: '' };

/** The mail's words first, then each attachment's text: the first source with a phrase names it. */
export function paymentChangeSignals(sources: string | TextSource[]): FraudSignal[] {
  for (const source of typeof sources === 'string' ? [{ words: sources }] : sources) {
    const found = findPaymentChange(source.words);
    if (!found) continue;
    const name = LANGUAGE_NAMES[found.language] ?? { en: found.language, zh: found.language };
    const where = inAttachment(source);
    return [
      signal(
        'payment_change',
        PAYMENT_CHANGE_WEIGHT,
        `The mail says${where.en} the bank account for payment has changed ("${quote(found.phrase)}", ${name.en}). This is the most common trick to steal payments: confirm by phone before paying.`,
        `邮件${where.zh}称收款银行账户已变更（“${quote(found.phrase)}”，${name.zh}）。这是骗取货款最常见的手法：付款前务必电话核实。`,
      ),
    ];
  }
  return [];
}

export function pressureSignals(sources: string | TextSource[]): FraudSignal[] {
  const list = typeof sources === 'string' ? [{ words: sources }] : sources;
  const first = (patterns: RegExp[]) => {
    for (const source of list) {
      const match = patterns.map((p) => p.exec(source.words)).find((m) => m !== null);
      if (match) return { match, where: inAttachment(source) };
    }
    return null;
  };
  const signals: FraudSignal[] = [];
  const urgent = first(URGENCY);
  if (urgent) {
    signals.push(
      signal(
        'urgency_language',
        URGENCY_WEIGHT,
        `The mail pushes for speed${urgent.where.en} ("${quote(urgent.match[0], 40)}").`,
        `邮件${urgent.where.zh}催促尽快处理（“${quote(urgent.match[0], 40)}”）。`,
      ),
    );
  }
  const secret = first(SECRECY);
  if (secret) {
    signals.push(
      signal(
        'secrecy_language',
        SECRECY_WEIGHT,
        `The mail asks${secret.where.en} for secrecy or not to call ("${quote(secret.match[0], 40)}"); a real partner does not mind a phone call.`,
        `邮件${secret.where.zh}要求保密或不要打电话（“${quote(secret.match[0], 40)}”）；真正的合作伙伴不会介意电话核实。`,
      ),
    );
  }
  return signals;
}
