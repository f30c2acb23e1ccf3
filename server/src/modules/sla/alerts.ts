import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { enqueueJob } from '../../jobs/queue.js';
import { notifyOnce } from '../notifications/index.js';
import { emitWebhookEvent } from '../webhooks/index.js';

/** Who leads a team (the teams module's answer); passed in by compose so the arrow never turns round. */
export type TeamLeadsOf = (teamId: string) => Promise<string[]>;

/**
 * A breach found more than a day after its due time is recorded without a notification: it comes
 * from history (a mailbox connected with months of unanswered mail), not from today's work.
 */
const STALE_MS = 24 * 60 * 60_000;

export const SLA_WARNING = 'sla_warning';
export const SLA_BREACHED = 'sla_breached';

/** The job that writes an alert's notifications after the marking transaction committed. */
export const SLA_NOTIFY_JOB = 'sla.notify';
export type SlaNotification = { userIds: string[]; kind: string; data: Record<string, unknown> };

/** Alerts committed together (as the evaluation's COMMIT_EVERY): one data-version move per batch, not per row. */
const COMMIT_EVERY = 25;

/**
 * Sends the 80 % warnings and the breaches that are due at `now`, each once per clock: the row is
 * marked by a conditional update, so two workers cannot both send it, and in the same transaction
 * one `sla.notify` job is queued for its recipients: the notifications are written after the commit
 * (they held the transaction 1–2 s under load), and a crash loses none (the job is durable;
 * `deliverSlaNotification` writes each once). A breach not yet warned about sends only the breach. Rows are committed
 * COMMIT_EVERY at a time: every commit empties every node's list cache (decision 0014), and a
 * mailbox connected with a backlog breaches hundreds of clocks at once.
 */
export async function sendDueSlaAlerts(
  db: Kysely<Database>,
  now: number,
  teamLeadsOf: TeamLeadsOf,
): Promise<{ warned: number; breached: number }> {
  const rows = await db
    .selectFrom('conversation_sla as s')
    .innerJoin('conversations as c', 'c.id', 's.conversation_id')
    .select([
      's.conversation_id',
      's.phase',
      's.due_at',
      's.warn_at',
      's.warned_at',
      's.breached_at',
      's.started_at',
      'c.subject',
      'c.assignee_id',
      'c.team_id',
    ])
    .where('s.phase', 'is not', null)
    .where((eb) =>
      eb.or([
        eb.and([eb('s.due_at', '<=', now), eb('s.breached_at', 'is', null)]),
        eb.and([eb('s.warn_at', '<=', now), eb('s.warned_at', 'is', null)]),
      ]),
    )
    .orderBy('s.due_at')
    .limit(500)
    .execute();
  let warned = 0;
  let breached = 0;
  for (let first = 0; first < rows.length; first += COMMIT_EVERY) {
    const chunk: { r: (typeof rows)[number]; recipients: Set<string>; breach: boolean }[] = [];
    for (const r of rows.slice(first, first + COMMIT_EVERY)) {
      const recipients = new Set<string>();
      if (r.assignee_id) recipients.add(r.assignee_id);
      if (r.team_id) for (const lead of await teamLeadsOf(r.team_id)) recipients.add(lead);
      chunk.push({ r, recipients, breach: r.due_at !== null && Number(r.due_at) <= now });
    }
    const sent = await db.transaction().execute(async (trx) => {
      const done: boolean[] = [];
      for (const { r, recipients, breach } of chunk) done.push(await alert(trx, r, recipients, breach));
      return done;
    });
    sent.forEach((ok, i) => {
      if (!ok) return;
      if (chunk[i]?.breach) breached += 1;
      else warned += 1;
    });
  }
  return { warned, breached };

  /** Marks one row and sends its notifications in the caller's transaction; false when another worker marked it first. */
  async function alert(trx: Transaction<Database>, r: (typeof rows)[number], recipients: Set<string>, breach: boolean): Promise<boolean> {
    const instant = Number(breach ? r.due_at : r.warn_at);
    const marked = await trx
      .updateTable('conversation_sla')
      .set(breach ? { breached_at: now, warned_at: r.warned_at ?? now } : { warned_at: now })
      .where('conversation_id', '=', r.conversation_id)
      .where('started_at', '=', r.started_at)
      .where(breach ? 'breached_at' : 'warned_at', 'is', null)
      .executeTakeFirst();
    if (Number(marked.numUpdatedRows) === 0) return false;
    if (breach) {
      await emitWebhookEvent(trx, 'sla.breached', {
        conversationId: r.conversation_id,
        phase: r.phase,
        dueAt: r.due_at === null ? null : Number(r.due_at),
      });
    }
    if (now - instant > STALE_MS || recipients.size === 0) return true;
    const kind = breach ? SLA_BREACHED : SLA_WARNING;
    const notification: SlaNotification = {
      userIds: [...recipients],
      kind,
      data: { conversationId: r.conversation_id, subject: r.subject, phase: r.phase, dueAt: r.due_at === null ? null : Number(r.due_at) },
    };
    await enqueueJob(trx, {
      name: SLA_NOTIFY_JOB,
      payload: notification,
      dedupeKey: `${SLA_NOTIFY_JOB}:${r.conversation_id}:${Number(r.started_at)}:${kind}`,
    });
    return true;
  }
}

/**
 * The `sla.notify` job: writes one alert's notifications in one transaction, each only if that user
 * has not got it yet (a run that committed and crashed before its job completed runs again).
 */
export async function deliverSlaNotification(db: Kysely<Database>, notification: SlaNotification): Promise<number> {
  return db.transaction().execute(async (trx) => {
    let written = 0;
    for (const userId of notification.userIds) {
      if (await notifyOnce(trx, { userId, kind: notification.kind, data: notification.data })) written += 1;
    }
    return written;
  });
}
