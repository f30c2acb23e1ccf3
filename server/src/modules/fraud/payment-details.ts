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

const BILL_OF_LADING =
  /(?:^|[^a-z])(?:b\/?l|bill[\s_-]*of[\s_-]*lading|[ohm]bl|seaway[\s_-]*bill)(?:[^a-z]|$)|提单|提單|conocimiento de embarque|connaissement|konossement|коносамент|konşimento|polizza di carico|conhecimento de embarque/i;

/** An attachment name that looks like a bill of lading (B/L, OBL, 提单…): whoever holds it owns the goods. */
export function isBillOfLadingName(filename: string): boolean {
  return BILL_OF_LADING.test(filename);
}

/** What the outbox's second-approver rule looks at: payment details in the text or a B/L attached. */
export function needsSecondApprover(mail: { text: string; attachmentNames: string[] }): boolean {
  return containsPaymentDetails(mail.text) || mail.attachmentNames.some(isBillOfLadingName);
}
