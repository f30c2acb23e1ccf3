import type { Kysely, Transaction } from 'kysely';
import { type Clock, systemClock } from '../../clock.js';
import { lockDecision } from '../../db/decision-lock.js';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import { messageForFacts, splitMessage } from '../conversations/index.js';
import { defineSubscriber, type EventSubscriber, type MessageClassifiedEvent } from '../events/index.js';
import { AUTOMATIC_MAIL_ORDER, decideAutomaticSend, type LoopAlertMailer } from '../loop-guard/index.js';
import { findMailboxById } from '../mailboxes/index.js';
import { type QueueDeps, queueAutomaticReply } from '../outbox/index.js';
import { type AutoReplyDecisionInput, autoReplyDecisionFor } from './decision.js';
import { chooseVersion, expectedReply, formatReplyTime, type ReplyTiming, renderAutoReply, shortReference } from './render.js';
import { loadAutoReplySettings } from './settings.js';

export type AutoReplyDeps = QueueDeps & {
  /** Alerts of the loop guard go to the admins through the system mailbox. */
  mailer: LoopAlertMailer;
  /** The mailbox's business hours and first-reply target (the mailbox-settings module, passed in by compose). */
  replyTiming: (db: Kysely<Database>, mailboxId: string) => Promise<ReplyTiming>;
  clock?: Clock;
};

/** Without business hours or an SLA policy: always open, a day (the "24 working hours"). */
export const DEFAULT_REPLY_TIMING: ReplyTiming = { hours: null, firstReplyHours: 24 };

/** The loop guard's rule id of a mailbox's auto-reply (its per-rule limit and alert period). */
const guardRuleId = (mailboxId: string) => `auto-reply:${mailboxId}`;

/**
 * Answers one classified incoming mail when the mailbox's auto-reply says so (decision 0031):
 * autoReplyDecisionFor (on, a person, not Pier's own address, period per sender, hourly cap per
 * conversation), then the loop guard (X-Loop, hops, rate limits, admin alert), then the outbox,
 * exactly once: the auto_reply_sends row is claimed in the transaction that queues the mail.
 * Returns the outbox id, or why nothing was sent.
 */
export async function answerAutomatically(
  deps: AutoReplyDeps,
  event: MessageClassifiedEvent,
): Promise<{ outboxId: string } | { reason: string }> {
  if (event.direction !== 'in') return { reason: 'outgoing' };
  // Imported history is never answered.
  if (event.source === 'import') return { reason: 'imported' };
  const { db } = deps;
  const clock = deps.clock ?? systemClock;
  const message = await messageForFacts(db, event.messageId);
  const conversationId = message?.conversationId;
  if (!message || !conversationId) return { reason: 'message_gone' };
  const input: AutoReplyDecisionInput = {
    mailboxId: event.mailboxId,
    from: message.fromAddr,
    category: event.category,
    mayAutoReply: event.mayAutoReply,
    conversationId,
    messageId: message.id,
    receivedAt: message.receivedAt,
    now: clock.now(),
  };
  const decision = await autoReplyDecisionFor(db, input);
  if (!decision.send) return { reason: decision.reason };
  const mailbox = await findMailboxById(db, event.mailboxId);
  if (!mailbox) return { reason: 'mailbox_not_found' };
  const to = (message.fromAddr ?? '').trim().toLowerCase();

  const { headers } = splitMessage(await deps.blobs.get(message.rawSha256));
  const guard = await decideAutomaticSend(
    { db, mailer: deps.mailer, now: () => clock.now() },
    {
      kind: 'auto_reply',
      ruleId: guardRuleId(mailbox.id),
      ruleName: `auto-reply of ${mailbox.address}`,
      mailboxId: mailbox.id,
      correspondent: to,
      recipient: to,
      conversationId,
      triggerId: message.id,
      incomingHeaders: headers,
    },
  );
  if (!guard.send) return { reason: `loop_guard:${guard.reason}` };

  const settings = await loadAutoReplySettings(db, mailbox.id);
  const version = chooseVersion(settings.templates, message.language);
  const expectation = expectedReply(await deps.replyTiming(db, mailbox.id), new Date(message.receivedAt));
  const text = renderAutoReply(version, expectation.inside, {
    'customer.name': message.fromName?.trim() || (to.split('@')[0] ?? to),
    'mailbox.name': mailbox.display_name.trim() || mailbox.address,
    expected_reply_time: formatReplyTime(expectation.dueAt, expectation.timeZone, version.language),
    reference: shortReference(conversationId),
  });
  const outboxId = await queueAutomaticReply(
    deps,
    {
      kind: 'auto-reply',
      mailboxId: mailbox.id,
      conversationId,
      replyToMessageId: message.id,
      to,
      text,
      headers: { ...guard.headers, 'X-Auto-Response-Suppress': 'All' },
    },
    (trx, id) => claimAutoReply(trx, { ...input, now: clock.now() }, to, id),
  );
  return outboxId ? { outboxId } : { reason: 'already_answered' };
}

/** Decides again inside the queuing transaction and writes the once-only row; false = not (any more). */
async function claimAutoReply(trx: Transaction<Database>, input: AutoReplyDecisionInput, to: string, outboxId: string): Promise<boolean> {
  // Its period per sender and hourly cap per conversation are counts: one decider at a time across nodes.
  await lockDecision(trx, [`auto-reply:sender:${input.mailboxId}:${to}`, `auto-reply:conversation:${input.conversationId}`]);
  const again = await autoReplyDecisionFor(trx, input);
  if (!again.send || !input.messageId || !input.conversationId) return false;
  const inserted = await trx
    .insertInto('auto_reply_sends')
    .values({
      id: newId(),
      mailbox_id: input.mailboxId,
      trigger_message_id: input.messageId,
      correspondent: to,
      conversation_id: input.conversationId,
      outbox_id: outboxId,
      at: input.now ?? Date.now(),
    })
    .onConflict((oc) => oc.columns(['mailbox_id', 'trigger_message_id']).doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** The `auto-reply.answer` subscriber of `message.classified`. */
export function autoReplySubscriber(deps: AutoReplyDeps): EventSubscriber {
  return defineSubscriber({
    name: 'auto-reply.answer',
    event: 'message.classified',
    key: (payload) => payload.messageId,
    serialGroup: AUTOMATIC_MAIL_ORDER,
    run: async (payload) => {
      await answerAutomatically(deps, payload);
    },
  });
}
