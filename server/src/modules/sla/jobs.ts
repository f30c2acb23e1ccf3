import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
import { readSetting, writeSetting } from '../../db/settings.js';
import { enqueueJob } from '../../jobs/queue.js';
import { type AnyJobHandler, defineJob } from '../../jobs/registry.js';
import { defineSubscriber, type EventSubscriber } from '../events/index.js';
import { deliverSlaNotification, SLA_NOTIFY_JOB, sendDueSlaAlerts, type TeamLeadsOf } from './alerts.js';
import {
  computeConversationSla,
  evaluateConversationSla,
  type SlaEvaluation,
  type SlaSettingsMemo,
  storeSlaEvaluation,
} from './evaluate.js';
import { selectChangedConversations } from './sla-queries.js';

export const SLA_EVALUATE_JOB = 'sla.evaluate';
export const SLA_RECOMPUTE_MAILBOX_JOB = 'sla.recompute-mailbox';
const CURSOR_KEY = 'sla.cursor';
const BATCH = 500;
/**
 * Evaluations committed together: one commit moves the data version once (one emptying of every
 * node's list cache, one NOTIFY) instead of once per conversation — a backlog (an import, a
 * restored workspace) otherwise emptied the caches hundreds of times a minute. Small enough that
 * a transaction holds SQLite's one connection for a few milliseconds only.
 */
const COMMIT_EVERY = 25;

type Deps = { db: Kysely<Database>; now: () => number; teamLeadsOf: TeamLeadsOf; onChanged?: (conversationId: string) => void };

/**
 * Re-evaluates every conversation written since the last run (a status, a priority, a reply sent:
 * all change `conversations.updated_at`), then sends the warnings and breaches now due. Run every
 * minute by the worker; a moved test clock makes the next minute's run due at once.
 */
export async function runSlaEvaluation(deps: Deps): Promise<{ evaluated: number; warned: number; breached: number }> {
  const { db } = deps;
  const now = deps.now();
  const [at, id] = (await readSetting(db, CURSOR_KEY))?.split('|') ?? ['0', ''];
  const changed = await selectChangedConversations(db, { at: Number(at), id: id ?? '' }, BATCH);
  const settings: SlaSettingsMemo = new Map();
  for (let first = 0; first < changed.length; first += COMMIT_EVERY) {
    const chunk = changed.slice(first, first + COMMIT_EVERY);
    // Read outside, write inside: the transaction holds only the writes (computeConversationSla).
    const evaluations: SlaEvaluation[] = [];
    for (const c of chunk) evaluations.push(await computeConversationSla(db, c.id, now, settings));
    const writes = evaluations.filter((e) => e.write !== 'none');
    if (writes.length === 0) continue;
    const moved = await db.transaction().execute(async (trx) => {
      const ids: string[] = [];
      for (const e of writes) if (await storeSlaEvaluation(trx, e)) ids.push(e.conversationId);
      return ids;
    });
    // Told after the commit, so whoever is told reads the new due times.
    for (const id of moved) deps.onChanged?.(id);
  }
  const last = changed.at(-1);
  if (last) await writeSetting(db, CURSOR_KEY, `${Number(last.updated_at)}|${last.id}`);
  const alerts = await sendDueSlaAlerts(db, now, deps.teamLeadsOf);
  return { evaluated: changed.length, ...alerts };
}

/** Recomputes the running clocks of a mailbox after its hours or policies changed. */
export async function recomputeMailboxSla(deps: Deps, mailboxId: string): Promise<number> {
  const rows = await deps.db
    .selectFrom('conversation_sla')
    .select('conversation_id')
    .where('mailbox_id', '=', mailboxId)
    .where('phase', 'is not', null)
    .execute();
  const now = deps.now();
  const settings: SlaSettingsMemo = new Map();
  for (const r of rows) {
    if (await evaluateConversationSla(deps.db, r.conversation_id, now, settings)) deps.onChanged?.(r.conversation_id);
  }
  return rows.length;
}

/** Queues the recomputation in the caller's transaction (the settings change that causes it). */
export async function queueMailboxSlaRecompute(trx: Transaction<Database> | Kysely<Database>, mailboxId: string): Promise<void> {
  await enqueueJob(trx, { name: SLA_RECOMPUTE_MAILBOX_JOB, payload: { mailboxId } });
}

export function slaJobHandlers(deps: Deps): AnyJobHandler[] {
  return [
    defineJob({ name: SLA_EVALUATE_JOB, payload: z.null(), run: async () => void (await runSlaEvaluation(deps)) }),
    defineJob({
      name: SLA_RECOMPUTE_MAILBOX_JOB,
      payload: z.object({ mailboxId: z.string() }),
      run: async ({ mailboxId }) => void (await recomputeMailboxSla(deps, mailboxId)),
    }),
    defineJob({
      name: SLA_NOTIFY_JOB,
      payload: z.object({ userIds: z.array(z.string()), kind: z.string(), data: z.record(z.string(), z.unknown()) }),
      run: async (notification) => void (await deliverSlaNotification(deps.db, notification)),
    }),
  ];
}

/** A new message (the customer's, or a reply seen in Sent) starts or stops the clock at once. */
export function slaSubscribers(deps: Deps): EventSubscriber[] {
  return [
    defineSubscriber({
      name: 'sla.evaluate-conversation',
      event: 'message.received',
      key: (e) => e.messageId,
      run: async (e) => {
        if (await evaluateConversationSla(deps.db, e.conversationId, deps.now())) deps.onChanged?.(e.conversationId);
      },
    }),
  ];
}
