import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { recordAudit } from '../audit/index.js';
import { selectConversationAssessments, trustBankIdentifiersOfConversation } from './fraud-queries.js';
import { impostorContacts } from './impostors.js';
import type { FraudSignal } from './types.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Signals that are about money: even at 'warn' they need a call before paying or sending payment details. */
const PAYMENT_CODES = new Set(['payment_change', 'new_bank_details']);

/** The assessment needs an out-of-band check: high risk, or any payment-change sign. */
export function needsPhoneCheck(a: { level: string; signals: FraudSignal[] }): boolean {
  return a.level === 'high' || a.signals.some((s) => PAYMENT_CODES.has(s.code));
}

export type PhoneCheckStatus = { required: boolean; satisfied: boolean };

/**
 * Whether the conversation carries a flag that needs a phone call, and whether a call
 * recorded after the latest such flag reached an answer ('confirmed' or 'denied';
 * 'unreachable' does not count).
 */
export async function phoneConfirmationStatus(db: Db, conversationId: string): Promise<PhoneCheckStatus> {
  const assessments = await selectConversationAssessments(db, conversationId);
  // A flag a person cleared as "not fraud" needs no call.
  const flagged = assessments.filter(
    (a) => a.cleared_at === null && needsPhoneCheck({ level: a.level, signals: JSON.parse(a.signals) as FraudSignal[] }),
  );
  if (flagged.length === 0) return { required: false, satisfied: true };
  const latestFlag = Math.max(...flagged.map((a) => a.created_at));
  const answered = await db
    .selectFrom('fraud_phone_confirmations')
    .select('id')
    .where('conversation_id', '=', conversationId)
    .where('outcome', 'in', ['confirmed', 'denied'])
    .where('created_at', '>=', latestFlag)
    .executeTakeFirst();
  return { required: true, satisfied: answered !== undefined };
}

/**
 * For the triage (close) and outbox (reply with payment details) gates: true while the
 * conversation is flagged and nobody has recorded an answered phone call since. Fail closed:
 * callers block the action when this is true.
 */
export async function phoneConfirmationRequired(db: Db, conversationId: string): Promise<boolean> {
  const status = await phoneConfirmationStatus(db, conversationId);
  return status.required && !status.satisfied;
}

/**
 * The people the team may call about a conversation (and record numbers for), as a query on
 * `contacts`: the customer side of its messages, their companies' other contacts, and the
 * contacts of a company a look-alike imitates (the one to call). Never the team's own
 * mailboxes, and never an impostor (impostorContacts). A number recorded on the impostor's
 * contact, copied from its mail, would lead to the fraudster.
 */
export async function callableContactsQuery(db: Db, conversationId: string) {
  const own = (await db.selectFrom('mailboxes').select('address').execute()).map((m) => m.address.toLowerCase());
  const inConversation = db
    .selectFrom('message_contacts')
    .innerJoin('conversation_messages', 'conversation_messages.message_id', 'message_contacts.message_id')
    .where('conversation_messages.conversation_id', '=', conversationId)
    .select('message_contacts.contact_id');
  const companies = db.selectFrom('contacts').where('id', 'in', inConversation).where('company_id', 'is not', null).select('company_id');
  const imitated = (await selectConversationAssessments(db, conversationId)).flatMap((a) => JSON.parse(a.imitated) as string[]);
  const imitatedCompanies = db
    .selectFrom('companies')
    .where('domain', 'in', imitated.length ? imitated : [''])
    .select('id');
  const { contacts: impostors, companies: impostorCompanies } = await impostorContacts(db);
  return db
    .selectFrom('contacts')
    .where((eb) => eb.or([eb('id', 'in', inConversation), eb('company_id', 'in', companies), eb('company_id', 'in', imitatedCompanies)]))
    .where('id', 'not in', impostors.length ? impostors : [''])
    .where((eb) => eb.or([eb('company_id', 'is', null), eb('company_id', 'not in', impostorCompanies.length ? impostorCompanies : [''])]))
    .where((eb) => eb(eb.fn('lower', ['address']), 'not in', own.length ? own : ['']));
}

/** Contacts the team may call about the conversation that have a number on their record. */
export async function callableContacts(db: Db, conversationId: string) {
  const rows = await (await callableContactsQuery(db, conversationId))
    .where('phone_e164', 'is not', null)
    .select(['id', 'address', 'name', 'phone_e164'])
    .orderBy('address')
    .execute();
  return rows.map((r) => ({ contactId: r.id, address: r.address, name: r.name, phone: r.phone_e164 as string }));
}

/**
 * Records a phone call. The number is copied from the contact record, never taken from the
 * request: a number printed in a fraudulent mail leads to the fraudster. A 'confirmed' call
 * makes the bank details that arrived in this conversation trusted for later comparisons.
 */
export async function recordPhoneConfirmation(
  db: Kysely<Database>,
  input: {
    conversationId: string;
    contactId: string;
    outcome: 'confirmed' | 'denied' | 'unreachable';
    calledAt: number;
    calledBy: string;
    note: string | null;
    recordedBy: string;
    ip?: string | null;
  },
): Promise<string> {
  const callable = await callableContacts(db, input.conversationId);
  const contact = callable.find((c) => c.contactId === input.contactId);
  if (!contact) {
    throw new AppError('fraud.phone_not_on_record', 400, 'that contact has no phone number on record for this conversation');
  }
  const caller = await db
    .selectFrom('users')
    .select('id')
    .where('id', '=', input.calledBy)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (!caller) throw new AppError('fraud.caller_unknown', 400, 'the caller is not an active user');
  const id = newId();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('fraud_phone_confirmations')
      .values({
        id,
        conversation_id: input.conversationId,
        contact_id: contact.contactId,
        phone_e164: contact.phone,
        called_by: input.calledBy,
        called_at: input.calledAt,
        outcome: input.outcome,
        note: input.note,
        recorded_by: input.recordedBy,
        created_at: Date.now(),
      })
      .execute();
    if (input.outcome === 'confirmed') await trustBankIdentifiersOfConversation(trx, input.conversationId);
    await recordAudit(trx, {
      actorId: input.recordedBy,
      action: 'fraud.phone_confirmation_recorded',
      targetType: 'conversation',
      targetId: input.conversationId,
      ip: input.ip ?? null,
      // The number is the one on record (never from the mail); the note stays out of the log.
      details: {
        confirmationId: id,
        contactId: contact.contactId,
        phone: contact.phone,
        outcome: input.outcome,
        calledBy: input.calledBy,
        calledAt: input.calledAt,
      },
    });
  });
  return id;
}
