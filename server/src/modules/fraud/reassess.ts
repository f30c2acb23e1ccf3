import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { BlobStore } from '../../storage/blob-store.js';
import type { AuthResults } from '../conversations/index.js';
import { assessMail } from './assess.js';
import { fraudMailFromRaw } from './check-files.js';
import { notifyAssigneeOfFlag } from './flag-notice.js';
import { loadFraudHistory } from './history.js';

export type FraudDeps = { db: Kysely<Database>; blobs: BlobStore };

/**
 * Judges every incoming mail of the conversations again against the workspace as it is now
 * (each mail still left out of its own history) and updates the stored assessments. A person's
 * "not fraud" stays on the row: re-scoring never re-opens a cleared flag. Oldest first, so a
 * mail is judged with what the earlier ones just became. Returns the conversations whose
 * assessments changed.
 */
export async function reassessConversations(deps: FraudDeps, conversationIds: string[]): Promise<string[]> {
  if (conversationIds.length === 0) return [];
  const { db } = deps;
  const rows = await db
    .selectFrom('fraud_assessments')
    .innerJoin('messages', 'messages.id', 'fraud_assessments.message_id')
    .innerJoin('conversation_messages', 'conversation_messages.message_id', 'messages.id')
    .where('conversation_messages.conversation_id', 'in', conversationIds)
    .select([
      'fraud_assessments.id',
      'fraud_assessments.level',
      'fraud_assessments.score',
      'messages.id as message_id',
      'messages.raw_sha256',
      'messages.auth_results',
      'conversation_messages.conversation_id',
    ])
    .orderBy('messages.received_at')
    .orderBy('messages.id')
    .execute();
  const changed = new Set<string>();
  for (const row of rows) {
    const mail = await fraudMailFromRaw(await deps.blobs.get(row.raw_sha256));
    if (row.auth_results) mail.authResults = JSON.parse(row.auth_results) as AuthResults;
    const history = await loadFraudHistory(db, mail, { messageId: row.message_id, conversationId: row.conversation_id });
    const { bankIdentifiers: _ids, imitated, ...assessment } = assessMail(mail, history);
    if (assessment.level !== row.level || assessment.score !== row.score) changed.add(row.conversation_id);
    await db
      .updateTable('fraud_assessments')
      .set({
        score: assessment.score,
        level: assessment.level,
        signals: JSON.stringify(assessment.signals),
        imitated: JSON.stringify(imitated),
      })
      .where('id', '=', row.id)
      .execute();
    // A mail judged harmless that is now flagged (a trust mark revoked) is news for the assignee.
    if (row.level === 'none')
      await notifyAssigneeOfFlag(db, { conversationId: row.conversation_id, messageId: row.message_id, level: assessment.level });
  }
  return [...changed];
}

/**
 * The conversations a change of trust in a company domain (or free-mail address) can change:
 * its own mail, and mail that was judged an imitation of it.
 */
export async function conversationsAbout(
  db: Kysely<Database>,
  party: { domain: string | null; address: string | null },
): Promise<string[]> {
  const own = await db
    .selectFrom('message_contacts')
    .innerJoin('contacts', 'contacts.id', 'message_contacts.contact_id')
    .leftJoin('companies', 'companies.id', 'contacts.company_id')
    .innerJoin('conversation_messages', 'conversation_messages.message_id', 'message_contacts.message_id')
    .where((eb) =>
      party.domain ? eb('companies.domain', '=', party.domain) : eb(eb.fn('lower', ['contacts.address']), '=', party.address ?? ''),
    )
    .select('conversation_messages.conversation_id')
    .distinct()
    .execute();
  const imitating = party.domain
    ? (
        await db
          .selectFrom('fraud_assessments')
          .innerJoin('conversation_messages', 'conversation_messages.message_id', 'fraud_assessments.message_id')
          .where('fraud_assessments.imitated', 'like', `%"${party.domain}"%`)
          .select('conversation_messages.conversation_id')
          .distinct()
          .execute()
      ).map((r) => r.conversation_id)
    : [];
  return [...new Set([...own.map((r) => r.conversation_id), ...imitating])];
}
