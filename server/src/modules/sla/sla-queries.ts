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
  mailboxId: string | undefined;
};

/**
 * The conversation and the mailbox whose hours and policy it runs under (the first of its mailboxes,
 * by id, stable; undefined when it has none), in one statement: every new message evaluates this.
 */
export async function selectSlaConversation(db: Db, conversationId: string): Promise<SlaConversation | undefined> {
  const row = await db
    .selectFrom('conversations as c')
    .select(['c.id', 'c.subject', 'c.status', 'c.priority', 'c.assignee_id', 'c.team_id'])
    .select((eb) =>
      eb
        .selectFrom('conversation_mailboxes as cm')
        .select('cm.mailbox_id')
        .whereRef('cm.conversation_id', '=', 'c.id')
        .orderBy('cm.mailbox_id')
        .limit(1)
        .as('mailbox_id'),
    )
    .where('c.id', '=', conversationId)
    .executeTakeFirst();
  if (!row) return undefined;
  const { mailbox_id, ...conversation } = row;
  return { ...conversation, mailboxId: mailbox_id ?? undefined };
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
    // automatic_kind was selected for this but never tested: an auto-reply stopped the clock whenever
    // an evaluation ran after it was queued (one job at a time mostly evaluated before; decision 0070).
    else if (r.automatic_kind === null && (r.state === null || (SENT_STATES as readonly string[]).includes(r.state)))
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
