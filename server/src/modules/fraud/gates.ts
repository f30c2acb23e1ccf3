import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { containsPaymentDetails, isBillOfLadingName } from './payment-details.js';
import { phoneConfirmationRequired } from './phone-confirmation.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The fraud gates other modules call (ADR 0015). Each is one call at its site, and each fails
 * closed: an error while checking stops the action (the close, the send) rather than letting it pass.
 */

/** 409 fraud.phone_confirmation_required: the UI shows the banner's phone-confirmation form. */
function phoneConfirmationMissing(action: 'close' | 'reply'): AppError {
  return new AppError(
    'fraud.phone_confirmation_required',
    409,
    action === 'close'
      ? 'this conversation was flagged: record a phone confirmation before closing it'
      : 'this conversation was flagged: record a phone confirmation before replying with payment details',
    { action },
  );
}

/** Triage: a flagged conversation is not closed before someone has recorded an answered phone call. */
export async function assertMayClose(db: Db, conversationId: string): Promise<void> {
  if (await phoneConfirmationRequired(db, conversationId)) throw phoneConfirmationMissing('close');
}

export type ApprovalReason = 'payment_details' | 'bill_of_lading';

/**
 * Outbox, before a mail is queued. `text` is what the agent wrote (not the quoted mail, whose
 * bank details are the customer's own). Throws 409 when the reply carries payment details into a
 * flagged conversation without a phone confirmation; returns why a second approver must approve
 * the mail (empty: none needed). If the mailbox's rule cannot be read, approval is required.
 */
export async function checkOutgoingMail(
  db: Db,
  mail: { mailboxId: string; conversationId: string | null; text: string; attachmentNames: string[] },
): Promise<ApprovalReason[]> {
  const paymentDetails = containsPaymentDetails(mail.text);
  if (paymentDetails && mail.conversationId && (await phoneConfirmationRequired(db, mail.conversationId))) {
    throw phoneConfirmationMissing('reply');
  }
  const reasons: ApprovalReason[] = [];
  if (paymentDetails) reasons.push('payment_details');
  if (mail.attachmentNames.some(isBillOfLadingName)) reasons.push('bill_of_lading');
  if (reasons.length === 0) return reasons;
  try {
    return (await secondApproverRequired(db, mail.mailboxId)) ? reasons : [];
  } catch {
    return reasons; // fail closed: when in doubt, a colleague approves
  }
}

export async function secondApproverRequired(db: Db, mailboxId: string): Promise<boolean> {
  const row = await db
    .selectFrom('fraud_mailbox_settings')
    .select('second_approver')
    .where('mailbox_id', '=', mailboxId)
    .executeTakeFirst();
  return Number(row?.second_approver ?? 0) === 1;
}

/**
 * Send job, just before it claims a mail: a mail that needed a second approver leaves only with an
 * 'approved' decision on record. Any doubt (unreadable reasons) counts as "not approved".
 */
export async function approvalMissing(db: Db, row: { id: string; approval_reasons: string | null }): Promise<boolean> {
  if (row.approval_reasons === null) return false;
  let reasons: unknown;
  try {
    reasons = JSON.parse(row.approval_reasons);
  } catch {
    return true;
  }
  if (Array.isArray(reasons) && reasons.length === 0) return false;
  const approved = await db
    .selectFrom('outbox_approvals')
    .select('id')
    .where('outbox_id', '=', row.id)
    .where('decision', '=', 'approved')
    .executeTakeFirst();
  return approved === undefined;
}
