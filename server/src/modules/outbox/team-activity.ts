import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The conversations among `conversationIds` the team has written in: an outbox row in any state
 * (scheduled, awaiting approval, sent, failed, cancelled) or a saved draft. Ingest asks this before
 * a copy of a stored mail links its conversation to one more mailbox (decision 0027).
 */
export async function conversationsWithOutgoingMail(db: Db, conversationIds: string[]): Promise<Set<string>> {
  if (conversationIds.length === 0) return new Set();
  const sent = await db.selectFrom('outbox_messages').select('conversation_id').where('conversation_id', 'in', conversationIds).execute();
  const drafts = await db.selectFrom('outbox_drafts').select('conversation_id').where('conversation_id', 'in', conversationIds).execute();
  return new Set([...sent, ...drafts].flatMap((row) => (row.conversation_id ? [row.conversation_id] : [])));
}
