import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { BlobStore } from '../../storage/blob-store.js';
import { companyDomainFor } from '../contacts/index.js';
import type { AuthResults } from '../conversations/index.js';
import { defineSubscriber, type EventSubscriber, type MessageReceivedEvent } from '../events/index.js';
import { assessMail } from './assess.js';
import { attachmentFacts } from './attachment-facts.js';
import { assessmentExists, insertAssessment, recordBankIdentifiers } from './fraud-queries.js';
import { loadFraudHistory } from './history.js';
import { kindOf } from './signals/attachments.js';
import type { Assessment, FraudMail } from './types.js';

/** Archives are the only attachments whose bytes the signals need (to list their contents). */
const needsContent = (filename: string) => kindOf(filename) === 'archive';

/** Rebuilds the fraud view of a stored message from its rows (and archive blobs). */
async function storedMail(db: Kysely<Database>, blobs: BlobStore, messageId: string): Promise<FraudMail | null> {
  const message = await db.selectFrom('messages').selectAll().where('id', '=', messageId).executeTakeFirst();
  if (!message) return null;
  const body = await db.selectFrom('message_bodies').select('text').where('message_id', '=', messageId).executeTakeFirst();
  const replyTo = await db
    .selectFrom('message_contacts')
    .innerJoin('contacts', 'contacts.id', 'message_contacts.contact_id')
    .where('message_contacts.message_id', '=', messageId)
    .where('message_contacts.role', '=', 'reply_to')
    .select(['contacts.address', 'contacts.name'])
    .execute();
  const attachments = await db
    .selectFrom('attachments')
    .select(['filename', 'mime', 'sha256', 'is_inline'])
    .where('message_id', '=', messageId)
    .orderBy('position')
    .execute();
  const withContent = await Promise.all(
    attachments
      .filter((a) => !a.is_inline)
      .map(async (a) => ({ filename: a.filename, mime: a.mime, content: needsContent(a.filename) ? await blobs.get(a.sha256) : null })),
  );
  return {
    from: message.from_addr ? { address: message.from_addr, name: message.from_name } : null,
    replyTo: replyTo.map((r) => ({ address: r.address, name: r.name })),
    subject: message.subject,
    text: body?.text ?? '',
    inReplyTo: message.in_reply_to,
    references: JSON.parse(message.references_json) as string[],
    attachments: await attachmentFacts(withContent),
    authResults: message.auth_results ? (JSON.parse(message.auth_results) as AuthResults) : null,
  };
}

/**
 * Assesses one stored incoming message once, stores the assessment and adds its bank
 * identifiers to the sender company's ledger (unverified when the mail was suspicious).
 * Idempotent: a redelivered event finds the assessment and does nothing.
 */
export async function assessStoredMessage(
  deps: { db: Kysely<Database>; blobs: BlobStore },
  event: Pick<MessageReceivedEvent, 'messageId' | 'conversationId' | 'direction' | 'receivedAt'>,
): Promise<Assessment | null> {
  if (event.direction !== 'in') return null;
  const { db } = deps;
  if (await assessmentExists(db, event.messageId)) return null;
  const mail = await storedMail(db, deps.blobs, event.messageId);
  if (!mail) return null;
  const history = await loadFraudHistory(db, mail, { messageId: event.messageId, conversationId: event.conversationId });
  const { bankIdentifiers, ...assessment } = assessMail(mail, history);
  await db.transaction().execute(async (trx) => {
    if (await assessmentExists(trx, event.messageId)) return;
    await insertAssessment(trx, { messageId: event.messageId, conversationId: event.conversationId, assessment, now: Date.now() });
    const domain = mail.from?.address ? companyDomainFor(mail.from.address) : null;
    const company = domain ? await trx.selectFrom('companies').select('id').where('domain', '=', domain).executeTakeFirst() : undefined;
    if (company && bankIdentifiers.length > 0) {
      const suspicious = assessment.level === 'high' || assessment.signals.some((s) => s.code === 'new_bank_details');
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
