import type { ConversationView, ViewCounts } from '@pier/contracts';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type ConversationFilter, conversationMatches } from '../conversations/index.js';

/** Counting stops here: "99+" tells an agent as much as an exact 41,203 and costs a bounded walk. */
export const COUNT_CAP = 100;

const noMessageFilter = { from: [], to: [], hasAttachment: false };

/**
 * Sidebar counts within the mailboxes the reader may see. Each count is a
 * bounded index walk (LIMIT cap inside), never a scan of every conversation:
 * views, open and unassigned per mailbox, open per tag and per team.
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
  const mailboxes = await Promise.all(
    mailboxRows.map(async (id) => ({
      id,
      open: await countMailbox(db, id, false, cap),
      unassigned: await countMailbox(db, id, true, cap),
    })),
  );
  const tagCounts = await Promise.all(tags.map(async (t) => ({ name: t.name, open: await countTag(db, t.id, scope, cap) })));
  const teamCounts = await Promise.all(teams.map(async (t) => ({ id: t.id, name: t.name, open: await count({ ...base, teamId: t.id }) })));
  return { cap, views, mailboxes, tags: tagCounts.filter((t) => t.open > 0), teams: teamCounts };
}

/** Open conversations with a tag, driven from the tag's rows (a rare tag must not walk every open conversation). */
async function countTag(db: Kysely<Database>, tagId: string, scope: 'all' | string[], cap: number): Promise<number> {
  if (scope !== 'all' && scope.length === 0) return 0;
  const row = await db
    .selectFrom(
      db
        .selectFrom('conversation_tags as ct')
        .innerJoin('conversations as c', 'c.id', 'ct.conversation_id')
        .select(sql<number>`1`.as('one'))
        .where('ct.tag_id', '=', tagId)
        .where('c.status', '=', 'open')
        .where('c.spam', '=', 0)
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

/** Open (or open and unassigned) conversations of one mailbox, driven from its rows: bounded by the mailbox's size and the cap. */
async function countMailbox(db: Kysely<Database>, mailboxId: string, unassigned: boolean, cap: number): Promise<number> {
  const row = await db
    .selectFrom(
      db
        .selectFrom('conversation_mailboxes as cm')
        .innerJoin('conversations as c', 'c.id', 'cm.conversation_id')
        .select(sql<number>`1`.as('one'))
        .where('cm.mailbox_id', '=', mailboxId)
        .where('c.status', '=', 'open')
        .where('c.spam', '=', 0)
        .$if(unassigned, (qb) => qb.where('c.assignee_id', 'is', null))
        .limit(cap)
        .as('bounded'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
