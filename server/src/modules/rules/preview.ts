import type { RulePreview, SaveRule } from '@pier/contracts';
import { ruleMatches } from './evaluate.js';
import { type FactsDeps, factsOfStoredMessages } from './facts.js';
import { checkRule } from './store.js';

/** How many of the mailbox's newest incoming mails a preview checks (issue 15: "the last 100"). */
export const PREVIEW_SIZE = 100;

/**
 * Which of the mailbox's last 100 incoming mails an unsaved rule would have matched: its
 * conditions only (not its trigger, nor "once per conversation"), business hours judged at each
 * mail's arrival, tags as the conversation has them now. The caller checked that the user manages
 * the mailbox; nothing is stored.
 */
export async function previewRule(deps: FactsDeps, mailboxId: string, input: SaveRule): Promise<RulePreview> {
  const rule = checkRule(input);
  const recent = await deps.db
    .selectFrom('message_locations as l')
    .innerJoin('messages as m', 'm.id', 'l.message_id')
    .select(['m.id', 'm.received_at'])
    .where('l.mailbox_id', '=', mailboxId)
    .where('m.direction', '=', 'in')
    .orderBy('m.received_at', 'desc')
    .orderBy('m.id', 'desc')
    .limit(PREVIEW_SIZE)
    .execute();
  const ids = [...new Set(recent.map((r) => r.id))];
  const facts = await factsOfStoredMessages(deps, ids);
  const byId = new Map(facts.map((f) => [f.messageId, f]));
  const items = ids.flatMap((id) => {
    const stored = byId.get(id);
    if (!stored) return [];
    // The mail as seen from this mailbox: a copy also in another mailbox does not widen the rule.
    const facts = { ...stored.facts, mailboxIds: [mailboxId] };
    return [
      {
        messageId: id,
        conversationId: stored.conversationId,
        subject: stored.facts.subject,
        from: stored.facts.from,
        receivedAt: stored.receivedAt,
        matched: ruleMatches(rule, facts) === true,
      },
    ];
  });
  return { checked: items.length, items };
}
