import type { Kysely, Transaction } from 'kysely';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import type { Database } from '../../db/schema.js';
import { enqueueJob } from '../../jobs/queue.js';
import { type AnyJobHandler, defineJob } from '../../jobs/registry.js';
import { defineSubscriber, type EventSubscriber } from '../events/index.js';
import { forwardByRule } from '../forwarding/index.js';
import { AUTOMATIC_MAIL_ORDER, type LoopAlertMailer } from '../loop-guard/index.js';
import type { QueueDeps } from '../outbox/index.js';
import {
  assignByRule,
  markSpamByRule,
  notifyByRule,
  type RuleRef,
  recordRuleEvent,
  setPriorityByRule,
  setStatusByRule,
  tagByRule,
} from '../triage/index.js';
import { AutoReplyPayload, sendRuleAutoReply } from './auto-reply.js';
import { type RuleFacts, selectRules } from './evaluate.js';
import { type FactsDeps, factsOfStoredMessages } from './facts.js';
import { messageRules, type StoredRule } from './store.js';

export type RulesDeps = FactsDeps &
  Omit<QueueDeps, 'clock'> & {
    clock: Clock;
    logger: Logger;
    /** Admin alerts of the loop guard (the security mailer). */
    mailer: LoopAlertMailer;
    /** After a rule changed a conversation (live update to open browsers). */
    onChanged?: (conversationId: string) => void;
  };

type Trx = Transaction<Database>;

export const RULES_APPLY = 'rules.apply';
export const RULES_FORWARD = 'rules.forward';
export const RULES_AUTO_REPLY = 'rules.auto-reply';
const ForwardPayload = z.object({
  rule: z.object({ id: z.string(), name: z.string() }),
  forwardingRuleId: z.string(),
  messageId: z.string(),
  conversationId: z.string(),
});

/** 'once' for a rule that acts once per conversation; else what it acted on. */
const runKeyOf = (rule: StoredRule, key: string) => (rule.repeat ? key : 'once');

/** Rules that already acted once on this conversation. */
async function actedOnce(db: Kysely<Database> | Trx, conversationId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom('rule_runs')
    .select('rule_id')
    .where('conversation_id', '=', conversationId)
    .where('run_key', '=', 'once')
    .execute();
  return new Set(rows.map((r) => r.rule_id));
}

/**
 * One rule acting on one conversation, in one transaction: the rule_runs row is claimed first, so
 * a retried job, a second node or a later message never acts twice on the same key. Changes of the
 * work state go through triage (each writes its event naming the rule); a forward is queued as a
 * job in the same transaction and goes through the forwarding module after commit.
 */
export async function applyRule(
  deps: Pick<RulesDeps, 'db' | 'clock'>,
  rule: StoredRule,
  target: { conversationId: string; messageId: string | null; runKey: string; mailboxId: string; mayAutoReply: boolean },
): Promise<boolean> {
  const ref: RuleRef = { id: rule.id, name: rule.name };
  return deps.db.transaction().execute(async (trx) => {
    const claimed = await trx
      .insertInto('rule_runs')
      .values({
        rule_id: rule.id,
        conversation_id: target.conversationId,
        run_key: runKeyOf(rule, target.runKey),
        message_id: target.messageId,
        at: deps.clock.now(),
      })
      .onConflict((oc) => oc.columns(['rule_id', 'conversation_id', 'run_key']).doNothing())
      .returning('rule_id')
      .executeTakeFirst();
    // Nothing returned: the row was there, the rule acted already.
    if (!claimed) return false;
    for (const action of rule.actions) {
      switch (action.type) {
        case 'tag':
          await tagByRule(trx, target.conversationId, ref, action.tag);
          break;
        case 'assign':
          await assignByRule(trx, target.conversationId, ref, action);
          break;
        case 'priority':
          await setPriorityByRule(trx, target.conversationId, ref, action.priority);
          break;
        case 'status':
          await setStatusByRule(trx, target.conversationId, ref, action.status);
          break;
        case 'spam':
          await markSpamByRule(trx, target.conversationId, ref);
          break;
        case 'notify':
          await notifyByRule(trx, target.conversationId, ref, action.userIds);
          break;
        case 'forward':
          if (target.messageId === null) break;
          await enqueueJob(trx, {
            name: RULES_FORWARD,
            payload: {
              rule: ref,
              forwardingRuleId: action.forwardingRuleId,
              messageId: target.messageId,
              conversationId: target.conversationId,
            },
            dedupeKey: `${RULES_FORWARD}:${action.forwardingRuleId}:${target.messageId}`,
          });
          break;
        case 'auto-reply':
          if (target.messageId === null) break;
          await enqueueJob(trx, {
            name: RULES_AUTO_REPLY,
            payload: {
              rule: ref,
              template: action.template,
              messageId: target.messageId,
              conversationId: target.conversationId,
              mailboxId: rule.mailboxId ?? target.mailboxId,
              mayAutoReply: target.mayAutoReply,
            },
            dedupeKey: `${RULES_AUTO_REPLY}:${rule.id}:${target.messageId}`,
          });
          break;
      }
    }
    return true;
  });
}

/** Whether the message is the first of its conversation (the "new conversation" trigger). */
async function startsConversation(db: Kysely<Database>, conversationId: string, messageId: string): Promise<boolean> {
  const first = await db
    .selectFrom('conversation_messages as cm')
    .innerJoin('messages as m', 'm.id', 'cm.message_id')
    .select('m.id')
    .where('cm.conversation_id', '=', conversationId)
    .orderBy('m.received_at')
    .orderBy('m.id')
    .limit(1)
    .executeTakeFirst();
  return first?.id === messageId;
}

export class FactsNotReadyError extends Error {}

/**
 * The rules for one new incoming message: "new conversation" rules when it starts one, then
 * "every message" rules. When a matching depends on a fact not known yet (the fraud level is
 * assessed by a job beside this one), the job fails and the queue retries it later; rules that
 * already acted are not repeated (rule_runs).
 */
export async function applyRulesToMessage(
  deps: RulesDeps,
  event: { messageId: string; mailboxId: string; mayAutoReply: boolean },
): Promise<string[]> {
  const { messageId } = event;
  const candidates = await messageRules(deps.db);
  if (candidates.length === 0) return [];
  const [stored] = await factsOfStoredMessages(deps, [messageId]);
  if (!stored) return [];
  // As rulesForMailboxes: the global rules and those of the message's mailboxes.
  const rules = candidates.filter((r) => r.mailboxId === null || stored.facts.mailboxIds.includes(r.mailboxId));
  if (rules.length === 0) return [];
  const triggers = (await startsConversation(deps.db, stored.conversationId, messageId))
    ? (['new-conversation', 'message'] as const)
    : (['message'] as const);
  const applied: string[] = [];
  let waiting = 0;
  for (const trigger of triggers) {
    const done = await actedOnce(deps.db, stored.conversationId);
    const selection = selectRules(rules, stored.facts, trigger, done);
    waiting += selection.waiting.length;
    for (const rule of selection.run) {
      const target = {
        conversationId: stored.conversationId,
        messageId,
        runKey: `message:${messageId}`,
        mailboxId: event.mailboxId,
        mayAutoReply: event.mayAutoReply,
      };
      if (await applyRule(deps, rule, target)) {
        applied.push(rule.name);
      }
    }
  }
  if (applied.length > 0) deps.onChanged?.(stored.conversationId);
  if (waiting > 0) throw new FactsNotReadyError(`${waiting} rule(s) wait for the fraud check of message ${messageId}`);
  return applied;
}

export function rulesSubscriber(deps: RulesDeps): EventSubscriber {
  return defineSubscriber({
    name: RULES_APPLY,
    // After mail-facts stored the category, language and country (decision 0031).
    event: 'message.classified',
    key: (payload) => payload.messageId,
    run: async (payload) => {
      // New incoming mail only: not Pier's own sent mail, not imported history.
      if (payload.direction !== 'in' || payload.source === 'import') return;
      await applyRulesToMessage(deps, payload);
    },
  });
}

export function rulesJobHandlers(deps: RulesDeps): AnyJobHandler[] {
  return [
    defineJob({
      name: RULES_FORWARD,
      payload: ForwardPayload,
      serialGroup: AUTOMATIC_MAIL_ORDER,
      run: async (payload) => {
        const outcome = await forwardByRule(deps, payload.forwardingRuleId, payload.messageId);
        await deps.db.transaction().execute((trx) =>
          recordRuleEvent(trx, payload.conversationId, payload.rule, {
            action: 'forward',
            forwardingRuleId: payload.forwardingRuleId,
            ...(outcome.queued ? {} : { skipped: outcome.reason }),
          }),
        );
        deps.onChanged?.(payload.conversationId);
      },
    }),
    defineJob({
      name: RULES_AUTO_REPLY,
      payload: AutoReplyPayload,
      serialGroup: AUTOMATIC_MAIL_ORDER,
      run: (payload) => sendRuleAutoReply(deps, payload),
    }),
  ];
}

export type { RuleFacts };
