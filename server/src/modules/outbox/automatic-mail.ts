import type { Kysely, Transaction } from 'kysely';
import { systemClock } from '../../clock.js';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import { enqueueJob } from '../../jobs/queue.js';
import { prepareMail, storePreparedMail } from '../conversations/index.js';
import { findMailboxById, loadOwnAddresses } from '../mailboxes/index.js';
import { findParentMessage, replySubject } from './conversation-reads.js';
import { buildOutgoingMime } from './mime.js';
import { insertOutboxMessage } from './outbox-row.js';
import { type QueueDeps, SEND_JOB, sendJobKey, threadReferences } from './queue-send.js';
import { textToHtml } from './templates.js';

/** Who "wrote" Pier's automatic mail in outbox_messages.created_by (no person; never a user id). */
export const AUTOMATIC_AUTHOR = 'pier:automatic';

export type AutomaticReply = {
  kind: 'auto-reply';
  mailboxId: string;
  conversationId: string;
  /** The incoming message answered: In-Reply-To and References point at it. */
  replyToMessageId: string;
  to: string;
  /** Plain text, already rendered (the HTML part is the same text, escaped). */
  text: string;
  /** The loop guard's headers and the kind's own (X-Auto-Response-Suppress …). */
  headers: Record<string, string>;
};

/**
 * Queues Pier's automatic answer to one incoming mail through the outbox, exactly once: the mail is
 * built with its final Message-ID first, then one transaction asks the caller's `claim` (its
 * once-only row; false = already answered), stores the message in the conversation, writes the
 * outbox row (automatic_kind, no undo window, no fraud gate: Pier's own text) and the send job.
 * Null when the claim said no or the mailbox or message is gone.
 */
export async function queueAutomaticReply(
  deps: QueueDeps,
  reply: AutomaticReply,
  claim: (trx: Transaction<Database>, outboxId: string) => Promise<boolean>,
): Promise<string | null> {
  const { db } = deps;
  const mailbox = await findMailboxById(db, reply.mailboxId);
  const parent = await findParentMessage(db, reply.conversationId, reply.replyToMessageId);
  if (!mailbox?.smtp_host || !parent) return null;
  const now = (deps.clock ?? systemClock).now();
  const domain = mailbox.address.split('@')[1] ?? 'localhost';
  const messageIdHeader = deps.messageIds.create(reply.conversationId, domain);
  const raw = await buildOutgoingMime({
    from: { name: mailbox.display_name, address: mailbox.address },
    replyTo: mailbox.address,
    to: [reply.to],
    cc: [],
    subject: replySubject(parent.subject, 'reply'),
    html: `<div>${textToHtml(reply.text)}</div>`,
    messageId: messageIdHeader,
    inReplyTo: parent.messageIdHeader,
    references: threadReferences(parent),
    attachments: [],
    date: new Date(now),
    headers: reply.headers,
  });
  const prepared = await prepareMail(deps.blobs, raw);
  return db.transaction().execute(async (trx) => {
    const outboxId = newId();
    if (!(await claim(trx, outboxId))) return null;
    const ctx = {
      engine: deps.engine,
      ownAddresses: await loadOwnAddresses(trx),
      messageIds: deps.messageIds,
      recordReopened: deps.recordReopened,
      teamActivity: deps.teamActivity,
    };
    const stored = await storePreparedMail(
      trx,
      ctx,
      prepared,
      { mailboxId: mailbox.id, source: 'smtp', direction: 'out', receivedAt: now },
      reply.conversationId,
    );
    await insertOutboxMessage(trx, {
      id: outboxId,
      message_id: stored.messageId,
      message_id_header: messageIdHeader,
      conversation_id: stored.conversationId,
      mailbox_id: mailbox.id,
      created_by: AUTOMATIC_AUTHOR,
      state: 'queued',
      send_after: now,
      envelope: { from: mailbox.address, to: [reply.to] },
      draft_json: JSON.stringify({ automatic: reply.kind, conversationId: reply.conversationId, replyToMessageId: reply.replyToMessageId }),
      automatic_kind: reply.kind,
      now,
    });
    await enqueueJob(trx, { name: SEND_JOB, payload: { outboxId }, runAt: now, dedupeKey: sendJobKey(outboxId, 0) });
    return outboxId;
  });
}

/** Whether a stored outgoing message is Pier's automatic mail (SLA: an auto-reply is no first reply). */
export async function isAutomaticMail(db: QueueDeps['db'], messageId: string): Promise<boolean> {
  const row = await db.selectFrom('outbox_messages').select('automatic_kind').where('message_id', '=', messageId).executeTakeFirst();
  return (row?.automatic_kind ?? null) !== null;
}

/** Which of these stored outgoing messages are Pier's automatic mail (the FAQ library learns only from people's answers). */
export async function automaticMessageIdsAmong(db: Kysely<Database>, messageIds: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < messageIds.length; i += 500) {
    const rows = await db
      .selectFrom('outbox_messages')
      .select('message_id')
      .where('message_id', 'in', messageIds.slice(i, i + 500))
      .where('automatic_kind', 'is not', null)
      .execute();
    for (const row of rows) found.add(row.message_id);
  }
  return found;
}
