import { extractBankIdentifiers } from './signals/bank-identifiers.js';

const PAYMENT_WORDS =
  /\b(?:beneficiary|bank details|banking details|bank account|account (?:no|number)|swift|iban|remit to|payment to)\b|收款人|收款账户|收款帳戶|开户行|開戶行|银行账号|銀行帳號|beneficiario|datos bancarios|dados bancários|coordonnées bancaires|bankverbindung|реквизиты|الحساب البنكي|banka hesab|coordinate bancarie/i;

/**
 * Whether an outgoing text carries payment details (for the outbox's second-approver gate):
 * a valid IBAN, a SWIFT/BIC or account number next to its label, or beneficiary/bank-detail
 * wording together with a number long enough to be an account.
 */
export function containsPaymentDetails(text: string): boolean {
  if (extractBankIdentifiers(text).length > 0) return true;
  return PAYMENT_WORDS.test(text) && /\d(?:[\s-]?\d){7,}/.test(text);
}
