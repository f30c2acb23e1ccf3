import { z } from 'zod';
import { splitMessage } from '../conversations/index.js';
import { decideAutomaticSend } from '../loop-guard/index.js';
import { findMailboxById } from '../mailboxes/index.js';
import { queueAutomaticReply } from '../outbox/index.js';
import { recordRuleEvent } from '../triage/index.js';
import type { RulesDeps } from './apply.js';

export const AutoReplyPayload = z.object({
  rule: z.object({ id: z.string(), name: z.string() }),
  template: z.string(),
  messageId: z.string(),
  conversationId: z.string(),
  mailboxId: z.string(),
  mayAutoReply: z.boolean(),
});
type Payload = z.infer<typeof AutoReplyPayload>;

/** {{customerName}} and {{mailboxName}}; any other {{…}} is left as written, so a typo shows in the preview mail. */
export function renderRuleTemplate(template: string, values: { customerName: string; mailboxName: string }): string {
  return template.replace(/\{\{\s*(customerName|mailboxName)\s*\}\}/g, (_, name: 'customerName' | 'mailboxName') => values[name]);
}

/**
 * A rule's auto-reply (decision 0032): only to a person's mail that allows one (RFC 3834, stored
 * category), past the loop guard (kind 'rule': X-Loop, own addresses, rate limits), queued through
 * the outbox in the conversation exactly once per (rule, message) — the rule_runs row
 * `auto-reply:<message>` is claimed in the outbox's transaction. The timeline says what happened.
 */
export async function sendRuleAutoReply(deps: RulesDeps, payload: Payload): Promise<void> {
  const { db } = deps;
  const note = (data: Record<string, unknown>) =>
    db.transaction().execute((trx) => recordRuleEvent(trx, payload.conversationId, payload.rule, { action: 'auto-reply', ...data }));
  const message = await db
    .selectFrom('messages')
    .select(['id', 'from_addr', 'from_name', 'raw_sha256', 'category'])
    .where('id', '=', payload.messageId)
    .executeTakeFirst();
  const mailbox = await findMailboxById(db, payload.mailboxId);
  if (!message || !mailbox) return;
  const to = (message.from_addr ?? '').trim().toLowerCase();
  if (!to.includes('@')) return note({ skipped: 'no_sender' });
  if (message.category !== 'person' || !payload.mayAutoReply) return note({ skipped: `not_a_person:${message.category ?? 'unknown'}` });
  const guard = await decideAutomaticSend(
    { db, mailer: deps.mailer, now: () => deps.clock.now() },
    {
      kind: 'rule',
      ruleId: payload.rule.id,
      ruleName: payload.rule.name,
      mailboxId: mailbox.id,
      correspondent: to,
      recipient: to,
      conversationId: payload.conversationId,
      triggerId: message.id,
      incomingHeaders: splitMessage(await deps.blobs.get(message.raw_sha256)).headers,
    },
  );
  if (!guard.send) return note({ skipped: `loop_guard:${guard.reason}` });
  const text = renderRuleTemplate(payload.template, {
    customerName: message.from_name?.trim() || (to.split('@')[0] ?? to),
    mailboxName: mailbox.display_name.trim() || mailbox.address,
  });
  const outboxId = await queueAutomaticReply(
    deps,
    {
      kind: 'auto-reply',
      mailboxId: mailbox.id,
      conversationId: payload.conversationId,
      replyToMessageId: message.id,
      to,
      text,
      headers: { ...guard.headers, 'X-Auto-Response-Suppress': 'All' },
    },
    async (trx) => {
      const claimed = await trx
        .insertInto('rule_runs')
        .values({
          rule_id: payload.rule.id,
          conversation_id: payload.conversationId,
          run_key: `auto-reply:${message.id}`,
          message_id: message.id,
          at: deps.clock.now(),
        })
        .onConflict((oc) => oc.columns(['rule_id', 'conversation_id', 'run_key']).doNothing())
        .returning('rule_id')
        .executeTakeFirst();
      if (claimed) await recordRuleEvent(trx, payload.conversationId, payload.rule, { action: 'auto-reply', to });
      return claimed !== undefined;
    },
  );
  if (outboxId) deps.onChanged?.(payload.conversationId);
}
