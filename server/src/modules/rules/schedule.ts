import type { BusinessHours } from '@pier/contracts';
import { z } from 'zod';
import { defineJob } from '../../jobs/registry.js';
import { workingMillisBetween } from '../business-hours/index.js';
import { applyRule, type RulesDeps } from './apply.js';
import { ruleMatches } from './evaluate.js';
import { factsOfStoredMessages } from './facts.js';
import { scheduleRules } from './store.js';

export const RULES_SCHEDULE = 'rules.schedule';
const HOUR = 60 * 60_000;
/** Conversations looked at per rule and run; the next run continues (the oldest first). */
const BATCH = 500;

/**
 * Elapsed working time under the mailbox's hours; a mailbox without business hours counts every
 * hour. Pure: the schedule's decision "open and unanswered after N working hours".
 */
export function unansweredWorkingMillis(hours: BusinessHours | null, lastCustomerMessageAt: number, now: number): number {
  if (hours === null) return Math.max(0, now - lastCustomerMessageAt);
  return workingMillisBetween(hours, new Date(lastCustomerMessageAt), new Date(now));
}

/**
 * Schedule rules: every few minutes (worker), each enabled schedule rule looks at the open
 * conversations of its mailboxes (all for a global rule) whose newest message is the customer's
 * and older than N hours of plain time (working time is never more), and acts on those unanswered
 * for N working hours whose last customer mail matches its conditions (business hours judged
 * now). A rule acts once per conversation, or — with `repeat` — once per unanswered stretch.
 */
export async function runScheduleRules(deps: RulesDeps): Promise<number> {
  const { db } = deps;
  const now = deps.clock.now();
  let acted = 0;
  for (const rule of await scheduleRules(db)) {
    const hoursNeeded = (rule.afterWorkingHours ?? 0) * HOUR;
    let query = db
      .selectFrom('conversations as c')
      .innerJoin('conversation_mailboxes as cmb', 'cmb.conversation_id', 'c.id')
      .innerJoin('conversation_messages as cm', 'cm.conversation_id', 'c.id')
      .innerJoin('messages as m', 'm.id', 'cm.message_id')
      .select(['c.id as conversation_id', 'cmb.mailbox_id', 'm.id as message_id', 'm.received_at'])
      .where('c.status', '=', 'open')
      .where('c.spam', '=', 0)
      .where('m.direction', '=', 'in')
      // The newest message is this incoming one: nothing was sent after it.
      .whereRef('m.received_at', '=', 'c.last_message_at')
      .where('m.received_at', '<=', now - hoursNeeded)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('rule_runs as r')
              .select('r.rule_id')
              .whereRef('r.conversation_id', '=', 'c.id')
              .where('r.rule_id', '=', rule.id)
              // Acted already: once for good, or on this stretch (its last customer message).
              .where((w) => w.or([w('r.run_key', '=', 'once'), w('r.message_id', '=', w.ref('m.id'))])),
          ),
        ),
      );
    if (rule.mailboxId !== null) query = query.where('cmb.mailbox_id', '=', rule.mailboxId);
    const candidates = await query.orderBy('m.received_at').limit(BATCH).execute();
    const seen = new Set<string>();
    for (const candidate of candidates) {
      if (seen.has(candidate.conversation_id)) continue;
      seen.add(candidate.conversation_id);
      const hours = await deps.businessHoursOf(db, candidate.mailbox_id);
      if (unansweredWorkingMillis(hours, Number(candidate.received_at), now) < hoursNeeded) continue;
      const [stored] = await factsOfStoredMessages(deps, [candidate.message_id], { at: () => now });
      if (!stored || ruleMatches(rule, stored.facts) !== true) continue;
      const applied = await applyRule(deps, rule, {
        conversationId: candidate.conversation_id,
        messageId: candidate.message_id,
        runKey: `unanswered:${candidate.message_id}`,
        mailboxId: candidate.mailbox_id,
        // An answer to a customer who waits: allowed when their mail allowed one (category person).
        mayAutoReply: stored.facts.category === 'person',
      });
      if (applied) {
        acted++;
        deps.onChanged?.(candidate.conversation_id);
      }
    }
  }
  return acted;
}

export function rulesScheduleJob(deps: RulesDeps) {
  return defineJob({ name: RULES_SCHEDULE, payload: z.null(), run: async () => void (await runScheduleRules(deps)) });
}
