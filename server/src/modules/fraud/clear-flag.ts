import { newId } from '../../db/ids.js';
import { AppError } from '../../errors.js';
import { recordAudit } from '../audit/index.js';
import { companyDomainFor } from '../contacts/index.js';
import { conversationsAbout, type FraudDeps, reassessConversations } from './reassess.js';

/**
 * A person marks a flagged mail "not fraud", with a reason. The flag stops counting (list
 * marker, banner, phone gate), its sender's company (or free-mail address) becomes vouched for,
 * its bank details trusted, and every conversation about that party is judged again. Audited
 * `fraud.flag_cleared`. Returns the conversations whose assessments were re-judged.
 */
export async function clearFraudFlag(
  deps: FraudDeps,
  input: { conversationId: string; messageId: string; userId: string; reason: string; ip?: string | null },
): Promise<string[]> {
  const { db } = deps;
  const row = await db
    .selectFrom('fraud_assessments')
    .innerJoin('conversation_messages', 'conversation_messages.message_id', 'fraud_assessments.message_id')
    .innerJoin('messages', 'messages.id', 'fraud_assessments.message_id')
    .where('conversation_messages.conversation_id', '=', input.conversationId)
    .where('fraud_assessments.message_id', '=', input.messageId)
    .select([
      'fraud_assessments.id',
      'fraud_assessments.level',
      'fraud_assessments.score',
      'fraud_assessments.cleared_at',
      'messages.from_addr',
    ])
    .executeTakeFirst();
  if (!row) throw new AppError('fraud.assessment_not_found', 404, 'no fraud assessment for that message in this conversation');
  if (row.level === 'none') throw new AppError('fraud.not_flagged', 409, 'that mail is not flagged');
  if (row.cleared_at !== null) throw new AppError('fraud.already_cleared', 409, 'that flag was already cleared');
  const address = row.from_addr?.toLowerCase() ?? null;
  const domain = address ? companyDomainFor(address) : null;
  const now = Date.now();
  await db.transaction().execute(async (trx) => {
    const updated = await trx
      .updateTable('fraud_assessments')
      .set({ cleared_at: now, cleared_by: input.userId, clear_reason: input.reason })
      .where('id', '=', row.id)
      .where('cleared_at', 'is', null)
      .executeTakeFirst();
    // Two people clearing at once: one wins, the other hears so.
    if (Number(updated.numUpdatedRows) !== 1) throw new AppError('fraud.already_cleared', 409, 'that flag was already cleared');
    if (address) {
      await trx
        .insertInto('fraud_trusted_parties')
        .values({
          id: newId(),
          kind: domain ? 'domain' : 'address',
          value: domain ?? address,
          source: 'cleared',
          message_id: input.messageId,
          reason: input.reason,
          decided_by: input.userId,
          created_at: now,
        })
        .execute();
    }
    await trx
      .updateTable('fraud_bank_identifiers')
      .set({ status: 'trusted' })
      .where('status', '=', 'unverified')
      .where('first_message_id', '=', input.messageId)
      .execute();
    await recordAudit(trx, {
      actorId: input.userId,
      action: 'fraud.flag_cleared',
      targetType: 'conversation',
      targetId: input.conversationId,
      ip: input.ip ?? null,
      details: {
        messageId: input.messageId,
        level: row.level,
        score: row.score,
        sender: address,
        trusted: domain ?? address,
        reason: input.reason,
      },
    });
  });
  const affected = await conversationsAbout(db, { domain, address });
  await reassessConversations(deps, [...new Set([input.conversationId, ...affected])]);
  return [...new Set([input.conversationId, ...affected])];
}
