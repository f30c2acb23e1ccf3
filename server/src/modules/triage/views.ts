import type { ConversationView, ViewCounts } from '@pier/contracts';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';

/**
 * Sidebar counts in a few grouped scans, within the mailboxes the reader may
 * see: views (open/pending/snoozed/closed/spam, unassigned and mine among the
 * open), open and unassigned per mailbox, open per tag and per team.
 */
export async function viewCounts(db: Kysely<Database>, options: { mailboxIds: 'all' | string[]; userId: string }): Promise<ViewCounts> {
  const scope = options.mailboxIds;
  if (scope !== 'all' && scope.length === 0) {
    return { views: { unassigned: 0, mine: 0, open: 0, pending: 0, snoozed: 0, closed: 0, spam: 0 }, mailboxes: [], tags: [], teams: [] };
  }
  const inScope = (alias: string) =>
    scope === 'all'
      ? sql``
      : sql`and exists (select 1 from conversation_mailboxes s where s.conversation_id = ${sql.ref(`${alias}.id`)} and s.mailbox_id in (${sql.join(scope)}))`;

  const [byStatus, perMailbox, perTag, perTeam] = await Promise.all([
    sql<{ status: string; spam: number; unassigned: number | string; mine: number | string; n: number | string }>`
      select c.status, c.spam,
        sum(case when c.assignee_id is null then 1 else 0 end) as unassigned,
        sum(case when c.assignee_id = ${options.userId} then 1 else 0 end) as mine,
        count(*) as n
      from conversations c
      where true ${inScope('c')}
      group by c.status, c.spam`.execute(db),
    sql<{ mailbox_id: string; open: number | string; unassigned: number | string }>`
      select cm.mailbox_id, count(*) as open, sum(case when c.assignee_id is null then 1 else 0 end) as unassigned
      from conversation_mailboxes cm join conversations c on c.id = cm.conversation_id
      where c.status = 'open' and c.spam = 0
        ${scope === 'all' ? sql`` : sql`and cm.mailbox_id in (${sql.join(scope)})`}
      group by cm.mailbox_id`.execute(db),
    sql<{ name: string; open: number | string }>`
      select t.name, count(*) as open
      from conversation_tags ct join tags t on t.id = ct.tag_id join conversations c on c.id = ct.conversation_id
      where c.status = 'open' and c.spam = 0 ${inScope('c')}
      group by t.name order by t.name`.execute(db),
    sql<{ id: string; name: string; open: number | string }>`
      select t.id, t.name, count(c.id) as open
      from teams t left join conversations c on c.team_id = t.id and c.status = 'open' and c.spam = 0 ${inScope('c')}
      group by t.id, t.name order by t.name`.execute(db),
  ]);

  const views: Record<ConversationView, number> = { unassigned: 0, mine: 0, open: 0, pending: 0, snoozed: 0, closed: 0, spam: 0 };
  for (const row of byStatus.rows) {
    const n = Number(row.n);
    if (Number(row.spam) === 1) {
      views.spam += n;
      continue;
    }
    if (row.status === 'open') {
      views.open += n;
      views.unassigned += Number(row.unassigned);
      views.mine += Number(row.mine);
    } else if (row.status === 'pending' || row.status === 'snoozed' || row.status === 'closed') {
      views[row.status] += n;
    }
  }
  return {
    views,
    mailboxes: perMailbox.rows.map((r) => ({ id: r.mailbox_id, open: Number(r.open), unassigned: Number(r.unassigned) })),
    tags: perTag.rows.map((r) => ({ name: r.name, open: Number(r.open) })),
    teams: perTeam.rows.map((r) => ({ id: r.id, name: r.name, open: Number(r.open) })),
  };
}
