import type { ConversationSummary } from '@pier/contracts';
import type { ExpressionBuilder, InferResult, Kysely } from 'kysely';
import { jsonArrayFrom as postgresJsonArray } from 'kysely/helpers/postgres';
import { jsonArrayFrom as sqliteJsonArray } from 'kysely/helpers/sqlite';
import type { Engine } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { type ConversationFilter, conversationMatches } from './conversation-filters.js';

/**
 * "Due soonest" sort key: the SLA due time (modules/sla's conversation_sla), else NO_DUE minus the
 * last message time, so conversations without a running clock follow, newest first. Fits the
 * cursor's 16 digits.
 */
const NO_DUE = 9_000_000_000_000_000;
function dueKey(eb: ExpressionBuilder<Database, 'conversations'>) {
  return eb.fn.coalesce(
    eb
      .selectFrom('conversation_sla')
      .select('conversation_sla.due_at')
      .whereRef('conversation_sla.conversation_id', '=', 'conversations.id'),
    eb(eb.val(NO_DUE), '-', eb.ref('conversations.last_message_at')),
  );
}

export type PageOptions = {
  filter: ConversationFilter;
  limit: number;
  after?: { key: number; id: string } | undefined;
  sort?: 'recent' | 'due' | undefined;
};

/** The rows of one page, in list order, with no detail yet (the inner query of selectConversationPage). */
function pageRows(db: Kysely<Database>, options: PageOptions) {
  const after = options.after;
  const byDue = options.sort === 'due';
  return db
    .selectFrom('conversations')
    .select((eb) => [
      'id',
      'subject',
      'status',
      'last_message_at',
      'assignee_id',
      'priority',
      'counterparty',
      'last_from_addr',
      'last_from_name',
      'last_snippet',
      (byDue ? dueKey(eb) : eb.ref('last_message_at')).as('sort_key'),
    ])
    .where((eb) => conversationMatches(eb, options.filter))
    .$if(after !== undefined && !byDue, (qb) =>
      // Keyset paging in list order (newest first): strictly after the last row of the previous page.
      qb.where((eb) =>
        eb.or([
          eb('last_message_at', '<', after?.key ?? 0),
          eb.and([eb('last_message_at', '=', after?.key ?? 0), eb('id', '<', after?.id ?? '')]),
        ]),
      ),
    )
    .$if(after !== undefined && byDue, (qb) =>
      qb.where((eb) =>
        eb.or([eb(dueKey(eb), '>', after?.key ?? 0), eb.and([eb(dueKey(eb), '=', after?.key ?? 0), eb('id', '>', after?.id ?? '')])]),
      ),
    )
    .$if(!byDue, (qb) => qb.orderBy('last_message_at', 'desc').orderBy('id', 'desc'))
    .$if(byDue, (qb) => qb.orderBy((eb) => dueKey(eb), 'asc').orderBy('id', 'asc'))
    .limit(options.limit);
}

/**
 * One page of the list with everything its lines show, in ONE statement (issue 20): the page's
 * rows (LIMIT inside, so the details are read for the page only), then per row its mailboxes and
 * tags (JSON arrays), the assignee's name, the customer (contact and company) and the SLA state.
 * It was six statements (five IN lists of the page's ids): on PostgreSQL each a round trip and a
 * plan, the larger part of a search's listing on a loaded node.
 */
export async function selectConversationPage(db: Kysely<Database>, engine: Engine, options: PageOptions) {
  const rows = await pageWithDetails(db, engine, options).execute();
  return rows.map((row) => ({ sortKey: Number(row.sort_key), summary: summaryOf(row) }));
}

function pageWithDetails(db: Kysely<Database>, engine: Engine, options: PageOptions) {
  const jsonArrayFrom = engine === 'postgres' ? postgresJsonArray : sqliteJsonArray;
  const byDue = options.sort === 'due';
  return db
    .selectFrom(pageRows(db, options).as('p'))
    .leftJoin('users as u', 'u.id', 'p.assignee_id')
    .leftJoin('contacts as k', 'k.address', 'p.counterparty')
    .leftJoin('companies as co', 'co.id', 'k.company_id')
    .leftJoin('conversation_sla as s', (join) => join.onRef('s.conversation_id', '=', 'p.id').on('s.phase', 'is not', null))
    .selectAll('p')
    .select((eb) => [
      'u.name as assignee_name',
      'k.name as customer_name',
      'k.country as customer_country',
      'co.name as company_name',
      'co.country as company_country',
      's.phase as sla_phase',
      's.due_at as sla_due_at',
      's.warn_at as sla_warn_at',
      's.running_since as sla_running_since',
      jsonArrayFrom(
        eb
          .selectFrom('conversation_mailboxes as cm')
          .select('cm.mailbox_id')
          .whereRef('cm.conversation_id', '=', 'p.id')
          .orderBy('cm.mailbox_id'),
      ).as('mailboxes'),
      jsonArrayFrom(
        eb
          .selectFrom('conversation_tags as ct')
          .innerJoin('tags as t', 't.id', 'ct.tag_id')
          .select('t.name')
          .whereRef('ct.conversation_id', '=', 'p.id')
          .orderBy('t.name'),
      ).as('tags'),
    ])
    .$if(!byDue, (qb) => qb.orderBy('p.last_message_at', 'desc').orderBy('p.id', 'desc'))
    .$if(byDue, (qb) => qb.orderBy('p.sort_key', 'asc').orderBy('p.id', 'asc'));
}

type PageRow = InferResult<ReturnType<typeof pageWithDetails>>[number];

/** SQLite's JSON functions return text; PostgreSQL's json comes parsed by the driver. */
const jsonRows = <T>(value: T[] | string): T[] => (typeof value === 'string' ? (JSON.parse(value) as T[]) : value);

function summaryOf(c: PageRow): ConversationSummary {
  return {
    id: c.id,
    subject: c.subject,
    status: c.status,
    // The list line is denormalised onto the conversation (refreshConversationLatest).
    fromAddress: c.last_from_addr,
    fromName: c.last_from_name,
    snippet: c.last_snippet,
    lastMessageAt: c.last_message_at,
    mailboxIds: jsonRows(c.mailboxes).map((m) => m.mailbox_id),
    customerName: c.customer_name,
    company: c.company_name,
    country: c.customer_country ?? c.company_country,
    assignee: c.assignee_id ? { id: c.assignee_id, name: c.assignee_name ?? '' } : null,
    tags: jsonRows(c.tags).map((t) => t.name),
    priority: c.priority,
    sla: c.sla_phase
      ? {
          phase: c.sla_phase,
          dueAt: c.sla_due_at === null ? null : Number(c.sla_due_at),
          warnAt: c.sla_warn_at === null ? null : Number(c.sla_warn_at),
          paused: c.sla_running_since === null,
        }
      : null,
  };
}
