import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Engine } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { toFts5Match, toQuery, toTsquerySource } from './search-text.js';

export type SearchRequest = {
  query: string;
  /** Page size; clamped to 1..200. */
  limit: number;
  /** The last sortKey of the previous page: returns only older matches. */
  before?: number;
  /** Mailboxes the reader may see; a message matches if it was seen in any of them. */
  mailboxIds: 'all' | string[];
  /** Search as you type: the last unquoted word also matches as a prefix. */
  prefixLastTerm?: boolean;
};

export type SearchHit = { messageId: string; sortKey: number };

const maxLimit = 200;

/**
 * Matching messages, newest first, without sorting the matches: both engines walk their
 * index in descending sort_key order and stop after `limit` rows that pass the mailbox
 * filter (FTS5 natively; on PostgreSQL the planner walks the sort_key btree backwards for
 * common words and takes the GIN bitmap then a top-N sort for rare ones).
 */
export async function searchMessages(db: Kysely<Database>, engine: Engine, request: SearchRequest): Promise<SearchHit[]> {
  const terms = toQuery(request.query, { prefixLastTerm: request.prefixLastTerm === true });
  if (terms.length === 0) return [];
  if (request.mailboxIds !== 'all' && request.mailboxIds.length === 0) return [];
  const limit = Math.min(Math.max(Math.floor(request.limit), 1), maxLimit);
  const before = request.before !== undefined && Number.isSafeInteger(request.before) ? request.before : undefined;

  // EXISTS per candidate row (an index lookup on message_locations(message_id, …)) rather than a
  // join: a join could multiply rows and would let the planner start from the locations.
  const inMailboxes = (messageId: RawBuilder<unknown>) =>
    request.mailboxIds === 'all'
      ? sql``
      : sql`and exists (select 1 from message_locations l
          where l.message_id = ${messageId} and l.mailbox_id in (${sql.join(request.mailboxIds)}))`;

  if (engine === 'postgres') {
    const result = await sql<SearchHit>`
      select s.message_id as "messageId", s.sort_key as "sortKey"
      from message_search s
      where s.doc @@ to_tsquery('simple', ${toTsquerySource(terms)})
        ${before !== undefined ? sql`and s.sort_key < ${before}` : sql``}
        ${inMailboxes(sql.ref('s.message_id'))}
      order by s.sort_key desc
      limit ${limit}`.execute(db);
    return result.rows;
  }
  // CROSS JOIN fixes the FTS5 table as the outer loop, so its descending-rowid walk is the
  // order of the result (no sort step) and each row costs two index lookups.
  const result = await sql<SearchHit>`
    select k.message_id as "messageId", message_search.rowid as "sortKey"
    from message_search cross join message_search_keys k on k.sort_key = message_search.rowid
    where message_search match ${toFts5Match(terms)}
      ${before !== undefined ? sql`and message_search.rowid < ${before}` : sql``}
      ${inMailboxes(sql.ref('k.message_id'))}
    order by message_search.rowid desc
    limit ${limit}`.execute(db);
  return result.rows;
}
