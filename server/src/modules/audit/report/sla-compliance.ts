import type { FirstReplyFigures } from '@pier/contracts';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';

const HOUR = 3_600_000;

/** The value at quantile q (nearest rank: the smallest value with at least q of the values at or below it). */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

type Outcome = { mailboxId: string; teamId: string | null; met: boolean | null; workingMs: number | null };

/**
 * The first reply of each conversation that started in [start, end): met when its working time
 * was within the target it had, missed when late or when, at `now`, it is still owed past its due
 * time; conversations still inside their target (or paused without a due time) are not counted yet.
 */
async function firstReplyOutcomes(db: Kysely<Database>, period: { start: number; end: number }, now: number, mailboxIds: 'all' | string[]) {
  if (mailboxIds !== 'all' && mailboxIds.length === 0) return [];
  const rows = await db
    .selectFrom('conversation_sla as s')
    .innerJoin('conversations as c', 'c.id', 's.conversation_id')
    .select(['s.mailbox_id', 'c.team_id', 's.phase', 's.due_at', 's.first_reply_at', 's.first_reply_working_ms', 's.first_reply_target_ms'])
    .where('s.first_customer_at', '>=', period.start)
    .where('s.first_customer_at', '<', period.end)
    .$if(mailboxIds !== 'all', (qb) => qb.where('s.mailbox_id', 'in', mailboxIds as string[]))
    .execute();
  return rows.map((r): Outcome => {
    if (r.first_reply_at !== null && r.first_reply_working_ms !== null && r.first_reply_target_ms !== null) {
      const workingMs = Number(r.first_reply_working_ms);
      return { mailboxId: r.mailbox_id, teamId: r.team_id, met: workingMs <= Number(r.first_reply_target_ms), workingMs };
    }
    const overdue = r.phase === 'first_reply' && r.due_at !== null && Number(r.due_at) <= now;
    return { mailboxId: r.mailbox_id, teamId: r.team_id, met: overdue ? false : null, workingMs: null };
  });
}

function figures(scope: 'mailbox' | 'team', id: string, name: string, outcomes: Outcome[]): FirstReplyFigures {
  const known = outcomes.filter((o) => o.met !== null);
  const met = known.filter((o) => o.met).length;
  const times = outcomes
    .map((o) => o.workingMs)
    .filter((t): t is number => t !== null)
    .sort((a, b) => a - b);
  const hours = (ms: number | null) => (ms === null ? null : Math.round((ms / HOUR) * 100) / 100);
  return {
    scope,
    id,
    name,
    conversations: known.length,
    met,
    missed: known.length - met,
    compliance: known.length === 0 ? null : met / known.length,
    medianHours: hours(quantile(times, 0.5)),
    p90Hours: hours(quantile(times, 0.9)),
  };
}

/** First-reply compliance per mailbox and per team (the quarterly report's SLA section, the reports screen). */
export async function firstReplyCompliance(
  db: Kysely<Database>,
  period: { start: number; end: number },
  now: number,
  mailboxIds: 'all' | string[] = 'all',
): Promise<{ overall: FirstReplyFigures; byMailbox: FirstReplyFigures[]; byTeam: FirstReplyFigures[] }> {
  const outcomes = await firstReplyOutcomes(db, period, now, mailboxIds);
  const [mailboxes, teams] = await Promise.all([
    db.selectFrom('mailboxes').select(['id', 'address']).execute(),
    db.selectFrom('teams').select(['id', 'name']).execute(),
  ]);
  const group = (key: (o: Outcome) => string | null) => {
    const map = new Map<string, Outcome[]>();
    for (const o of outcomes) {
      const k = key(o);
      if (k !== null) map.set(k, [...(map.get(k) ?? []), o]);
    }
    return map;
  };
  const mailboxName = new Map(mailboxes.map((m) => [m.id, m.address]));
  const teamName = new Map(teams.map((t) => [t.id, t.name]));
  return {
    overall: figures('mailbox', '', '', outcomes),
    byMailbox: [...group((o) => o.mailboxId)]
      .map(([id, list]) => figures('mailbox', id, mailboxName.get(id) ?? id, list))
      .sort((a, b) => a.name.localeCompare(b.name)),
    byTeam: [...group((o) => o.teamId)]
      .map(([id, list]) => figures('team', id, teamName.get(id) ?? id, list))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}
