import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The conversations among `conversationIds` that a person of the team has worked on: an internal
 * note, or an event with an actor (assigned, status, snoozed, tagged, priority, merged, followed…).
 * Pier's own events (a customer's reply reopening, a snooze ending) do not count. Ingest asks this
 * before a copy of a stored mail links its conversation to one more mailbox (decision 0027).
 */
export async function conversationsWorkedOnByTeam(db: Db, conversationIds: string[]): Promise<Set<string>> {
  if (conversationIds.length === 0) return new Set();
  const notes = await db
    .selectFrom('conversation_notes')
    .select('conversation_id')
    .where('conversation_id', 'in', conversationIds)
    .execute();
  const events = await db
    .selectFrom('conversation_events')
    .select('conversation_id')
    .where('conversation_id', 'in', conversationIds)
    .where('actor_id', 'is not', null)
    .execute();
  return new Set([...notes, ...events].map((row) => row.conversation_id));
}
