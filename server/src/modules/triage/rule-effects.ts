import type { Priority } from '@pier/contracts';
import type { Transaction } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import { conversationMailboxIds, setSpamFlag, updateWorkState } from '../conversations/index.js';
import { phoneConfirmationRequired } from '../fraud/index.js';
import { notify } from '../notifications/index.js';
import { bestAccess, includesAccess } from '../security/index.js';
import { scopeOfUser } from './access.js';
import { tagsOf } from './actions.js';
import { recordEvent } from './events.js';

/**
 * What a rule changes on a conversation (decision 0032), in the rules module's transaction. Each
 * change writes the same event a person's change writes, with `rule: {id, name}` in its data and
 * no actor, so the timeline says which rule did what; a change a rule may not make (an assignee
 * without reply access, closing a flagged conversation) writes a `rule` event saying why not.
 */
export type RuleRef = { id: string; name: string };
type Trx = Transaction<Database>;

async function current(trx: Trx, conversationId: string) {
  return trx
    .selectFrom('conversations')
    .select(['id', 'subject', 'status', 'assignee_id', 'team_id', 'priority', 'spam'])
    .where('id', '=', conversationId)
    .executeTakeFirst();
}

/** A rule's note on the timeline: what it did outside the work state (notify, forward, auto-reply) or why it did not. */
export async function recordRuleEvent(trx: Trx, conversationId: string, rule: RuleRef, data: Record<string, unknown>): Promise<void> {
  await recordEvent(trx, { conversationId, actorId: null, type: 'rule', data: { ...data, rule } });
}

export async function tagByRule(trx: Trx, conversationId: string, rule: RuleRef, tag: string): Promise<void> {
  if ((await tagsOf(trx, [conversationId])).some((t) => t.name === tag)) return;
  await trx
    .insertInto('tags')
    .values({ id: newId(), name: tag, created_at: Date.now() })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await trx.selectFrom('tags').select('id').where('name', '=', tag).executeTakeFirstOrThrow();
  await trx.insertInto('conversation_tags').values({ conversation_id: conversationId, tag_id: row.id }).execute();
  await recordEvent(trx, { conversationId, actorId: null, type: 'tagged', data: { tag, rule } });
}

export async function assignByRule(
  trx: Trx,
  conversationId: string,
  rule: RuleRef,
  target: { assigneeId: string | null; teamId: string | null },
): Promise<void> {
  const conversation = await current(trx, conversationId);
  if (!conversation) return;
  if (target.assigneeId !== null && target.assigneeId !== conversation.assignee_id) {
    const assignee = await scopeOfUser(trx, target.assigneeId);
    const access = assignee ? bestAccess(assignee.scope, await conversationMailboxIds(trx, conversationId)) : undefined;
    if (!assignee || assignee.role === 'auditor' || !includesAccess(access, 'reply')) {
      await recordRuleEvent(trx, conversationId, rule, { action: 'assign', skipped: 'assignee_without_access' });
    } else {
      await updateWorkState(trx, conversationId, { assignee_id: target.assigneeId });
      await recordEvent(trx, {
        conversationId,
        actorId: null,
        type: 'assigned',
        data: { assignee: { id: target.assigneeId, name: assignee.name }, rule },
      });
      await notify(trx, {
        userId: target.assigneeId,
        kind: 'assigned',
        data: { conversationId, subject: conversation.subject, by: { id: rule.id, name: rule.name }, rule },
      });
    }
  }
  if (target.teamId !== null && target.teamId !== conversation.team_id) {
    const team = await trx.selectFrom('teams').select(['id', 'name']).where('id', '=', target.teamId).executeTakeFirst();
    if (!team) {
      await recordRuleEvent(trx, conversationId, rule, { action: 'assign', skipped: 'team_not_found' });
      return;
    }
    await updateWorkState(trx, conversationId, { team_id: team.id });
    await recordEvent(trx, { conversationId, actorId: null, type: 'team', data: { team, rule } });
  }
}

export async function setPriorityByRule(trx: Trx, conversationId: string, rule: RuleRef, priority: Priority): Promise<void> {
  const conversation = await current(trx, conversationId);
  if (!conversation || conversation.priority === priority) return;
  await updateWorkState(trx, conversationId, { priority });
  await recordEvent(trx, { conversationId, actorId: null, type: 'priority', data: { from: conversation.priority, to: priority, rule } });
}

export async function setStatusByRule(
  trx: Trx,
  conversationId: string,
  rule: RuleRef,
  status: 'open' | 'pending' | 'closed',
): Promise<void> {
  const conversation = await current(trx, conversationId);
  if (!conversation || conversation.status === status) return;
  // The fraud gate of decision 0015 holds for rules too: a flagged conversation closes only after a phone call.
  if (status === 'closed' && (await phoneConfirmationRequired(trx, conversationId))) {
    await recordRuleEvent(trx, conversationId, rule, { action: 'status', skipped: 'phone_confirmation_required' });
    return;
  }
  await updateWorkState(trx, conversationId, { status, snoozed_until: null });
  await recordEvent(trx, { conversationId, actorId: null, type: 'status', data: { from: conversation.status, to: status, rule } });
}

/** Marks the conversation as spam; the Spam-folder recount (refreshSpamFlag) leaves a rule's mark alone. */
export async function markSpamByRule(trx: Trx, conversationId: string, rule: RuleRef): Promise<void> {
  const conversation = await current(trx, conversationId);
  if (!conversation || conversation.spam === 1) return;
  await setSpamFlag(trx, conversationId, 1);
  await recordEvent(trx, { conversationId, actorId: null, type: 'spam', data: { rule } });
}

/** In-app notifications of the named users (active ones who can read the conversation). */
export async function notifyByRule(trx: Trx, conversationId: string, rule: RuleRef, userIds: readonly string[]): Promise<void> {
  const conversation = await current(trx, conversationId);
  if (!conversation) return;
  const mailboxIds = await conversationMailboxIds(trx, conversationId);
  const told: { id: string; name: string }[] = [];
  for (const userId of new Set(userIds)) {
    const user = await scopeOfUser(trx, userId);
    if (!user || !bestAccess(user.scope, mailboxIds)) continue;
    await notify(trx, { userId, kind: 'rule', data: { conversationId, subject: conversation.subject, rule } });
    told.push({ id: userId, name: user.name });
  }
  await recordRuleEvent(trx, conversationId, rule, { action: 'notify', users: told });
}
