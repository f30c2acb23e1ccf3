import { type SqlBool, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../../src/compose.js';
import { newId } from '../../src/db/ids.js';
import { createMailbox } from '../../src/modules/mailboxes/index.js';
import {
  defaultSearchTuning,
  indexMessage,
  indexNewMessages,
  removeFromIndex,
  type SearchRequest,
  type SearchTuning,
  searchMessages,
  tieSlots,
} from '../../src/modules/search/index.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';

const day = 86_400_000;
const t0 = Date.UTC(2026, 0, 1);

describe.each(engines)('searching mail on %s', (engine) => {
  let database: TestDatabase;
  let ws: Workspace;
  let sales: string;
  let info: string;
  const ids: Record<string, string> = {};

  /** A minimal stored message, seen in the given mailboxes, indexed in the same transaction. */
  async function store(
    name: string,
    receivedAt: number,
    subject: string,
    body: string,
    mailboxIds: string[],
    attachments: string[] = [],
    id = newId(),
  ) {
    ids[name] = id;
    await ws.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('messages')
        .values({
          id,
          identity: `identity-${id}`,
          message_id_header: `<${name}@customer.test>`,
          raw_sha256: '0'.repeat(64),
          raw_size: body.length,
          direction: 'in',
          from_addr: 'maria@customer.test',
          from_name: 'Maria',
          to_addrs: '["sales@acme.test"]',
          cc_addrs: '[]',
          subject,
          sent_at: receivedAt,
          received_at: receivedAt,
          in_reply_to: null,
          references_json: '[]',
          snippet: body.slice(0, 200),
          parse_status: 'ok',
          parse_error: null,
          created_at: receivedAt,
          auth_results: null,
          language: null,
        })
        .execute();
      await trx
        .insertInto('message_locations')
        .values(
          mailboxIds.map((mailbox_id) => ({
            id: newId(),
            message_id: id,
            mailbox_id,
            folder_path: '',
            uid: null,
            source: 'smtp' as const,
            seen_at: receivedAt,
            folder_id: null,
          })),
        )
        .execute();
      await indexMessage(trx, engine, {
        messageId: id,
        receivedAt,
        subject,
        body,
        participants: ['Maria <maria@customer.test>', 'sales@acme.test'],
        attachmentNames: attachments,
      });
    });
    return id;
  }

  const search = async (query: string, options: Partial<SearchRequest> = {}) => {
    const hits = await searchMessages(ws.db, engine, { query, limit: 50, mailboxIds: 'all', ...options });
    const names = Object.fromEntries(Object.entries(ids).map(([name, id]) => [id, name]));
    return hits.map((h) => names[h.messageId] ?? h.messageId);
  };

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    ws = await openWorkspace({ ...database, secretKey: undefined });
    sales = (await createMailbox(ws.db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' })).id;
    info = (await createMailbox(ws.db, { address: 'info@acme.test', displayName: 'Info', purpose: 'inquiry' })).id;
    // Indexed out of date order, as an initial sync (newest first) followed by a backfill would.
    await store('quoteRequest', t0 + 5 * day, 'RFQ LED panel', '您好，请报价 LED 面板 600x600，数量 500 件。', [sales]);
    await store(
      'quoteSheet',
      t0 + 3 * day,
      'Re: RFQ',
      'Attached our 报价单 for the shipment of LED panels.',
      [sales],
      ['报价单_2026.xlsx'],
    );
    await store('reversed', t0 + 4 * day, '价报', 'The characters reversed, 价报, are not the word.', [sales]);
    await store('tools', t0 + 1 * day, '钨钢刀具', 'Tungsten carbide: 硬质钨钢刀 for CNC shipping.', [info]);
    await store('apart', t0 + 2 * day, 'Steel', '钢刀 and 钨钢 apart, never 钨钢 followed by 钢刀 in one word.', [info]);
    await store('sample', t0 + 6 * day, 'Samples shipped', 'Your samples (样品) shipped today by DHL; Café Müller signed.', [sales, info]);
  });
  afterAll(async () => {
    await ws?.close();
    await database?.drop();
  });

  it('finds English words in subject, body, participants and attachment names', async () => {
    expect(await search('shipment')).toEqual(['quoteSheet']);
    expect(await search('RFQ')).toEqual(['quoteRequest', 'quoteSheet']);
    expect(await search('maria@customer.test')).toHaveLength(6);
    expect(await search('xlsx')).toEqual(['quoteSheet']);
  });

  it('matches accents loosely, case-insensitively', async () => {
    expect(await search('cafe MULLER')).toEqual(['sample']);
  });

  it('matches a word prefix only when asked with *', async () => {
    expect(await search('ship*')).toEqual(['sample', 'quoteSheet', 'tools']);
    expect(await search('ship')).toEqual([]);
    expect(await search('pan*')).toEqual(['quoteRequest', 'quoteSheet']);
  });

  it('matches a quoted phrase only with its words together and in order', async () => {
    expect(await search('"LED panel"')).toEqual(['quoteRequest']);
    expect(await search('"panel LED"')).toEqual([]);
  });

  it('finds a 2-character Chinese word inside longer text but not reversed', async () => {
    expect(await search('报价')).toEqual(['quoteRequest', 'quoteSheet']);
    expect(await search('价报')).toEqual(['reversed']);
    expect(await search('样品')).toEqual(['sample']);
  });

  it('finds a 3-character Chinese word only with its characters in order', async () => {
    expect(await search('钨钢刀')).toEqual(['tools']);
    expect(await search('报价单')).toEqual(['quoteSheet']);
  });

  it('finds a single Chinese character anywhere in a run', async () => {
    expect(await search('刀')).toEqual(['apart', 'tools']);
  });

  it('combines English and Chinese terms with AND', async () => {
    expect(await search('LED 报价')).toEqual(['quoteRequest', 'quoteSheet']);
    expect(await search('600x600 报价')).toEqual(['quoteRequest']);
    expect(await search('tungsten 报价')).toEqual([]);
  });

  it('returns the newest first and pages with the before cursor', async () => {
    const all = await searchMessages(ws.db, engine, { query: 'maria', limit: 4, mailboxIds: 'all' });
    expect(all.map((h) => h.sortKey)).toEqual([...all.map((h) => h.sortKey)].sort((a, b) => b - a));
    const last = all[all.length - 1];
    if (!last) throw new Error('no hits');
    const next = await searchMessages(ws.db, engine, { query: 'maria', limit: 4, before: last.sortKey, mailboxIds: 'all' });
    expect([...all, ...next].map((h) => h.messageId)).toEqual(
      ['sample', 'quoteRequest', 'reversed', 'quoteSheet', 'apart', 'tools'].map((n) => ids[n]),
    );
  });

  it('hides mail from mailboxes the reader cannot see, and still fills the page from the others', async () => {
    expect(await search('maria', { mailboxIds: [info] })).toEqual(['sample', 'apart', 'tools']);
    expect(await search('报价', { mailboxIds: [info] })).toEqual([]);
    expect(await search('maria', { mailboxIds: [sales], limit: 2 })).toEqual(['sample', 'quoteRequest']);
    expect(await search('maria', { mailboxIds: [] })).toEqual([]);
  });

  it('returns the same hits whichever way PostgreSQL reaches them: recent walk, longer walk, GIN or GIN in windows', async () => {
    // Tiny windows and skewed costs force each path on a handful of mails; SQLite ignores tuning.
    const strategies: SearchTuning[] = [
      { ...defaultSearchTuning, recentWindow: 1, walkRowCost: 1, ginCandidateCost: 1e6, maxWalkWindow: 2 },
      { ...defaultSearchTuning, recentWindow: 1, walkRowCost: 1e6, ginCandidateCost: 1, maxWalkWindow: 20_000 },
      { ...defaultSearchTuning, recentWindow: 2, walkRowCost: 1, ginCandidateCost: 1e6, maxWalkWindow: 100 },
      // GIN candidates in widening windows of time (from 1 ms × 1024 on), not all at once.
      {
        ...defaultSearchTuning,
        recentWindow: 1,
        walkRowCost: 1e6,
        ginCandidateCost: 1,
        ginAllAtOnce: 0,
        firstGinSpan: 1024,
        ginSpanMargin: 0,
        ginWindowsPerStatement: 3,
      },
      // Windows of a day, ×4 (mails a day apart fall into different ones), and at most three of them before "the rest".
      {
        ...defaultSearchTuning,
        recentWindow: 1,
        walkRowCost: 1e6,
        ginCandidateCost: 1,
        ginAllAtOnce: 0,
        firstGinSpan: day * 1024,
        ginSpanMargin: 0,
        maxGinWindows: 3,
        ginWindowsPerStatement: 1,
      },
    ];
    const cases: Partial<SearchRequest>[] = [
      { query: 'maria', limit: 3 },
      { query: 'maria', limit: 50, mailboxIds: [info] },
      { query: '报价' },
      { query: '钨钢刀' },
      { query: '"LED panel"' },
      { query: 'ship* 钢', limit: 1 },
      { query: 'zyxwvut' },
    ];
    for (const c of cases) {
      const request: SearchRequest = { query: '', limit: 50, mailboxIds: 'all', ...c };
      const expected = await searchMessages(ws.db, engine, request, defaultSearchTuning);
      for (const tuning of strategies) {
        expect(await searchMessages(ws.db, engine, request, tuning)).toEqual(expected);
        await ws.db.transaction().execute(async (trx) => {
          expect(await searchMessages(trx, engine, request, tuning)).toEqual(expected);
        });
      }
    }
  });

  it.runIf(engine === 'postgres')('leaves no transaction or planner setting behind when the GIN path fails', async () => {
    const ginOnly = { ...defaultSearchTuning, recentWindow: 1, walkRowCost: 1e6, ginCandidateCost: 1, ginAllAtOnce: 0 };
    // The walk (one row: the newest match) passes the filter; the GIN path then fails on the next candidate.
    const newest = (await searchMessages(ws.db, engine, { query: 'maria', limit: 1, mailboxIds: 'all' }))[0]?.messageId ?? '';
    const failing: SearchRequest = {
      query: 'maria',
      limit: 50,
      mailboxIds: 'all',
      filter: (messageId) => sql<SqlBool>`1 / (case when ${messageId} = ${newest} then 1 else 0 end) = 1`,
    };
    await expect(searchMessages(ws.db, engine, failing, ginOnly)).rejects.toThrow(/division by zero/);
    // The pool hands out the connection it got back last: it must be usable and have its settings.
    for (let i = 0; i < 3; i++) {
      const settings = await sql<{ seq: string; jit: string }>`
        select current_setting('enable_seqscan') as seq, current_setting('jit') as jit`.execute(ws.db);
      expect(settings.rows[0]).toEqual({ seq: 'on', jit: 'on' });
    }
    expect(await search('maria', { limit: 1 })).toHaveLength(1);
  });

  it('replaces the previous entry when a message is indexed again, also under a new date', async () => {
    const id = ids.apart;
    if (!id) throw new Error('missing message');
    const doc = { messageId: id, subject: 'Steel', participants: [], attachmentNames: [] };
    await indexMessage(ws.db, engine, { ...doc, receivedAt: t0 + 2 * day, body: 'now about molybdenum only' });
    expect(await search('molybdenum')).toEqual(['apart']);
    expect(await search('钨钢')).toEqual(['tools']);
    await indexMessage(ws.db, engine, { ...doc, receivedAt: t0 + 9 * day, body: 'molybdenum again, 钨钢 too' });
    expect(await search('molybdenum')).toEqual(['apart']);
    expect(await search('钨钢')).toEqual(['apart', 'tools']);
    const keys = await ws.db.selectFrom('message_search_keys').select('sort_key').where('message_id', '=', id).execute();
    expect(keys).toHaveLength(1);
  });

  it.runIf(engine === 'postgres')('keeps a search document of a few KB in its row, also when rewritten (migration 0066)', async () => {
    // Every row a search tests reads its tsvector: out of line (TOAST) that was a probe and chunk reads per row.
    const toastRows = async () => {
      const toast = await sql<{ name: string }>`
        select reltoastrelid::regclass::text as name from pg_class where oid = 'message_search'::regclass`.execute(ws.db);
      const count = await sql<{ n: number }>`select count(*)::int as n from ${sql.raw(toast.rows[0]?.name ?? '')}`.execute(ws.db);
      return count.rows[0]?.n ?? -1;
    };
    // ~250 distinct words that barely compress: a ~5 KB tsvector, over the default ~2 KB threshold and under 8 KB.
    const body = Array.from({ length: 250 }, (_, i) => `w${((i * 2_654_435_761) >>> 0).toString(36)}`).join(' ');
    const before = await toastRows();
    const id = await store('big', t0 - 30 * day, 'big document', body, [info]);
    const size = await sql<{ n: number }>`select pg_column_size(doc)::int as n from message_search where message_id = ${id}`.execute(ws.db);
    expect(size.rows[0]?.n).toBeGreaterThan(3000);
    expect(await toastRows()).toBe(before);
    // Written before the migration (the default target moves it out), then indexed again as `search reindex` does: back in the row.
    await sql`alter table message_search reset (toast_tuple_target)`.execute(ws.db);
    const doc = { messageId: id, receivedAt: t0 - 30 * day, subject: 'big document', participants: [], attachmentNames: [] };
    try {
      await indexMessage(ws.db, engine, { ...doc, body: `${body} again` });
      expect(await toastRows()).toBeGreaterThan(before);
    } finally {
      await sql`alter table message_search set (toast_tuple_target = 8160)`.execute(ws.db);
    }
    await indexMessage(ws.db, engine, { ...doc, body });
    await sql`vacuum message_search`.execute(ws.db);
    expect(await toastRows()).toBe(before);
    expect(await search(`w${((249 * 2_654_435_761) >>> 0).toString(36)}`)).toEqual(['big']);
    // Out of the way of the tests after this one (its participants include Maria).
    await removeFromIndex(ws.db, engine, id);
  });

  it.runIf(engine === 'postgres')('caps the full-text index pending list every GIN search reads at 512 kB (migration 0082)', async () => {
    const options = await sql<{ reloptions: string[] | null }>`
      select reloptions from pg_class where oid = 'message_search_doc'::regclass`.execute(ws.db);
    expect(options.rows[0]?.reloptions).toEqual(['gin_pending_list_limit=512']);
  });

  it('gives messages received in the same millisecond distinct keys, even when their tie-breakers collide', async () => {
    const same = t0 + 7 * day;
    // These two ids hash to the same slot (606) of a millisecond: the second takes the next free one.
    const a = await store('twinA', same, 'twin', 'twin text', [sales], [], 'twin-178');
    const b = await store('twinB', same, 'twin', 'twin text', [sales], [], 'twin-224');
    const hits = await searchMessages(ws.db, engine, { query: 'twin', limit: 10, mailboxIds: 'all' });
    expect(hits.map((h) => h.messageId).sort()).toEqual([a, b].sort());
    const [first, second] = hits.map((h) => h.sortKey);
    expect(first).not.toBe(second);
    expect(hits.every((h) => Math.floor(h.sortKey / tieSlots) === same)).toBe(true);
  });

  it('keys a bulk batch that shares one millisecond, more mails than it has slots, in one go', async () => {
    // An IMAP import by APPEND gives thousands of mails one INTERNALDATE second.
    const same = t0 + 8 * day;
    const batch = Array.from({ length: 1200 }, (_, i) => `bulk-${i}`);
    await ws.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('messages')
        .values(
          batch.map((id) => ({
            id,
            identity: `identity-${id}`,
            raw_sha256: '0'.repeat(64),
            raw_size: 1,
            direction: 'in' as const,
            to_addrs: '[]',
            cc_addrs: '[]',
            subject: 'bulk',
            received_at: same,
            references_json: '[]',
            snippet: '',
            parse_status: 'ok' as const,
            created_at: same,
          })),
        )
        .execute();
      await trx
        .insertInto('message_locations')
        .values(
          batch.map((id) => ({
            id: `loc-${id}`,
            message_id: id,
            mailbox_id: sales,
            folder_path: '',
            uid: null,
            source: 'smtp' as const,
            seen_at: same,
            folder_id: null,
          })),
        )
        .execute();
      await indexNewMessages(
        trx,
        engine,
        batch.map((id) => ({
          messageId: id,
          receivedAt: same,
          texts: { subject: 'bulk', body: 'bulkword', participants: '', attachments: '', characters: '' },
        })),
      );
    });
    const keys = await ws.db.selectFrom('message_search_keys').select('sort_key').where('message_id', 'in', batch).execute();
    expect(keys).toHaveLength(batch.length);
    expect(new Set(keys.map((k) => k.sort_key)).size).toBe(batch.length);
    // Past the millisecond's 1024 slots the keys run into the next one, never further.
    expect(keys.every((k) => k.sort_key >= same * tieSlots && k.sort_key < (same + 2) * tieSlots)).toBe(true);
    const hits = await searchMessages(ws.db, engine, { query: 'bulkword', limit: 50, mailboxIds: 'all' });
    expect(hits).toHaveLength(50);
  });

  it('forgets a message removed from the index or deleted', async () => {
    await removeFromIndex(ws.db, engine, ids.sample ?? '');
    expect(await search('样品')).toEqual([]);
    await ws.db
      .deleteFrom('messages')
      .where('id', '=', ids.tools ?? '')
      .execute();
    expect(await search('钨钢刀')).toEqual([]);
    expect(
      await ws.db
        .selectFrom('message_search_keys')
        .select('message_id')
        .where('message_id', '=', ids.tools ?? '')
        .execute(),
    ).toEqual([]);
  });

  it('treats search syntax in user input as text and never fails on it', async () => {
    for (const query of [
      'NEAR(',
      'AND',
      'OR NOT',
      '"',
      '""',
      '"LED',
      '*',
      '-',
      '-LED',
      'LED*',
      "'; drop table messages; --",
      '\\',
      ':*',
      '!&|<->',
      '(',
      'a:b',
      '^x',
      '报价"*',
    ]) {
      await expect(searchMessages(ws.db, engine, { query, limit: 10, mailboxIds: 'all' })).resolves.toBeInstanceOf(Array);
    }
    expect(await search('-LED')).toEqual(await search('LED'));
    expect(await search('')).toEqual([]);
  });
});
