import type { OperationsReport } from '@pier/contracts';
import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { Database } from '../../db/schema.js';
import { firstReplyCompliance } from '../audit/index.js';

const DAY = 86_400_000;
type Scope = 'all' | string[];

/** Incoming mail of the period in the reader's mailboxes: each (message, mailbox) once, with the conversation's team and assignee. */
async function incomingMail(db: Kysely<Database>, period: { from: number; to: number }, mailboxIds: Scope) {
  return db
    .selectFrom('messages as m')
    .innerJoin('message_locations as l', 'l.message_id', 'm.id')
    .innerJoin('conversation_messages as cm', 'cm.message_id', 'm.id')
    .innerJoin('conversations as c', 'c.id', 'cm.conversation_id')
    .select(['m.id', 'm.received_at', 'm.country', 'l.mailbox_id', 'c.team_id', 'c.assignee_id'])
    .distinct()
    .where('m.direction', '=', 'in')
    .where('m.received_at', '>=', period.from)
    .where('m.received_at', '<', period.to)
    .where('c.spam', '=', 0)
    .$if(mailboxIds !== 'all', (qb) => qb.where('l.mailbox_id', 'in', mailboxIds as string[]))
    .execute();
}

function counted<T>(rows: T[], key: (r: T) => string | null, label: (k: string) => string) {
  const map = new Map<string, number>();
  for (const r of rows) {
    const k = key(r) ?? '';
    map.set(k, (map.get(k) ?? 0) + 1);
  }
  return [...map]
    .map(([k, count]) => ({ key: k, label: label(k), count }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

/** Not closed now (open, pending, snoozed; spam left out), by age at `at` since its first message (synced history keeps its dates). */
async function backlogByAge(db: Kysely<Database>, at: number, mailboxIds: Scope): Promise<OperationsReport['backlogByAge']> {
  if (mailboxIds !== 'all' && mailboxIds.length === 0) return [];
  const rows = await db
    .selectFrom('conversations as c')
    .select((eb) => [
      'c.created_at',
      eb
        .selectFrom('conversation_messages as cm')
        .innerJoin('messages as m', 'm.id', 'cm.message_id')
        .select((inner) => inner.fn.min('m.received_at').as('first'))
        .whereRef('cm.conversation_id', '=', 'c.id')
        .as('first_at'),
    ])
    .where('c.status', '!=', 'closed')
    .where('c.spam', '=', 0)
    .$if(mailboxIds !== 'all', (qb) =>
      qb.where((eb) =>
        eb.exists(
          eb
            .selectFrom('conversation_mailboxes as cmb')
            .select('cmb.conversation_id')
            .whereRef('cmb.conversation_id', '=', 'c.id')
            .where('cmb.mailbox_id', 'in', mailboxIds as string[]),
        ),
      ),
    )
    .execute();
  const buckets = { lt1d: 0, '1to3d': 0, '3to7d': 0, '7to30d': 0, gt30d: 0 };
  for (const r of rows) {
    const started = Number(r.first_at ?? r.created_at);
    if (started >= at) continue;
    const age = at - started;
    const b = age < DAY ? 'lt1d' : age < 3 * DAY ? '1to3d' : age < 7 * DAY ? '3to7d' : age < 30 * DAY ? '7to30d' : 'gt30d';
    buckets[b] += 1;
  }
  return Object.entries(buckets).map(([bucket, count]) => ({ bucket: bucket as keyof typeof buckets, count }));
}

/**
 * The reports screen's figures for [from, to) in the mailboxes the reader may read (decision 0033):
 * volume of incoming mail by mailbox, team, agent (assignee), sender country and local day; first
 * replies in working hours and compliance; a weekday × hour heat map; the open backlog by age.
 */
export async function operationsReport(
  db: Kysely<Database>,
  query: { from: number; to: number; timeZone: string },
  mailboxIds: Scope,
  now: number,
): Promise<OperationsReport> {
  const { from, to, timeZone } = query;
  const none = mailboxIds !== 'all' && mailboxIds.length === 0;
  const [mail, mailboxes, teams, users, firstReply, backlog] = await Promise.all([
    none ? Promise.resolve([]) : incomingMail(db, { from, to }, mailboxIds),
    db.selectFrom('mailboxes').select(['id', 'address']).execute(),
    db.selectFrom('teams').select(['id', 'name']).execute(),
    db.selectFrom('users').select(['id', 'name']).execute(),
    firstReplyCompliance(db, { start: from, end: to }, now, mailboxIds),
    backlogByAge(db, Math.min(to, now), mailboxIds),
  ]);
  const names = {
    mailbox: new Map(mailboxes.map((m) => [m.id, m.address])),
    team: new Map(teams.map((t) => [t.id, t.name])),
    user: new Map(users.map((u) => [u.id, u.name])),
  };
  // Each message once for the team, agent, country, day and hour figures (a mail to two mailboxes counts in each mailbox).
  const messages = [...new Map(mail.map((m) => [m.id, m])).values()];
  const local = (t: number) => DateTime.fromMillis(t, { zone: timeZone });

  const dayCounts = new Map<string, number>();
  for (let d = local(from).startOf('day'); d.toMillis() < to; d = d.plus({ days: 1 })) dayCounts.set(d.toISODate() as string, 0);
  const heat = new Map<string, number>();
  for (const m of messages) {
    const t = local(Number(m.received_at));
    const day = t.toISODate() as string;
    dayCounts.set(day, (dayCounts.get(day) ?? 0) + 1);
    const key = `${t.weekday - 1}|${t.hour}`;
    heat.set(key, (heat.get(key) ?? 0) + 1);
  }
  return {
    from,
    to,
    timeZone,
    volume: {
      byMailbox: counted(
        mail,
        (m) => m.mailbox_id,
        (k) => names.mailbox.get(k) ?? k,
      ),
      byTeam: counted(
        messages,
        (m) => m.team_id,
        (k) => (k ? (names.team.get(k) ?? k) : ''),
      ),
      byAgent: counted(
        messages,
        (m) => m.assignee_id,
        (k) => (k ? (names.user.get(k) ?? k) : ''),
      ),
      byCountry: counted(
        messages,
        (m) => m.country,
        (k) => k,
      ),
      byDay: [...dayCounts].map(([day, count]) => ({ day, count })),
    },
    firstReply,
    busiestHours: [...heat].map(([k, count]) => {
      const [weekday, hour] = k.split('|').map(Number) as [number, number];
      return { weekday, hour, count };
    }),
    backlogByAge: backlog,
  };
}
