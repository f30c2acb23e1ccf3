/**
 * Tables of the fraud domain (migration 0006_fraud). Kept in their own file so
 * domains grow their part of the schema without touching each other's.
 */
export interface FraudTables {
  fraud_assessments: FraudAssessmentsTable;
  fraud_bank_identifiers: FraudBankIdentifiersTable;
  fraud_phone_confirmations: FraudPhoneConfirmationsTable;
  fraud_trusted_parties: FraudTrustedPartiesTable;
  fraud_mailbox_settings: FraudMailboxSettingsTable;
  outbox_approvals: OutboxApprovalsTable;
}

/** One per incoming message: the score, the level and the signals (JSON array of {code, weight, reason}). */
export interface FraudAssessmentsTable {
  id: string;
  message_id: string;
  conversation_id: string;
  score: number;
  level: 'none' | 'warn' | 'high';
  signals: string;
  /** JSON array of the company domains this mail imitates (look-alike, display name): whom to call. */
  imitated: string;
  created_at: number;
  /** A person marked the flag "not fraud" (migration 0039): it no longer counts, its mail teaches Pier. */
  cleared_at: number | null;
  cleared_by: string | null;
  clear_reason: string | null;
}

/**
 * A party a person vouched for (migration 0039): an admin's mark, or the sender of a flag cleared
 * as "not fraud". A company domain or free-mail address is never suspected as a look-alike again;
 * a bank account (value: IBAN or account number, of `company_domain`) counts as that company's
 * known account; a phone number (E.164) is not a call-back scam's number. Since migration 0047 a
 * mark can be revoked: the row stays, and only rows without `revoked_at` count.
 */
export interface FraudTrustedPartiesTable {
  id: string;
  kind: 'domain' | 'address' | 'bank_account' | 'phone';
  value: string;
  source: 'admin' | 'cleared';
  message_id: string | null;
  reason: string;
  decided_by: string;
  created_at: number;
  company_domain: string | null;
  revoked_at: number | null;
  revoked_by: string | null;
  revoke_reason: string | null;
}

/**
 * Bank identifiers (IBAN, SWIFT/BIC, account number) a company has sent, for "new account on a
 * known company". 'unverified' ones came in a mail that was flagged for them; they become
 * 'trusted' when a phone confirmation of that conversation confirms the mail.
 */
export interface FraudBankIdentifiersTable {
  id: string;
  company_id: string;
  kind: 'iban' | 'bic' | 'account';
  value: string;
  status: 'trusted' | 'unverified';
  first_seen_at: number;
  last_seen_at: number;
  first_message_id: string;
  last_message_id: string;
}

/** An out-of-band check: who called which number from the customer record, when, with what outcome. */
export interface FraudPhoneConfirmationsTable {
  id: string;
  conversation_id: string;
  /** The contact whose recorded number was called; the number is copied from the record, never from mail. */
  contact_id: string;
  phone_e164: string;
  called_by: string;
  called_at: number;
  outcome: 'confirmed' | 'denied' | 'unreachable';
  note: string | null;
  recorded_by: string;
  created_at: number;
}

/** Per mailbox (migration 0013): whether mail with payment details or a bill of lading needs a second approver. */
export interface FraudMailboxSettingsTable {
  mailbox_id: string;
  /** 1: such mail waits in `awaiting_approval` until a colleague other than the author approves it. */
  second_approver: number;
  updated_by: string | null;
  updated_at: number;
}

/** A second approver's decision on an outgoing mail (migration 0013; the author never decides). */
export interface OutboxApprovalsTable {
  id: string;
  outbox_id: string;
  decision: 'approved' | 'rejected';
  decided_by: string;
  note: string | null;
  created_at: number;
}
