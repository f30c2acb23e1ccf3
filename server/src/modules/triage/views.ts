import type { ConversationView, ViewCounts } from '@pier/contracts';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type ConversationFilter, conversationMatches } from '../conversations/index.js';

/** Counting stops here: "99+" tells an agent as much as an exact 41,203 and costs a bounded walk. */
export const COUNT_CAP = 100;

const noMessageFilter = { from: [], to: [], hasAttachment: false };

/**
 * Sidebar counts within the mailboxes the reader may see. Every count is a
 * walk that stops at the cap (Closed never counts 150,000 rows): views, teams
 * and each mailbox (open, unassigned) walk the open set newest first, a tag
 * walks its own links. A grouped pass over the open set was exact but took
 * seconds with 200,000 open conversations, and on SQLite a query blocks the
 * process: every live push made each open page refetch the counts, and new
 * mail waited behind them.
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

  // The open queues count people's conversations only; machine mail has its own view (decision 0031).
  const people: ConversationFilter = { ...base, kind: 'people' };
  const viewFilters: Record<ConversationView, ConversationFilter> = {
    unassigned: { ...people, assignees: null },
    mine: { ...base, assignees: [options.userId] },
    open: people,
    pending: { ...base, statuses: ['pending'] },
    snoozed: { ...base, statuses: ['snoozed'] },
    closed: { ...base, statuses: ['closed'] },
    spam: { ...base, statuses: [], spam: true },
    automated: { ...base, kind: 'machine' },
    escalated: { ...base, assignees: null, escalated: true },
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
  // Per mailbox: the Open view's bounded walk within that one mailbox (the list it links to).
  const mailboxes = await Promise.all(
    mailboxRows.map(async (id) => ({
      id,
      open: await count({ ...people, mailboxIds: [id] }),
      unassigned: await count({ ...people, mailboxIds: [id], assignees: null }),
    })),
  );
  const tagCounts = await Promise.all(tags.map(async (t) => ({ name: t.name, open: await openInTag(db, t.id, scope, cap) })));
  const teamCounts = await Promise.all(
    teams.map(async (t) => ({ id: t.id, name: t.name, open: await count({ ...people, teamId: t.id }) })),
  );
  return { cap, views, mailboxes, tags: tagCounts.filter((t) => t.open > 0), teams: teamCounts };
}

/**
 * Open conversations with one tag, within the reader's mailboxes, up to the cap. Walks the tag's
 * own links (CROSS JOIN keeps SQLite from driving from the open set instead: with 200,000 open
 * conversations that was seconds per sidebar refresh, blocking the process), so the cost follows
 * the tag's conversations and stops at the cap.
 */
async function openInTag(db: Kysely<Database>, tagId: string, scope: 'all' | string[], cap: number): Promise<number> {
  if (scope !== 'all' && scope.length === 0) return 0;
  const row = await db
    .selectFrom(
      db
        .selectFrom('conversation_tags as ct')
        .crossJoin('conversations as c')
        .select(sql<number>`1`.as('one'))
        .where('ct.tag_id', '=', tagId)
        .whereRef('c.id', '=', 'ct.conversation_id')
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
        .limit(cap)
        .as('bounded'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
