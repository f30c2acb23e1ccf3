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
 * top-N sort) ≈ 0.4–0.6 µs. Since migration 0066 keeps documents in their row, a walked row
 * costs ~0.8 µs of backend CPU instead of ~2.8 µs (2,000 rows: 1.7 against 5.7 ms, issue 20);
 * the ratio below was not measured again.
 */
export type SearchTuning = {
  recentWindow: number;
  walkRowCost: number;
  ginCandidateCost: number;
  maxWalkWindow: number;
  /** Up to this many GIN candidates are fetched in one go; more, in windows of time (ginWindows). */
  ginAllAtOnce: number;
  /** The shortest first window, in sort_key units (received_at ms × 1024); ×4 per further window. */
  firstGinSpan: number;
  /** The first window is sized to hold this many times the page's worth of candidates (readers' mailboxes, phrases and filters drop some). */
  ginSpanMargin: number;
  /** Windows in all, the last one "everything older". */
  maxGinWindows: number;
  /** Windows per statement after the first, which runs alone (UNION ALL branches, run in order until the page is full). */
  ginWindowsPerStatement: number;
};

export const defaultSearchTuning: SearchTuning = {
  recentWindow: 400,
  walkRowCost: 20,
  ginCandidateCost: 1,
  maxWalkWindow: 20_000,
  ginAllAtOnce: 300,
  firstGinSpan: 3_600_000 * 1024,
  ginSpanMargin: 2,
  maxGinWindows: 8,
  ginWindowsPerStatement: 2,
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
 * 3. take the GIN candidates (lexemes AND-ed: exact without positions) of the newest stretch of
 *    time (ginWindows), sort their keys, and test phrases and mailboxes lazily in that order
 *    until the page is full.
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
  let estimate = await estimateCandidates(db, loose, boundary);
  if (walkRows <= tuning.maxWalkWindow) {
    const walkCost = walkRows * tuning.walkRowCost;
    // The GIN path tests a phrase on each candidate it passes: the walk's work, times the share of rows that are candidates.
    const recheckShare = q.terms.some((t) => t.tokens.length > 1) ? Math.min(1, estimate.candidates / Math.max(estimate.rows, 1)) : 0;
    if (walkCost < estimate.candidates * tuning.ginCandidateCost + walkCost * recheckShare) {
      // Twice the expected distance, so a slightly sparser stretch still fills the page.
      const further = await walkWindow(db, q, exact, boundary, Math.min(2 * walkRows, tuning.maxWalkWindow), need);
      hits.push(...further.hits);
      if (hits.length >= q.limit || further.end === undefined) return hits;
      // Rare: the walk found the stretch sparser than expected; the GIN path takes the rest.
      estimate = { ...estimate, candidates: estimate.candidates * 2 };
      boundary = further.end;
    }
  }
  hits.push(
    ...(await searchGin(
      db,
      q,
      exact,
      loose,
      boundary,
      ginWindows(tuning, estimate.candidates, q.limit - hits.length, boundary, recent.floor),
      q.limit - hits.length,
      tuning,
    )),
  );
  return hits;
}

/**
 * The windows of time (sort_key ranges, newest first) in which GIN candidates are fetched, as
 * [lower bound | undefined for "everything older"]. Few candidates: one window, all of them.
 * Many: fetching them all read one heap page each (样品 at 200k: 11,000 candidates, ~7,000 pages,
 * 120 ms), so the first window is sized from the estimate to hold about `ginSpanMargin` times the
 * page (candidates spread evenly between the oldest key and the boundary), each further one four
 * times wider, the last one the rest. All run in one statement and stop at the page's end.
 */
function ginWindows(
  tuning: SearchTuning,
  candidates: number,
  need: number,
  boundary: number,
  floor: number | undefined,
): (number | undefined)[] {
  if (candidates <= tuning.ginAllAtOnce || floor === undefined || floor >= boundary) return [undefined];
  const expected = ((boundary - floor) * need) / Math.max(candidates, 1);
  let span = Math.max(tuning.firstGinSpan, Math.ceil(expected * tuning.ginSpanMargin));
  const windows: (number | undefined)[] = [];
  let lower = boundary - span;
  while (lower > floor && windows.length < tuning.maxGinWindows - 1) {
    windows.push(lower);
    span *= 4;
    lower -= span;
  }
  windows.push(undefined);
  return windows;
}

/**
 * Matches among the `window` newest rows below `below` (a bounded walk whatever the planner
 * thinks) and, when they do not fill the page, the lowest key of that window when it was full and
 * the table's lowest key (an index endpoint: what the GIN windows are sized against). All come from one statement, hence one
 * snapshot: mail stored or deleted meanwhile cannot shift the window's end so that a row is
 * tested twice or never.
 */
async function walkWindow(db: Kysely<Database>, q: PreparedSearch, exact: string, below: number | undefined, window: number, need: number) {
  // The window's end is read only when the hits do not fill the page (a one-time filter on the
  // materialised hits): the newest rows' heap pages are rarely all-visible, so the index-only
  // walk to the window's end fetched ~200 heap pages for every search that was already done.
  const result = await sql<SearchHit & { kind: 'hit' | 'end' | 'floor' }>`
    with hits as materialized (
      select w.message_id, w.sort_key
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
    (select message_id as "messageId", sort_key as "sortKey", 'hit' as kind from hits)
    union all
    (select null, sort_key, 'end' from message_search
      where (select count(*) from hits) < ${need} ${olderThan(sql.ref('sort_key'), below)}
      order by sort_key desc
      offset ${window - 1} limit 1)
    union all
    (select null, sort_key, 'floor' from message_search where (select count(*) from hits) < ${need} order by sort_key limit 1)`.execute(db);
  const hits = result.rows.filter((r) => r.kind === 'hit').map((r) => ({ messageId: r.messageId, sortKey: r.sortKey }));
  return {
    hits: hits.sort((a, b) => b.sortKey - a.sortKey),
    end: result.rows.find((r) => r.kind === 'end')?.sortKey,
    floor: result.rows.find((r) => r.kind === 'floor')?.sortKey,
  };
}

/**
 * The planner's estimates, from one EXPLAIN: GIN candidates below `below` (exact for common
 * lexemes, from the statistics; generous for rare ones) and all rows below it.
 */
async function estimateCandidates(db: Kysely<Database>, loose: string, below: number): Promise<{ candidates: number; rows: number }> {
  const result = await sql<{ 'QUERY PLAN': unknown }>`
    explain (format json)
    select 1 from message_search where doc @@ to_tsquery('simple', ${loose}) and sort_key < ${below}
    union all
    select 1 from message_search where sort_key < ${below}`.execute(db);
  type Node = { 'Plan Rows'?: unknown; Plans?: Node[] };
  const plan = result.rows[0]?.['QUERY PLAN'];
  const children = Array.isArray(plan) ? ((plan[0] as { Plan?: Node } | undefined)?.Plan?.Plans ?? []) : [];
  const rowsOf = (node: Node | undefined) => (typeof node?.['Plan Rows'] === 'number' ? node['Plan Rows'] : Number.POSITIVE_INFINITY);
  return { candidates: rowsOf(children[0]), rows: rowsOf(children[1]) };
}

/**
 * The GIN candidates below `below`, window by window (`windows`: lower bounds, newest first;
 * undefined = everything older), keys sorted within each window, then phrases and mailboxes
 * tested lazily in that order. One statement: a UNION ALL runs its branches in order and the
 * LIMIT stops it, so the windows after the one that fills the page are never read.
 * Run with sequential and plain index scans off (the planner would otherwise pick a full scan or
 * the btree walk this path exists to avoid: its statistics end at the last ANALYZE, so it
 * underestimates the newest windows), parallel plans off (branches would interleave) and JIT off
 * (a dozen branches' summed cost passes its threshold; compiling costs more than the query).
 */
async function searchGin(
  db: Kysely<Database>,
  q: PreparedSearch,
  exact: string,
  loose: string,
  below: number,
  windows: (number | undefined)[],
  need: number,
  tuning: SearchTuning,
) {
  const hasPhrase = q.terms.some((t) => t.tokens.length > 1);
  const branch = (upper: number, atLeast: number | undefined) => sql`(select c.message_id as "messageId", c.sort_key as "sortKey"
      from (
        select message_id, sort_key, doc from message_search
        where doc @@ to_tsquery('simple', ${loose}) and sort_key < ${upper}
          ${atLeast === undefined ? sql`` : sql`and sort_key >= ${atLeast}`}
        order by sort_key desc
        offset 0
      ) c
      where true
        ${hasPhrase ? sql`and c.doc @@ to_tsquery('simple', ${exact})` : sql``}
        ${inMailboxes(q.mailboxIds, sql.ref('c.message_id'))}
        ${extra(q, sql.ref('c.message_id'))}
      order by c.sort_key desc)`;
  // Planning a branch costs ~1 ms (its filters join conversations): eight in one statement planned
  // ~10 ms, more than the windows it saved. So `ginWindowsPerStatement` at a time, in one transaction.
  const run = async (executor: Kysely<Database>) => {
    const hits: SearchHit[] = [];
    // The first window alone: it is sized to fill the page, and usually does (planning the next one
    // with it cost ~0.5 ms for nothing); the rest `ginWindowsPerStatement` at a time.
    for (let first = 0, size = 1; first < windows.length && hits.length < need; first += size, size = tuning.ginWindowsPerStatement) {
      const chunk = windows.slice(first, first + size);
      const branches = chunk.map((atLeast, i) => branch((first + i === 0 ? below : windows[first + i - 1]) as number, atLeast));
      const statement = sql<SearchHit>`select "messageId", "sortKey" from (${sql.join(branches, sql` union all `)}) u
        limit ${need - hits.length}`;
      hits.push(...(await statement.execute(executor)).rows);
    }
    return hits;
  };
  const settings = [
    ['enable_seqscan', 'off'],
    ['enable_indexscan', 'off'],
    ['max_parallel_workers_per_gather', '0'],
    ['jit', 'off'],
  ] as const;
  if (!db.isTransaction) {
    // BEGIN and the settings in one round trip (a parameterless multi-statement text): on a loaded
    // node each round trip waits for the scheduler, and this path is otherwise four of them.
    const begin = `begin; select ${settings.map(([name, value]) => `set_config('${name}', '${value}', true)`).join(', ')}`;
    return db.connection().execute(async (connection) => {
      await sql.raw(begin).execute(connection);
      try {
        const rows = await run(connection);
        await sql`commit`.execute(connection);
        return rows;
      } catch (error) {
        await sql`rollback`.execute(connection);
        throw error;
      }
    });
  }
  // Inside the caller's transaction: put its settings back for whatever it runs next.
  const apply = (values: readonly string[]) =>
    sql`select ${sql.join(settings.map(([name], i) => sql`set_config(${name}, ${values[i]}, true)`))}`;
  const saved = await sql<{ values: string[] }>`
    select array[${sql.join(settings.map(([name]) => sql`current_setting(${name})`))}] as values`.execute(db);
  await apply(settings.map(([, value]) => value)).execute(db);
  const rows = await run(db);
  await apply(saved.rows[0]?.values ?? ['on', 'on', '2', 'on']).execute(db);
  return rows;
}
