import { type Expression, type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Engine } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { type SearchTerm, toFts5Match, toQuery, toTsquerySource } from './search-text.js';

export type SearchRequest = {
  query: string;
  /** Page size; clamped to 1..200. */
  limit: number;
  /** The last sortKey of the previous page: returns only older matches. */
  before?: number;
  /** Mailboxes the reader may see; a message matches if it was seen in any of them. */
  mailboxIds: 'all' | string[];
  /**
   * More conditions on each candidate message (search-box filters: sender, dates, the
   * conversation's tags…), tested per row like the mailbox check so results stay newest first.
   */
  filter?: (messageId: RawBuilder<unknown>) => Expression<SqlBool>;
};

export type SearchHit = { messageId: string; sortKey: number };

/**
 * How PostgreSQL search chooses between walking the date index and the GIN index. Costs are
 * relative, measured on the 2-core reference machine at 200k mails: testing one row while
 * walking (detoasting a ~7 KB tsvector) ≈ 8–12 µs; one GIN candidate (bitmap heap fetch and
 * top-N sort) ≈ 0.4–0.6 µs.
 */
export type SearchTuning = {
  recentWindow: number;
  walkRowCost: number;
  ginCandidateCost: number;
  maxWalkWindow: number;
  /** Up to this many GIN candidates are fetched in one statement; more, in windows of time (searchPostgres). */
  ginAllAtOnce: number;
  /** The first window, in sort_key units (received_at ms × 1024); ×4 per round. */
  firstGinSpan: number;
};

export const defaultSearchTuning: SearchTuning = {
  recentWindow: 400,
  walkRowCost: 20,
  ginCandidateCost: 1,
  maxWalkWindow: 20_000,
  ginAllAtOnce: 300,
  firstGinSpan: 7 * 86_400_000 * 1024,
};

const maxLimit = 200;

/**
 * Matching messages, newest first, without sorting every match.
 *
 * SQLite: FTS5 walks the MATCH in descending rowid (= sort_key) order and the LIMIT stops it.
 *
 * PostgreSQL: a tsvector GIN index returns matches in no useful order, and the planner's
 * choice between it and walking the sort_key btree rests on lexeme statistics that are exact
 * for common words but guesses for rare ones: at 200k mails it walked the whole table for a
 * word that occurs nowhere (2.4 s). So the choice is made here, from what is measured:
 * 1. walk the newest `recentWindow` rows (a bounded plan): a common word fills the page here;
 * 2. otherwise compare the cost of walking on at the observed hit rate with the planner's
 *    estimate of the GIN candidates, and walk a bounded window further or
 * 3. take every GIN candidate (lexemes AND-ed: exact without positions), sort the keys, and
 *    test phrases and mailboxes lazily in that order until the page is full.
 */
export async function searchMessages(
  db: Kysely<Database>,
  engine: Engine,
  request: SearchRequest,
  tuning: SearchTuning = defaultSearchTuning,
): Promise<SearchHit[]> {
  const terms = toQuery(request.query);
  if (terms.length === 0) return [];
  if (request.mailboxIds !== 'all' && request.mailboxIds.length === 0) return [];
  const limit = Math.min(Math.max(Math.floor(request.limit), 1), maxLimit);
  const before = request.before !== undefined && Number.isSafeInteger(request.before) ? request.before : undefined;
  const query = { terms, limit, before, mailboxIds: request.mailboxIds, filter: request.filter };
  return engine === 'postgres' ? searchPostgres(db, query, tuning) : searchSqlite(db, query);
}

type PreparedSearch = {
  terms: SearchTerm[];
  limit: number;
  before: number | undefined;
  mailboxIds: 'all' | string[];
  filter: SearchRequest['filter'];
};

function extra(q: PreparedSearch, messageId: RawBuilder<unknown>) {
  return q.filter ? sql`and ${q.filter(messageId)}` : sql``;
}

// EXISTS per candidate row (an index probe on message_locations(message_id, mailbox_id, …))
// rather than a join: a join could repeat a message seen in two mailboxes, and would let the
// planner start from the locations and lose the newest-first order.
function inMailboxes(mailboxIds: 'all' | string[], messageId: RawBuilder<unknown>) {
  return mailboxIds === 'all'
    ? sql``
    : sql`and exists (select 1 from message_locations l
        where l.message_id = ${messageId} and l.mailbox_id in (${sql.join(mailboxIds)}))`;
}

const olderThan = (column: RawBuilder<unknown>, key: number | undefined) => (key === undefined ? sql`` : sql`and ${column} < ${key}`);

async function searchSqlite(db: Kysely<Database>, q: PreparedSearch): Promise<SearchHit[]> {
  // CROSS JOIN fixes the FTS5 table as the outer loop, so its descending-rowid walk is the
  // order of the result (no sort step) and each row costs two index lookups.
  const result = await sql<SearchHit>`
    select k.message_id as "messageId", message_search.rowid as "sortKey"
    from message_search cross join message_search_keys k on k.sort_key = message_search.rowid
    where message_search match ${toFts5Match(q.terms)}
      ${olderThan(sql.ref('message_search.rowid'), q.before)}
      ${inMailboxes(q.mailboxIds, sql.ref('k.message_id'))}
      ${extra(q, sql.ref('k.message_id'))}
    order by message_search.rowid desc
    limit ${q.limit}`.execute(db);
  return result.rows;
}

async function searchPostgres(db: Kysely<Database>, q: PreparedSearch, tuning: SearchTuning): Promise<SearchHit[]> {
  const exact = toTsquerySource(q.terms);
  const recent = await walkWindow(db, q, exact, q.before, tuning.recentWindow, q.limit);
  const hits = recent.hits;
  // A full page, or fewer rows than the window: done either way.
  if (hits.length >= q.limit || recent.end === undefined) return hits;
  let boundary = recent.end;

  // Without positions a phrase's lexemes AND-ed are exact in GIN (no recheck of the tsvector).
  const loose = toTsquerySource(
    q.terms.flatMap((t) => t.tokens.map((token, i) => ({ tokens: [token], prefix: t.prefix && i === t.tokens.length - 1 }))),
  );
  const rate = hits.length / tuning.recentWindow;
  const need = q.limit - hits.length;
  const walkRows = rate > 0 ? Math.ceil(need / rate) : Number.POSITIVE_INFINITY;
  let candidates: number | undefined;
  if (walkRows <= tuning.maxWalkWindow) {
    const walkCost = walkRows * tuning.walkRowCost;
    candidates = await estimateCandidates(db, loose, boundary);
    // The GIN path tests a phrase on each candidate it passes: the walk's work, times the share of rows that are candidates.
    const recheckShare = q.terms.some((t) => t.tokens.length > 1) ? Math.min(1, candidates / (await estimateRows(db))) : 0;
    if (walkCost < candidates * tuning.ginCandidateCost + walkCost * recheckShare) {
      // Twice the expected distance, so a slightly sparser stretch still fills the page.
      const further = await walkWindow(db, q, exact, boundary, Math.min(2 * walkRows, tuning.maxWalkWindow), need);
      hits.push(...further.hits);
      if (hits.length >= q.limit || further.end === undefined) return hits;
      boundary = further.end;
    }
  }
  candidates ??= await estimateCandidates(db, loose, boundary);
  // Few candidates: fetch them all at once. Many (a common word, or one common in other mailboxes):
  // windows of time going back from the boundary, a week and then four times wider each round, so only
  // the candidates of the newest stretch are fetched (BitmapAnd of GIN and the sort_key btree). Fetching
  // every candidate read one heap page each: 样品 at 200k was 11,000 candidates, ~7,000 pages, 120 ms.
  let span = candidates <= tuning.ginAllAtOnce ? undefined : tuning.firstGinSpan;
  // After five widenings (a week → ~20 years by default) the last round takes the rest.
  const lastSpan = tuning.firstGinSpan * 4 ** 5;
  while (hits.length < q.limit) {
    const lower = span === undefined ? undefined : boundary - span;
    hits.push(...(await searchGin(db, q, exact, loose, boundary, lower, q.limit - hits.length)));
    if (lower === undefined || lower <= 0) break;
    boundary = lower;
    span = span !== undefined && span < lastSpan ? span * 4 : undefined;
  }
  return hits;
}

/**
 * Matches among the `window` newest rows below `below` (a bounded walk whatever the planner
 * thinks), and the lowest key of that window when it was full. Both come from one statement,
 * hence one snapshot: mail stored or deleted meanwhile cannot shift the window's end so that a
 * row is tested twice or never.
 */
async function walkWindow(db: Kysely<Database>, q: PreparedSearch, exact: string, below: number | undefined, window: number, need: number) {
  const result = await sql<SearchHit & { isEnd: boolean }>`
    (select w.message_id as "messageId", w.sort_key as "sortKey", false as "isEnd"
      from (
        select message_id, sort_key, doc from message_search
        where true ${olderThan(sql.ref('sort_key'), below)}
        order by sort_key desc
        limit ${window}
      ) w
      where w.doc @@ to_tsquery('simple', ${exact})
        ${inMailboxes(q.mailboxIds, sql.ref('w.message_id'))}
        ${extra(q, sql.ref('w.message_id'))}
      order by w.sort_key desc
      limit ${need})
    union all
    (select null, sort_key, true from message_search
      where true ${olderThan(sql.ref('sort_key'), below)}
      order by sort_key desc
      offset ${window - 1} limit 1)`.execute(db);
  const hits = result.rows.filter((r) => !r.isEnd).map((r) => ({ messageId: r.messageId, sortKey: r.sortKey }));
  return { hits: hits.sort((a, b) => b.sortKey - a.sortKey), end: result.rows.find((r) => r.isEnd)?.sortKey };
}

/** The planner's estimate of GIN candidates: exact for common lexemes (statistics), generous for rare ones. */
async function estimateCandidates(db: Kysely<Database>, loose: string, below: number): Promise<number> {
  const result = await sql<{ 'QUERY PLAN': unknown }>`
    explain (format json)
    select 1 from message_search where doc @@ to_tsquery('simple', ${loose}) and sort_key < ${below}`.execute(db);
  const plan = result.rows[0]?.['QUERY PLAN'];
  const rows = Array.isArray(plan) ? (plan[0] as { Plan?: { 'Plan Rows'?: unknown } } | undefined)?.Plan?.['Plan Rows'] : undefined;
  return typeof rows === 'number' ? rows : Number.POSITIVE_INFINITY;
}

/** The planner's row count of the index table (-1 before its first ANALYZE, then counted as 1). */
async function estimateRows(db: Kysely<Database>): Promise<number> {
  const result = await sql<{ rows: number }>`select reltuples::float8 as rows from pg_class where oid = 'message_search'::regclass`.execute(
    db,
  );
  return Math.max(result.rows[0]?.rows ?? 1, 1);
}

/**
 * Every GIN candidate below `below` (and from `atLeast` on, if given), keys sorted, then phrases
 * and mailboxes tested lazily in that order. Run with sequential and plain index scans off: the planner would otherwise pick
 * a full scan (it does not count detoasting) or the btree walk this path exists to avoid.
 */
async function searchGin(
  db: Kysely<Database>,
  q: PreparedSearch,
  exact: string,
  loose: string,
  below: number,
  atLeast: number | undefined,
  need: number,
) {
  const hasPhrase = q.terms.some((t) => t.tokens.length > 1);
  const statement = sql<SearchHit>`
    select c.message_id as "messageId", c.sort_key as "sortKey"
    from (
      select message_id, sort_key, doc from message_search
      where doc @@ to_tsquery('simple', ${loose}) and sort_key < ${below}
        ${atLeast === undefined ? sql`` : sql`and sort_key >= ${atLeast}`}
      order by sort_key desc
      offset 0
    ) c
    where true
      ${hasPhrase ? sql`and c.doc @@ to_tsquery('simple', ${exact})` : sql``}
      ${inMailboxes(q.mailboxIds, sql.ref('c.message_id'))}
      ${extra(q, sql.ref('c.message_id'))}
    order by c.sort_key desc
    limit ${need}`;
  const ginOnly = sql`select set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)`;
  if (!db.isTransaction) {
    return db.transaction().execute(async (trx) => {
      await ginOnly.execute(trx);
      return (await statement.execute(trx)).rows;
    });
  }
  // Inside the caller's transaction: put its settings back for whatever it runs next.
  const saved = await sql<{ seq: string; idx: string }>`
    select current_setting('enable_seqscan') as seq, current_setting('enable_indexscan') as idx`.execute(db);
  await ginOnly.execute(db);
  const rows = (await statement.execute(db)).rows;
  const { seq = 'on', idx = 'on' } = saved.rows[0] ?? {};
  await sql`select set_config('enable_seqscan', ${seq}, true), set_config('enable_indexscan', ${idx}, true)`.execute(db);
  return rows;
}
