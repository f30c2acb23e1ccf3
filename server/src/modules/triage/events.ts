import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Event types on a conversation's timeline (TimelineEvent.type). */
export type ConversationEventType =
  | 'assigned'
  | 'unassigned'
  | 'team'
  | 'status'
  | 'snoozed'
  | 'reopened'
  | 'tagged'
  | 'untagged'
  | 'priority'
  | 'merged'
  | 'followed'
  | 'unfollowed'
  /** A rule marked the conversation as spam (data.rule). */
  | 'spam'
  /** What a rule did outside the work state, or why it did not act (data.rule, decision 0032). */
  | 'rule'
  | 'escalated';

/** Always called inside the transaction of the change it records. */
export async function recordEvent(
  trx: Db,
  input: { conversationId: string; actorId: string | null; type: ConversationEventType; data: Record<string, unknown>; at?: number },
): Promise<void> {
  await trx
    .insertInto('conversation_events')
    .values({
      id: newId(),
      conversation_id: input.conversationId,
      actor_id: input.actorId,
      type: input.type,
      data: JSON.stringify(input.data),
      created_at: input.at ?? Date.now(),
    })
    .execute();
}

/**
 * A customer's mail reopened the conversation (ingest changed the status in its transaction and
 * calls this in the same one, through IngestContext.recordReopened; decision 0011).
 */
export async function recordReopened(trx: Db, conversationId: string, previousStatus: string): Promise<void> {
  await recordEvent(trx, { conversationId, actorId: null, type: 'reopened', data: { from: previousStatus, reason: 'message' } });
}
