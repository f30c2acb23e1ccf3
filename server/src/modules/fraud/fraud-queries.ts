import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import type { Assessment, BankIdentifier, FraudSignal, Reason } from './types.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function assessmentExists(db: Db, messageId: string): Promise<boolean> {
  return (await db.selectFrom('fraud_assessments').select('id').where('message_id', '=', messageId).executeTakeFirst()) !== undefined;
}

export async function insertAssessment(
  db: Db,
  input: { messageId: string; conversationId: string; assessment: Assessment; imitated: string[]; now: number },
) {
  await db
    .insertInto('fraud_assessments')
    .values({
      id: newId(),
      message_id: input.messageId,
      conversation_id: input.conversationId,
      score: input.assessment.score,
      level: input.assessment.level,
      signals: JSON.stringify(input.assessment.signals),
      imitated: JSON.stringify(input.imitated),
      created_at: input.now,
    })
    .execute();
}

/** Adds the identifiers to the company's ledger, or moves their last-seen forward. */
export async function recordBankIdentifiers(
  db: Db,
  input: { companyId: string; identifiers: BankIdentifier[]; messageId: string; seenAt: number; trusted: boolean },
) {
  for (const id of input.identifiers) {
    const existing = await db
      .selectFrom('fraud_bank_identifiers')
      .select(['id', 'last_seen_at'])
      .where('company_id', '=', input.companyId)
      .where('kind', '=', id.kind)
      .where('value', '=', id.value)
      .executeTakeFirst();
    if (existing) {
      if (existing.last_seen_at <= input.seenAt) {
        await db
          .updateTable('fraud_bank_identifiers')
          .set({ last_seen_at: input.seenAt, last_message_id: input.messageId })
          .where('id', '=', existing.id)
          .execute();
      }
      continue;
    }
    await db
      .insertInto('fraud_bank_identifiers')
      .values({
        id: newId(),
        company_id: input.companyId,
        kind: id.kind,
        value: id.value,
        status: input.trusted ? 'trusted' : 'unverified',
        first_seen_at: input.seenAt,
        last_seen_at: input.seenAt,
        first_message_id: input.messageId,
        last_message_id: input.messageId,
      })
      .execute();
  }
}

/** A confirmed phone call vouches for the bank details that arrived in that conversation. */
export async function trustBankIdentifiersOfConversation(db: Db, conversationId: string) {
  const messageIds = db.selectFrom('conversation_messages').select('message_id').where('conversation_id', '=', conversationId);
  await db
    .updateTable('fraud_bank_identifiers')
    .set({ status: 'trusted' })
    .where('status', '=', 'unverified')
    .where('first_message_id', 'in', messageIds)
    .execute();
}

/** Assessments of the messages now in a conversation (found through its messages, so merges keep them). */
export function selectConversationAssessments(db: Db, conversationId: string) {
  return db
    .selectFrom('fraud_assessments')
    .innerJoin('conversation_messages', 'conversation_messages.message_id', 'fraud_assessments.message_id')
    .innerJoin('messages', 'messages.id', 'fraud_assessments.message_id')
    .where('conversation_messages.conversation_id', '=', conversationId)
    .select([
      'fraud_assessments.message_id',
      'fraud_assessments.score',
      'fraud_assessments.level',
      'fraud_assessments.signals',
      'fraud_assessments.imitated',
      'fraud_assessments.created_at',
      'fraud_assessments.cleared_at',
      'fraud_assessments.cleared_by',
      'fraud_assessments.clear_reason',
      'messages.from_addr',
      'messages.received_at',
    ])
    .orderBy('messages.received_at', 'asc')
    .execute();
}

export function selectPhoneConfirmations(db: Db, conversationId: string) {
  return db
    .selectFrom('fraud_phone_confirmations as p')
    .innerJoin('users as caller', 'caller.id', 'p.called_by')
    .innerJoin('users as recorder', 'recorder.id', 'p.recorded_by')
    .innerJoin('contacts', 'contacts.id', 'p.contact_id')
    .where('p.conversation_id', '=', conversationId)
    .select([
      'p.id',
      'p.phone_e164',
      'p.called_at',
      'p.outcome',
      'p.note',
      'p.created_at',
      'caller.id as caller_id',
      'caller.name as caller_name',
      'recorder.id as recorder_id',
      'recorder.name as recorder_name',
      'contacts.id as contact_id',
      'contacts.address as contact_address',
      'contacts.name as contact_name',
    ])
    .orderBy('p.called_at', 'asc')
    .execute();
}

/**
 * The list marker of each conversation: its worst flag not cleared (high over warn; the newest
 * mail on a tie) and the reason of that mail's strongest signal. Levels are per mail, so a
 * hijack mail's high never paints the genuine mails after it.
 */
export async function fraudMarkers(
  db: Db,
  conversationIds: string[],
): Promise<{ conversationId: string; messageId: string; level: 'warn' | 'high'; reason: Reason }[]> {
  if (conversationIds.length === 0) return [];
  const rows = await db
    .selectFrom('fraud_assessments')
    .innerJoin('conversation_messages', 'conversation_messages.message_id', 'fraud_assessments.message_id')
    .innerJoin('messages', 'messages.id', 'fraud_assessments.message_id')
    .where('conversation_messages.conversation_id', 'in', conversationIds)
    .where('fraud_assessments.level', '!=', 'none')
    .where('fraud_assessments.cleared_at', 'is', null)
    .select([
      'conversation_messages.conversation_id',
      'fraud_assessments.message_id',
      'fraud_assessments.level',
      'fraud_assessments.signals',
      'messages.received_at',
    ])
    .execute();
  const rank = { none: 0, warn: 1, high: 2 } as const;
  const worst = new Map<string, (typeof rows)[number]>();
  for (const row of rows) {
    const top = worst.get(row.conversation_id);
    if (!top || rank[row.level] > rank[top.level] || (rank[row.level] === rank[top.level] && row.received_at > top.received_at)) {
      worst.set(row.conversation_id, row);
    }
  }
  return [...worst.values()].map((row) => {
    const signals = JSON.parse(row.signals) as FraudSignal[];
    const strongest = signals.reduce<FraudSignal | undefined>((best, s) => (!best || s.weight > best.weight ? s : best), undefined);
    return {
      conversationId: row.conversation_id,
      messageId: row.message_id,
      level: row.level as 'warn' | 'high',
      reason: strongest?.reason ?? { en: '', 'zh-CN': '' },
    };
  });
}
