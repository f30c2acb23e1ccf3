import type { ConversationView, ViewCounts } from '@pier/contracts';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type ConversationFilter, conversationMatches } from '../conversations/index.js';

/** Counting stops here: "99+" tells an agent as much as an exact 41,203 and costs a bounded walk. */
export const COUNT_CAP = 100;

const noMessageFilter = { from: [], to: [], hasAttachment: false };

/**
 * Sidebar counts within the mailboxes the reader may see. View and team
 * counts are index walks that stop at the cap (Closed never counts 150,000
 * rows); per-mailbox and per-tag counts are one grouped pass over the open
 * conversations. No count scans the whole history.
 */
export async function viewCounts(
  db: Kysely<Database>,
  options: { mailboxIds: 'all' | string[]; userId: string; cap?: number },
): Promise<ViewCounts> {
  const cap = options.cap ?? COUNT_CAP;
  const scope = options.mailboxIds;
  const base: ConversationFilter = {
    mailboxIds: scope,
    mailboxFilters: [],
    statuses: ['open'],
    tagNames: [],
    spam: false,
    message: noMessageFilter,
  };
  const count = async (filter: ConversationFilter) => {
    if (filter.mailboxIds !== 'all' && filter.mailboxIds.length === 0) return 0;
    const row = await db
      .selectFrom(
        db
          .selectFrom('conversations')
          .select(sql<number>`1`.as('one'))
          .where((eb) => conversationMatches(eb, filter))
          .limit(cap)
          .as('bounded'),
      )
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };

  const viewFilters: Record<ConversationView, ConversationFilter> = {
    unassigned: { ...base, assignees: null },
    mine: { ...base, assignees: [options.userId] },
    open: base,
    pending: { ...base, statuses: ['pending'] },
    snoozed: { ...base, statuses: ['snoozed'] },
    closed: { ...base, statuses: ['closed'] },
    spam: { ...base, statuses: [], spam: true },
  };
  const mailboxRows =
    scope === 'all' ? (await db.selectFrom('mailboxes').select('id').orderBy('address').execute()).map((m) => m.id) : scope;
  const [tags, teams] = await Promise.all([
    db.selectFrom('tags').select(['id', 'name']).orderBy('name').execute(),
    db.selectFrom('teams').select(['id', 'name']).orderBy('name').execute(),
  ]);

  const views = Object.fromEntries(
    await Promise.all(Object.entries(viewFilters).map(async ([view, filter]) => [view, await count(filter)] as const)),
  ) as Record<ConversationView, number>;
  const [perMailbox, perTag] = await Promise.all([openPerMailbox(db, scope), openPerTag(db, scope)]);
  const byMailbox = new Map(perMailbox.map((r) => [r.mailbox_id, r]));
  const mailboxes = mailboxRows.map((id) => ({
    id,
    open: Number(byMailbox.get(id)?.open ?? 0),
    unassigned: Number(byMailbox.get(id)?.unassigned ?? 0),
  }));
  const openByTag = new Map(perTag.map((r) => [r.tag_id, Number(r.open)]));
  const tagCounts = tags.map((t) => ({ name: t.name, open: openByTag.get(t.id) ?? 0 }));
  const teamCounts = await Promise.all(teams.map(async (t) => ({ id: t.id, name: t.name, open: await count({ ...base, teamId: t.id }) })));
  return { cap, views, mailboxes, tags: tagCounts.filter((t) => t.open > 0), teams: teamCounts };
}

/**
 * Open conversations per mailbox (and how many of them unassigned) in one grouped pass over
 * the open conversations. Driving from a mailbox's own rows would walk all its closed history
 * (a mailbox of 100,000 closed conversations and 12 open ones); the open set is what a team
 * keeps small, so the cost follows it.
 */
function openPerMailbox(db: Kysely<Database>, scope: 'all' | string[]) {
  if (scope !== 'all' && scope.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('conversations as c')
    .innerJoin('conversation_mailboxes as cm', 'cm.conversation_id', 'c.id')
    .select((eb) => [
      'cm.mailbox_id',
      eb.fn.countAll<number>().as('open'),
      eb.fn.sum<number>(eb.case().when('c.assignee_id', 'is', null).then(1).else(0).end()).as('unassigned'),
    ])
    .where('c.spam', '=', 0)
    .where('c.status', '=', 'open')
    .$if(scope !== 'all', (qb) => qb.where('cm.mailbox_id', 'in', scope === 'all' ? [''] : scope))
    .groupBy('cm.mailbox_id')
    .execute();
}

/** Open conversations per tag, within the reader's mailboxes: one grouped pass over the open set, like the mailboxes. */
function openPerTag(db: Kysely<Database>, scope: 'all' | string[]) {
  if (scope !== 'all' && scope.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('conversations as c')
    .innerJoin('conversation_tags as ct', 'ct.conversation_id', 'c.id')
    .select((eb) => ['ct.tag_id', eb.fn.countAll<number>().as('open')])
    .where('c.spam', '=', 0)
    .where('c.status', '=', 'open')
    .$if(scope !== 'all', (qb) =>
      qb.where((eb) =>
        eb.exists(
          eb
            .selectFrom('conversation_mailboxes as s')
            .select('s.conversation_id')
            .whereRef('s.conversation_id', '=', 'c.id')
            .where('s.mailbox_id', 'in', scope === 'all' ? [''] : scope),
        ),
      ),
    )
    .groupBy('ct.tag_id')
    .execute();
}
