import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { companyDomainFor } from '../contacts/index.js';
import type { AuthResults } from '../conversations/index.js';
import { defineSubscriber, type EventSubscriber, type MessageReceivedEvent } from '../events/index.js';
import { assessMail } from './assess.js';
import { fraudMailFromRaw } from './check-files.js';
import { notifyAssigneeOfFlag } from './flag-notice.js';
import { assessmentExists, insertAssessment, recordBankIdentifiers } from './fraud-queries.js';
import { loadFraudHistory } from './history.js';
import type { Assessment } from './types.js';

/**
 * Assesses one stored incoming message once, stores the assessment and adds its bank
 * identifiers to the sender company's ledger (unverified when the mail was suspicious).
 * The mail is read from its raw bytes, exactly as `fraud check` reads a file, with the
 * verdicts recorded at ingest (Pier's own SMTP check or the provider's header).
 * Idempotent: a redelivered event finds the assessment and does nothing.
 */
export async function assessStoredMessage(
  deps: { db: Kysely<Database>; blobs: BlobStore },
  event: Pick<MessageReceivedEvent, 'messageId' | 'conversationId' | 'direction' | 'receivedAt'>,
): Promise<Assessment | null> {
  if (event.direction !== 'in') return null;
  const { db } = deps;
  if (await assessmentExists(db, event.messageId)) return null;
  const message = await db
    .selectFrom('messages')
    .select(['raw_sha256', 'auth_results'])
    .where('id', '=', event.messageId)
    .executeTakeFirst();
  if (!message) return null;
  const mail = await fraudMailFromRaw(await deps.blobs.get(message.raw_sha256));
  if (message.auth_results) mail.authResults = JSON.parse(message.auth_results) as AuthResults;
  const history = await loadFraudHistory(db, mail, { messageId: event.messageId, conversationId: event.conversationId });
  const { bankIdentifiers, imitated, ...assessment } = assessMail(mail, history);
  await db.transaction().execute(async (trx) => {
    if (await assessmentExists(trx, event.messageId)) return;
    await insertAssessment(trx, {
      messageId: event.messageId,
      conversationId: event.conversationId,
      assessment,
      imitated,
      now: Date.now(),
    });
    await notifyAssigneeOfFlag(trx, { conversationId: event.conversationId, messageId: event.messageId, level: assessment.level });
    const domain = mail.from?.address ? companyDomainFor(mail.from.address) : null;
    const company = domain ? await trx.selectFrom('companies').select('id').where('domain', '=', domain).executeTakeFirst() : undefined;
    if (company && bankIdentifiers.length > 0) {
      // Flagged mail teaches nothing until a person clears it (clear-flag.ts trusts them then).
      const suspicious = assessment.level !== 'none' || assessment.signals.some((s) => s.code === 'new_bank_details');
      await recordBankIdentifiers(trx, {
        companyId: company.id,
        identifiers: bankIdentifiers,
        messageId: event.messageId,
        seenAt: event.receivedAt,
        trusted: !suspicious,
      });
    }
  });
  return assessment;
}

/** The `fraud.assess` subscriber of `message.received`. */
export function fraudAssessSubscriber(deps: { db: Kysely<Database>; blobs: BlobStore }): EventSubscriber {
  return defineSubscriber({
    name: 'fraud.assess',
    event: 'message.received',
    key: (payload) => payload.messageId,
    run: async (payload) => {
      await assessStoredMessage(deps, payload);
    },
  });
}

/**
 * Assesses every stored incoming message that has no assessment yet, oldest first, as the
 * worker would. `fraud check` runs it first so history imported with the CLI (whose events
 * wait for a worker) is in the bank-identifier ledger before mail is compared with it.
 */
export async function assessPendingMessages(deps: { db: Kysely<Database>; blobs: BlobStore }): Promise<number> {
  const pending = await deps.db
    .selectFrom('messages')
    .innerJoin('conversation_messages', 'conversation_messages.message_id', 'messages.id')
    .leftJoin('fraud_assessments', 'fraud_assessments.message_id', 'messages.id')
    .where('messages.direction', '=', 'in')
    .where('fraud_assessments.id', 'is', null)
    .select(['messages.id', 'messages.received_at', 'conversation_messages.conversation_id'])
    .orderBy('messages.received_at')
    .orderBy('messages.id')
    .execute();
  let count = 0;
  for (const m of pending) {
    const done = await assessStoredMessage(deps, {
      messageId: m.id,
      conversationId: m.conversation_id,
      direction: 'in',
      receivedAt: m.received_at,
    });
    if (done) count++;
  }
  return count;
}
