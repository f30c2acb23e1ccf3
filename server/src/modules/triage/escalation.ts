import type { BusinessHours } from '@pier/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { workingMillisBetween } from '../business-hours/index.js';
import { updateWorkState } from '../conversations/index.js';
import { notify } from '../notifications/index.js';
import { recordEvent } from './events.js';

export const ESCALATE_UNASSIGNED_JOB = 'triage.escalate-unassigned';
/** The kind of the lead's notification. */
export const UNASSIGNED_TOO_LONG = 'unassigned_too_long';

const HOUR = 60 * 60_000;
const BATCH = 500;

/** A mailbox's working hours (the ops-sla stream's mailbox settings; compose.ts passes them in). */
export type BusinessHoursOf = (mailboxId: string) => Promise<BusinessHours>;

/**
 * "Nothing missed" (decision 0034): a routed conversation still open and unassigned after its
 * team's `escalate_after_hours` working hours of its mailbox (counted from when it was routed) is
 * escalated once: marked for the "unassigned too long" view, an `escalated` event on its timeline
 * and a notification to the team lead. The mark is set with a guard on `escalated_at is null`, so
 * two nodes running the schedule escalate it once. Run by the worker every few minutes with the
 * movable clock; returns how many it escalated.
 */
export async function escalateUnassigned(db: Kysely<Database>, now: number, hoursOf: BusinessHoursOf): Promise<number> {
  const waiting = await db
    .selectFrom('conversation_routing as r')
    .innerJoin('conversations as c', 'c.id', 'r.conversation_id')
    .innerJoin('teams as t', 't.id', 'r.team_id')
    .select(['r.conversation_id', 'r.mailbox_id', 'r.routed_at', 'c.subject', 't.name as team', 't.lead_id', 't.escalate_after_hours'])
    .where('r.escalated_at', 'is', null)
    .where('c.assignee_id', 'is', null)
    .where('c.status', '=', 'open')
    .where('c.spam', '=', 0)
    .where('t.escalate_after_hours', 'is not', null)
    .orderBy('r.routed_at')
    .limit(BATCH)
    .execute();
  const hoursByMailbox = new Map<string, BusinessHours>();
  let escalated = 0;
  for (const row of waiting) {
    const limit = Number(row.escalate_after_hours) * HOUR;
    let hours = hoursByMailbox.get(row.mailbox_id);
    if (!hours) {
      hours = await hoursOf(row.mailbox_id);
      hoursByMailbox.set(row.mailbox_id, hours);
    }
    if (workingMillisBetween(hours, new Date(row.routed_at), new Date(now)) < limit) continue;
    const done = await db.transaction().execute(async (trx) => {
      const marked = await trx
        .updateTable('conversation_routing')
        .set({ escalated_at: now })
        .where('conversation_id', '=', row.conversation_id)
        .where('escalated_at', 'is', null)
        .executeTakeFirst();
      if (Number(marked.numUpdatedRows) === 0) return false;
      await updateWorkState(trx, row.conversation_id, { escalated_at: now }, { at: now });
      const lead = row.lead_id
        ? await trx.selectFrom('users').select(['id', 'name']).where('id', '=', row.lead_id).executeTakeFirst()
        : undefined;
      await recordEvent(trx, {
        conversationId: row.conversation_id,
        actorId: null,
        type: 'escalated',
        data: { team: row.team, hours: Number(row.escalate_after_hours), lead: lead ? { id: lead.id, name: lead.name } : null },
      });
      if (lead) {
        await notify(trx, {
          userId: lead.id,
          kind: UNASSIGNED_TOO_LONG,
          data: { conversationId: row.conversation_id, subject: row.subject, team: row.team, hours: Number(row.escalate_after_hours) },
        });
      }
      return true;
    });
    if (done) escalated++;
  }
  return escalated;
}
