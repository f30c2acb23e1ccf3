import { electronicFormatIBAN, friendlyFormatIBAN, isValidBIC, isValidIBAN } from 'ibantools';
import { signal } from '../reasons.js';
import type { BankIdentifier, FraudHistory, FraudSignal } from '../types.js';

export const NEW_BANK_DETAILS_WEIGHT = 50;
export const KNOWN_BANK_DETAILS_WEIGHT = -20;
export const FIRST_BANK_DETAILS_WEIGHT = 5;

const IBAN_CANDIDATE = /\b[a-z]{2}\d{2}(?:[ -]?[a-z0-9]){11,34}/gi;
const BIC_NEAR_LABEL =
  /(?:swift|bic)(?:\s*(?:\/\s*bic|code|代码|代碼|号|號|address))?\s*(?:no\.?|number)?\s*[:：#]?\s*([a-z]{6}[a-z0-9]{2}(?:[a-z0-9]{3})?)\b/gi;
const ACCOUNT_NEAR_LABEL =
  /(?:account\s*(?:no\.?|number|#)|a\/c\s*(?:no\.?|number)?|acct\.?\s*(?:no\.?|#)?|账号|帐号|帳號|账户号码|帐户号码|账户号|收款账号|银行账号|账户|帐户|número de (?:la )?cuenta|n[úu]mero da conta|num[ée]ro de compte|kontonummer|konto-?nr\.?|номер сч[её]та|сч[её]т\s*№|р\/с|رقم الحساب|hesap no|hesap numarası|numero (?:di )?conto|c\/c)\s*[:：#.]?\s*((?:\d[\s-]?){8,34})/gi;

/**
 * Bank identifiers in the mail text: IBANs (mod-97 checked), SWIFT/BIC codes next to their
 * label, and account numbers (8–34 digits, e.g. Chinese 16–19 digit accounts) next to an
 * account label in the common languages. Values are upper-case, without spaces.
 */
export function extractBankIdentifiers(text: string): BankIdentifier[] {
  const found = new Map<string, BankIdentifier>();
  const add = (id: BankIdentifier) => found.set(`${id.kind}:${id.value}`, id);
  for (const match of text.matchAll(IBAN_CANDIDATE)) {
    const iban = longestValidIban(match[0]);
    if (iban) add({ kind: 'iban', value: iban });
  }
  for (const match of text.matchAll(BIC_NEAR_LABEL)) {
    const bic = match[1]?.toUpperCase();
    if (bic && isValidBIC(bic)) add({ kind: 'bic', value: bic.length === 11 && bic.endsWith('XXX') ? bic.slice(0, 8) : bic });
  }
  const ibans = [...found.values()].filter((i) => i.kind === 'iban').map((i) => i.value);
  for (const match of text.matchAll(ACCOUNT_NEAR_LABEL)) {
    const digits = (match[1] ?? '').replace(/\D/g, '');
    if (digits.length >= 8 && digits.length <= 34 && !ibans.some((iban) => iban.endsWith(digits))) add({ kind: 'account', value: digits });
  }
  return [...found.values()];
}

/** One bank account as a person types it (admin trust mark): IBAN, SWIFT/BIC or 8–34 digit account number; null when it is none. */
export function bankAccountOf(input: string): BankIdentifier | null {
  const compact = input.replace(/[\s-]/g, '').toUpperCase();
  if (isValidIBAN(compact)) return { kind: 'iban', value: compact };
  if (isValidBIC(compact)) return { kind: 'bic', value: compact.length === 11 && compact.endsWith('XXX') ? compact.slice(0, 8) : compact };
  return /^\d{8,34}$/.test(compact) ? { kind: 'account', value: compact } : null;
}

/** Spaces and neighbouring words make the match too long: the longest prefix that is a valid IBAN. */
function longestValidIban(candidate: string): string | null {
  const compact = (electronicFormatIBAN(candidate) ?? '').toUpperCase();
  for (let length = Math.min(34, compact.length); length >= 15; length--) {
    const prefix = compact.slice(0, length);
    if (isValidIBAN(prefix)) return prefix;
  }
  return null;
}

export function formatIdentifier(id: BankIdentifier): string {
  const label = id.kind === 'iban' ? 'IBAN' : id.kind === 'bic' ? 'SWIFT' : 'account';
  return `${label} ${id.kind === 'iban' ? friendlyFormatIBAN(id.value) : id.value}`;
}

function formatIdentifierZh(id: BankIdentifier): string {
  const label = id.kind === 'iban' ? 'IBAN' : id.kind === 'bic' ? 'SWIFT' : '账号';
  return `${label} ${id.kind === 'iban' ? friendlyFormatIBAN(id.value) : id.value}`;
}

const sameIdentifier = (a: BankIdentifier, b: BankIdentifier) =>
  a.kind === b.kind && (a.kind === 'bic' ? a.value.slice(0, 8) === b.value.slice(0, 8) : a.value === b.value);

/**
 * Compares the mail's bank identifiers with those the company used before. `companies` are
 * the sender's company domain and any company the mail imitates (look-alike domain, a known
 * contact's name). A new account for a company whose account we know is the strongest sign of
 * payment fraud; the same account again is reassuring. A BIC alone is only new if the company
 * has known BICs, an account only if it has known accounts or IBANs.
 */
export function bankIdentifierSignals(
  found: BankIdentifier[],
  history: FraudHistory,
  companies: { senderCompany: string | null; imitated: string[] },
): FraudSignal[] {
  if (found.length === 0) return [];
  for (const domain of [...companies.imitated, ...(companies.senderCompany ? [companies.senderCompany] : [])]) {
    const known = history.bankIdentifiers[domain] ?? [];
    if (known.length === 0) continue;
    const comparable = found.filter((f) => known.some((k) => k.kind === f.kind || (f.kind === 'account' && k.kind === 'iban')));
    const fresh = comparable.filter(
      (f) => !known.some((k) => sameIdentifier(f, k) || (f.kind === 'account' && k.kind === 'iban' && k.value.endsWith(f.value))),
    );
    if (fresh.length > 0) {
      const before = known.slice(0, 3);
      return [
        signal(
          'new_bank_details',
          NEW_BANK_DETAILS_WEIGHT,
          `New bank details for ${domain}: ${fresh.map(formatIdentifier).join(', ')}. Until now ${domain} used ${before.map(formatIdentifier).join(', ')}.`,
          `${domain} 的银行信息是新的：${fresh.map(formatIdentifierZh).join('、')}。此前 ${domain} 使用的是 ${before.map(formatIdentifierZh).join('、')}。`,
        ),
      ];
    }
    if (comparable.length > 0 && domain === companies.senderCompany) {
      return [
        signal(
          'known_bank_details',
          KNOWN_BANK_DETAILS_WEIGHT,
          `The bank details (${comparable.map(formatIdentifier).join(', ')}) are the ones ${domain} has used before.`,
          `银行信息（${comparable.map(formatIdentifierZh).join('、')}）与 ${domain} 以前使用的一致。`,
        ),
      ];
    }
  }
  if (companies.senderCompany && history.knownDomains.includes(companies.senderCompany)) {
    return [
      signal(
        'bank_details_first_seen',
        FIRST_BANK_DETAILS_WEIGHT,
        `First time we see bank details from ${companies.senderCompany}: ${found.map(formatIdentifier).join(', ')}.`,
        `第一次收到 ${companies.senderCompany} 的银行信息：${found.map(formatIdentifierZh).join('、')}。`,
      ),
    ];
  }
  return [];
}
