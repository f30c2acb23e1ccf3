import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export type CustomerFraudHistory = {
  flags: { at: number; conversationId: string; level: string; cleared: boolean }[];
  confirmations: { at: number; conversationId: string; phone: string; outcome: string }[];
  bankDetails: { kind: string; value: string; firstSeenAt: number; lastSeenAt: number }[];
};

/**
 * A customer's fraud history for its timeline (decision 0048): the flags and phone confirmations
 * of the conversations the reader may read (the caller passes only those), and the company's bank
 * details first and last seen, only those that came in one of these conversations' mail.
 */
export async function customerFraudHistory(
  db: Db,
  input: { conversationIds: readonly string[]; companyId: string | null },
): Promise<CustomerFraudHistory> {
  const ids = [...input.conversationIds];
  if (ids.length === 0) return { flags: [], confirmations: [], bankDetails: [] };
  const [flags, confirmations, bank] = await Promise.all([
    db
      .selectFrom('fraud_assessments')
      .select(['conversation_id', 'level', 'created_at', 'cleared_at'])
      .where('conversation_id', 'in', ids)
      .where('level', '!=', 'none')
      .execute(),
    db
      .selectFrom('fraud_phone_confirmations')
      .select(['conversation_id', 'phone_e164', 'outcome', 'called_at'])
      .where('conversation_id', 'in', ids)
      .execute(),
    input.companyId
      ? db
          .selectFrom('fraud_bank_identifiers as b')
          .select(['b.kind', 'b.value', 'b.first_seen_at', 'b.last_seen_at'])
          .where('b.company_id', '=', input.companyId)
          .where((eb) =>
            eb.or([
              eb(
                'b.first_message_id',
                'in',
                eb.selectFrom('conversation_messages').select('message_id').where('conversation_id', 'in', ids),
              ),
              eb(
                'b.last_message_id',
                'in',
                eb.selectFrom('conversation_messages').select('message_id').where('conversation_id', 'in', ids),
              ),
            ]),
          )
          .execute()
      : Promise.resolve([]),
  ]);
  return {
    flags: flags.map((f) => ({
      at: Number(f.created_at),
      conversationId: f.conversation_id,
      level: f.level,
      cleared: f.cleared_at !== null,
    })),
    confirmations: confirmations.map((c) => ({
      at: Number(c.called_at),
      conversationId: c.conversation_id,
      phone: c.phone_e164,
      outcome: c.outcome,
    })),
    bankDetails: bank.map((b) => ({
      kind: b.kind,
      value: b.value,
      firstSeenAt: Number(b.first_seen_at),
      lastSeenAt: Number(b.last_seen_at),
    })),
  };
}
