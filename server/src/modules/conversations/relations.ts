import type { Kysely, Transaction } from 'kysely';
import { chunksFor } from '../../db/bulk.js';
import type { ConversationRelationsTable, ConversationsTable, Database } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export type RelationReason = ConversationRelationsTable['reason'];
export type ConversationRelation = { conversationId: string; relatedId: string; reason: RelationReason };

/**
 * Records that two conversations kept apart by mailbox belong together (decision 0027): the mail
 * of one names a message of the other ('thread'), or is a copy of it delivered to another
 * mailbox ('copy'). Both directions, so either side finds the other in one indexed read.
 */
export async function relateConversations(db: Db, relations: ConversationRelation[], now: number): Promise<void> {
  const rows = relations
    .filter((r) => r.conversationId !== r.relatedId)
    .flatMap((r) => [
      { conversation_id: r.conversationId, related_id: r.relatedId, reason: r.reason, created_at: now },
      { conversation_id: r.relatedId, related_id: r.conversationId, reason: r.reason, created_at: now },
    ]);
  for (const chunk of chunksFor(rows, 4)) {
    await db
      .insertInto('conversation_relations')
      .values(chunk)
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
}

/** The conversations recorded as belonging with this one; the caller filters by what its reader may open. */
export function selectRelatedByMail(db: Db, conversationId: string) {
  return db.selectFrom('conversation_relations').select(['related_id', 'reason']).where('conversation_id', '=', conversationId).execute();
}

/**
 * The conversations recorded as belonging with this one that a reader may open (one of their
 * mailboxes is `readable`, or 'all'), with the readable mailboxes each is in, newest first.
 */
export async function relatedByMail(db: Db, conversationId: string, readable: 'all' | readonly string[]) {
  const rows = await db
    .selectFrom('conversation_relations')
    .innerJoin('conversations', 'conversations.id', 'conversation_relations.related_id')
    .innerJoin('conversation_mailboxes', 'conversation_mailboxes.conversation_id', 'conversations.id')
    .select([
      'conversations.id',
      'conversations.subject',
      'conversations.status',
      'conversations.last_message_at',
      'conversation_relations.reason',
      'conversation_mailboxes.mailbox_id',
    ])
    .where('conversation_relations.conversation_id', '=', conversationId)
    .$if(readable !== 'all', (qb) => qb.where('conversation_mailboxes.mailbox_id', 'in', [...readable, '']))
    .orderBy('conversations.last_message_at', 'desc')
    .execute();
  const byId = new Map<
    string,
    {
      id: string;
      subject: string;
      status: ConversationsTable['status'];
      lastMessageAt: number;
      reason: RelationReason;
      mailboxIds: string[];
    }
  >();
  for (const row of rows) {
    const known = byId.get(row.id);
    if (known) known.mailboxIds.push(row.mailbox_id);
    else
      byId.set(row.id, {
        id: row.id,
        subject: row.subject,
        status: row.status,
        lastMessageAt: Number(row.last_message_at),
        reason: row.reason,
        mailboxIds: [row.mailbox_id],
      });
  }
  return [...byId.values()];
}
