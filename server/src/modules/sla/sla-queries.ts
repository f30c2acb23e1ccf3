import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { SlaMessage } from './sla-clock.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Outbox states of a reply a person actually sent (or is sending): cancelled, refused, failed or waiting mail does not count. */
const SENT_STATES = ['scheduled', 'queued', 'sending', 'sent', 'uncertain', 'bounced'] as const;

export type SlaConversation = {
  id: string;
  subject: string;
  status: 'open' | 'pending' | 'snoozed' | 'closed';
  priority: 'low' | 'normal' | 'high' | 'urgent';
  assignee_id: string | null;
  team_id: string | null;
};

export async function selectSlaConversation(db: Db, conversationId: string): Promise<SlaConversation | undefined> {
  return db
    .selectFrom('conversations')
    .select(['id', 'subject', 'status', 'priority', 'assignee_id', 'team_id'])
    .where('id', '=', conversationId)
    .executeTakeFirst();
}

/** The mailbox whose hours and policy the conversation runs under: the first of its mailboxes (by id, stable). */
export async function selectSlaMailbox(db: Db, conversationId: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('conversation_mailboxes')
    .select('mailbox_id')
    .where('conversation_id', '=', conversationId)
    .orderBy('mailbox_id')
    .limit(1)
    .executeTakeFirst();
  return row?.mailbox_id;
}

/**
 * The conversation's messages as customer mail and replies by a person. A reply written in Pier
 * counts once its outbox row is (being) sent and was not written by Pier itself (an auto-reply);
 * a reply seen in the Sent folder (written in another mail program) has no outbox row and counts.
 */
export async function selectSlaMessages(db: Db, conversationId: string): Promise<SlaMessage[]> {
  const rows = await db
    .selectFrom('conversation_messages as cm')
    .innerJoin('messages as m', 'm.id', 'cm.message_id')
    .leftJoin('outbox_messages as o', 'o.message_id', 'm.id')
    .select(['m.direction', 'm.received_at', 'o.state', 'o.automatic_kind'])
    .where('cm.conversation_id', '=', conversationId)
    .execute();
  const out: SlaMessage[] = [];
  for (const r of rows) {
    if (r.direction === 'in') out.push({ at: Number(r.received_at), side: 'customer' });
    else if (r.state === null || (SENT_STATES as readonly string[]).includes(r.state))
      out.push({ at: Number(r.received_at), side: 'agent' });
  }
  return out;
}

/** Conversations changed after the cursor (any write: a message, a status, a priority), oldest change first. */
export async function selectChangedConversations(db: Db, after: { at: number; id: string }, limit: number) {
  return db
    .selectFrom('conversations')
    .select(['id', 'updated_at'])
    .where((eb) => eb.or([eb('updated_at', '>', after.at), eb.and([eb('updated_at', '=', after.at), eb('id', '>', after.id)])]))
    .orderBy('updated_at')
    .orderBy('id')
    .limit(limit)
    .execute();
}
