import type { Kysely, Transaction } from 'kysely';
import type { ConversationsTable, Database } from '../../db/schema.js';
import { refreshConversationLatest } from './conversation-queries.js';
import { relateConversations, selectRelatedByMail } from './relations.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The columns of a conversation that say who works it and how far it is: triage changes them
 * (decision 0011) through these functions and records its event in the same transaction; this
 * module owns the row.
 */
export type WorkState = Partial<Pick<ConversationsTable, 'assignee_id' | 'team_id' | 'status' | 'snoozed_until' | 'priority'>> & {
  escalated_at?: number | null;
};

/**
 * Changes the work state of one conversation; `when` makes it conditional on the state read
 * before (a concurrent change wins). Returns whether the row changed.
 */
export async function updateWorkState(
  db: Db,
  conversationId: string,
  change: WorkState,
  options: { at?: number; when?: { status?: ConversationsTable['status']; snoozedUntilAtMost?: number } } = {},
): Promise<boolean> {
  let query = db
    .updateTable('conversations')
    .set({ ...change, updated_at: options.at ?? Date.now() })
    .where('id', '=', conversationId);
  if (options.when?.status) query = query.where('status', '=', options.when.status);
  if (options.when?.snoozedUntilAtMost !== undefined) query = query.where('snoozed_until', '<=', options.when.snoozedUntilAtMost);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** A deleted team's conversations go back to no team; returns how many. */
export async function clearTeamOfConversations(db: Db, teamId: string): Promise<number> {
  const result = await db.updateTable('conversations').set({ team_id: null }).where('team_id', '=', teamId).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The Spam view's flag (1: every copy was seen only in a Spam folder). */
export async function setSpamFlag(db: Db, conversationId: string, spam: 0 | 1): Promise<void> {
  await db.updateTable('conversations').set({ spam }).where('id', '=', conversationId).where('spam', '!=', spam).execute();
}

/**
 * The mail side of a merge: the source's messages and mailboxes not already on the target move,
 * the target keeps the later activity and the given assignee and team, and the source row is
 * deleted (what still references it goes with the cascade). The caller moves its own rows first.
 */
export async function mergeConversationRows(
  trx: Transaction<Database>,
  input: { sourceId: string; intoId: string; lastMessageAt: number; assigneeId: string | null; teamId: string | null },
): Promise<void> {
  const { sourceId, intoId } = input;
  await trx
    .updateTable('conversation_messages')
    .set({ conversation_id: intoId })
    .where('conversation_id', '=', sourceId)
    .where('message_id', 'not in', trx.selectFrom('conversation_messages').select('message_id').where('conversation_id', '=', intoId))
    .execute();
  await trx
    .updateTable('conversation_mailboxes')
    .set({ conversation_id: intoId })
    .where('conversation_id', '=', sourceId)
    .where('mailbox_id', 'not in', trx.selectFrom('conversation_mailboxes').select('mailbox_id').where('conversation_id', '=', intoId))
    .execute();
  await trx
    .updateTable('conversations')
    .set({ last_message_at: input.lastMessageAt, assignee_id: input.assigneeId, team_id: input.teamId, updated_at: Date.now() })
    .where('id', '=', intoId)
    .execute();
  await refreshConversationLatest(trx, intoId);
  // The source's links to conversations in other mailboxes (decision 0027) now belong to the target;
  // deleting the source would otherwise drop them by cascade.
  const related = await selectRelatedByMail(trx, sourceId);
  await relateConversations(
    trx,
    related.filter((r) => r.related_id !== intoId).map((r) => ({ conversationId: intoId, relatedId: r.related_id, reason: r.reason })),
    Date.now(),
  );
  await trx.deleteFrom('conversations').where('id', '=', sourceId).execute();
}

/** Who works a conversation, and its subject for a notice about it; undefined when there is none. */
export function conversationAssignee(db: Db, conversationId: string) {
  return db.selectFrom('conversations').where('id', '=', conversationId).select(['assignee_id', 'subject']).executeTakeFirst();
}
