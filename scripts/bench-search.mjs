#!/usr/bin/env node
// `node scripts/bench-search.mjs [--scale 20000] [--runs 50] [--engine sqlite|postgres|both] [--explain] [--keep]`
//
// Full-text search figures (server/src/modules/search) on this machine: builds N synthetic
// trade mails (English, Chinese and mixed, 2–5 KB bodies, generated deterministically),
// stores and indexes them in transactions of 500, then times searchMessages() — the whole
// path: query parsing, SQL, driver — 50 times per query after 3 warm-up runs.
// Ground truth by construction: 'shipment' in ~74% of mails, 'LED' ~40%, 报价 ~30%,
// 样品 ~8%, 'tungsten' ~1%, 钨钢刀 ~1% (so 钨钢 and 钨 ~1%); the filler vocabulary never forms them.
//
// SQLite runs in a temp dir. PostgreSQL runs when DATABASE_URL is set: the bench creates a
// scratch database `pier_bench_<random>` on that server (the role needs CREATEDB) and drops it
// at the end (--keep leaves it, and the SQLite dir, for inspection). Run
// `node scripts/build.mjs --quiet` first. The last line printed is one JSON object.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { arg, flag, percentile, prng, root, round as roundTo } from './bench/lib.mjs';

const dist = (p) => import(path.join(root, 'server/dist', p));
const { openDatabase } = await dist('db/database.js');
const { migrateToLatest } = await dist('db/migrate.js');
const { newId } = await dist('db/ids.js');
const { defaultSearchTuning, indexMessage, searchMessages, toQuery } = await dist('modules/search/index.js');
const { toFts5Match, toTsquerySource } = await dist('modules/search/search-text.js');
const { sql } = await import('kysely');
const { default: pg } = await import('pg');

const scale = Number(arg('scale', 20000));
const runs = Number(arg('runs', 50));
const explain = flag('explain');
const keep = flag('keep');
const engineArg = arg('engine', 'both');
const wantSqlite = engineArg === 'both' || engineArg === 'sqlite';
const wantPostgres = (engineArg === 'both' || engineArg === 'postgres') && Boolean(process.env.DATABASE_URL);
const batchSize = 500;

// ---------------------------------------------------------------- deterministic corpus
const english = `we you our your the a of to and in for on with by at from as is are will be please kindly confirm attached find
regarding following order purchase quantity pieces carton cartons pallet pallets warehouse factory production delivery schedule lead time
port loading discharge vessel booking bill lading insurance certificate origin inspection quality defect warranty price prices discount
terms incoterms fob cif exw ddp payment deposit balance letter credit bank transfer invoice proforma container freight forwarder customs
clearance sample approval drawing specification model color size material stainless steel aluminium plastic panel lamp power supply driver
voltage warranty packing label barcode catalogue exhibition visit meeting call email address company manager purchasing sales department
next week month today tomorrow urgent asap thanks regards best dear sir madam team colleague customer supplier buyer seller agent market
stock ready mass bulk trial mould tooling cost unit total amount usd rmb euro exchange rate tax duty vat tracking courier express air sea
rail truck eta etd arrival departure delay update status problem solution replacement refund claim complaint feedback review report`
  .split(/\s+/)
  .filter(Boolean);
// No word contains 报, 价, 钨, 样 or 锂, and none starts with 刀: the markers' bigrams occur only where placed.
const chinese =
  `您好 我们 贵司 订单 数量 交货 期限 付款 方式 定金 尾款 信用证 海运 空运 快递 集装箱 货代 清关 发票 形式发票 合同 工厂 生产 质量
检验 包装 纸箱 托盘 仓库 港口 装运 提单 保险 原产地 证书 客户 产品 型号 规格 颜色 尺寸 材料 不锈钢 铝合金 塑料 面板 灯具 电源 确认 请 尽快
回复 谢谢 安排 下周 本月 折扣 优惠 批量 库存 现货 定制 图纸 设计 认证 测试 物流 运费 关税 汇率 美元 人民币 银行 转账 收到 附件 资料 目录 新品
展会 参观 会议 联系 电话 邮件 地址 公司 经理 采购 销售 部门 的 了 是 在 和 有 这 个 也 就 都 会 可以 需要 已经 问题 时间 情况 更新 延迟 到达`
    .split(/\s+/)
    .filter(Boolean);

const pick = (rand, list) => list[Math.floor(rand() * list.length)];

function englishSentence(rand) {
  const words = Array.from({ length: 6 + Math.floor(rand() * 12) }, () => pick(rand, english));
  const s = words.join(' ');
  return `${s[0].toUpperCase()}${s.slice(1)}${rand() < 0.15 ? '?' : '.'}`;
}
function chineseSentence(rand) {
  return `${Array.from({ length: 5 + Math.floor(rand() * 10) }, () => pick(rand, chinese)).join('')}${rand() < 0.3 ? '，' : '。'}`;
}

const markers = [
  { name: 'shipment', share: 0.74, text: 'shipment', lang: 'en' },
  { name: 'LED', share: 0.4, text: 'LED', lang: 'en' },
  { name: '报价', share: 0.3, text: '报价', lang: 'zh' },
  { name: '样品', share: 0.08, text: '样品', lang: 'zh' },
  { name: 'tungsten', share: 0.01, text: 'tungsten', lang: 'en' },
  { name: '钨钢刀', share: 0.01, text: '钨钢刀', lang: 'zh' },
];
const truth = Object.fromEntries(markers.map((m) => [m.name, 0]));
const start = Date.UTC(2023, 0, 1);
const span = 3 * 365 * 86_400_000;

/** Mail i: a date anywhere in three years (indexed in random date order), 2–5 KB of text. */
function makeMail(i) {
  const rand = prng(i * 2654435761 + 1);
  const kind = rand(); // 40% English, 40% Chinese, 20% both
  const targetBytes = 2048 + Math.floor(rand() * 3072);
  const sentences = [];
  let bytes = 0;
  while (bytes < targetBytes) {
    const zh = kind < 0.4 ? false : kind < 0.8 ? true : rand() < 0.5;
    const s = zh ? chineseSentence(rand) : englishSentence(rand);
    sentences.push(s);
    bytes += Buffer.byteLength(s) + 1;
  }
  for (const m of markers) {
    if (rand() >= m.share) continue;
    truth[m.name]++;
    const at = Math.floor(rand() * sentences.length);
    sentences[at] = m.lang === 'zh' ? `${sentences[at]}${m.text}` : `${sentences[at]} ${m.text}`;
  }
  const buyer = Math.floor(rand() * 5000);
  const box = rand();
  return {
    receivedAt: start + Math.floor(rand() * span),
    subject: kind < 0.4 ? englishSentence(rand).slice(0, 60) : chineseSentence(rand).slice(0, 30),
    body: sentences.join(rand() < 0.5 ? ' ' : '\n'),
    participants: [`Buyer ${buyer} <buyer${buyer}@customer${buyer % 300}.test>`, 'sales@acme.test'],
    attachmentNames: rand() < 0.3 ? [rand() < 0.5 ? `PI-2026-${i}.pdf` : '产品目录.pdf'] : [],
    // Mailboxes: sales 70%, info 25%, accounting 5%; one mail in ten also reached a second one.
    mailboxes: [box < 0.7 ? 0 : box < 0.95 ? 1 : 2, ...(rand() < 0.1 ? [box < 0.7 ? 1 : 0] : [])],
  };
}

// ---------------------------------------------------------------- load
async function load(handle) {
  const { db, engine } = handle;
  await migrateToLatest(db);
  const now = Date.now();
  const mailboxIds = [];
  for (const name of ['sales', 'info', 'accounting']) {
    const id = newId();
    mailboxIds.push(id);
    await db
      .insertInto('mailboxes')
      .values({ id, address: `${name}@acme.test`, display_name: name, purpose: name, status: 'active', created_at: now, updated_at: now })
      .execute();
  }
  for (const key of Object.keys(truth)) truth[key] = 0;
  const t0 = performance.now();
  let textBytes = 0;
  for (let first = 0; first < scale; first += batchSize) {
    const mails = [];
    for (let i = first; i < Math.min(first + batchSize, scale); i++) mails.push({ id: newId(), ...makeMail(i) });
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('messages')
        .values(
          mails.map((m) => ({
            id: m.id,
            identity: m.id,
            message_id_header: `<${m.id}@customer.test>`,
            raw_sha256: '0'.repeat(64),
            raw_size: m.body.length,
            direction: 'in',
            from_addr: 'buyer@customer.test',
            from_name: null,
            to_addrs: '[]',
            cc_addrs: '[]',
            subject: m.subject,
            sent_at: m.receivedAt,
            received_at: m.receivedAt,
            in_reply_to: null,
            references_json: '[]',
            snippet: m.body.slice(0, 200),
            parse_status: 'ok',
            parse_error: null,
            created_at: now,
          })),
        )
        .execute();
      await trx
        .insertInto('message_locations')
        .values(
          mails.flatMap((m) =>
            m.mailboxes.map((b) => ({
              id: newId(),
              message_id: m.id,
              mailbox_id: mailboxIds[b],
              folder_path: '',
              uid: null,
              source: 'import',
              seen_at: now,
            })),
          ),
        )
        .execute();
      for (const m of mails) {
        textBytes += Buffer.byteLength(m.body);
        await indexMessage(trx, engine, { ...m, messageId: m.id });
      }
    });
    if (process.stderr.isTTY) process.stderr.write(`\r[bench-search] ${engine}: ${Math.min(first + batchSize, scale)}/${scale}`);
  }
  if (process.stderr.isTTY) process.stderr.write('\n');
  const seconds = (performance.now() - t0) / 1000;
  // What autovacuum/autoanalyze do soon after a bulk load: flush the GIN pending list and gather
  // the lexeme statistics the planner uses to choose between the sort_key walk and the bitmap.
  if (engine === 'postgres') await sql`vacuum analyze`.execute(db);
  return { mailboxIds, seconds, textBytes };
}

// ---------------------------------------------------------------- measure
const round = (n) => roundTo(n, 2);

function queries(mailboxIds) {
  return [
    { name: 'rare English word', query: 'tungsten' },
    { name: 'common English word, newest 50', query: 'shipment' },
    { name: '3-char Chinese', query: '钨钢刀' },
    { name: '2-char Chinese, common', query: '报价' },
    { name: '2-char Chinese, medium', query: '样品' },
    { name: '2-char Chinese, rare', query: '钨钢' },
    { name: 'mixed "LED 报价"', query: 'LED 报价' },
    { name: 'common AND rare', query: 'shipment tungsten' },
    { name: '1-char Chinese, common', query: '钢' },
    { name: '1-char Chinese, rare', query: '钨' },
    { name: 'prefix ship*', query: 'ship*' },
    { name: 'prefix con*', query: 'con*' },
    { name: 'phrase "please confirm"', query: '"please confirm"' },
    { name: 'no match', query: 'zyxwvut' },
    { name: 'common word, 5% mailbox', query: 'shipment', mailboxIds: [mailboxIds[2]] },
    { name: 'rare word, 2 of 3 mailboxes', query: 'tungsten', mailboxIds: [mailboxIds[1], mailboxIds[2]] },
  ];
}

async function measure(handle, mailboxIds) {
  const results = [];
  // Other work on the machine shows up in the latencies: the 1-minute load average is reported.
  results.loadBefore = round(loadavg()[0]);
  // Counts the statements one search runs: on PostgreSQL 1 means the recent walk filled the page.
  let statements = 0;
  const counted = handle.db.withPlugin({
    transformQuery: ({ node }) => {
      statements++;
      return node;
    },
    transformResult: async ({ result }) => result,
  });
  for (const q of queries(mailboxIds)) {
    const request = { query: q.query, limit: 50, mailboxIds: q.mailboxIds ?? 'all' };
    let hits = 0;
    for (let i = 0; i < 3; i++) hits = (await searchMessages(handle.db, handle.engine, request)).length;
    const times = [];
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await searchMessages(handle.db, handle.engine, request);
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    statements = 0;
    await searchMessages(counted, handle.engine, request);
    results.push({ name: q.name, query: q.query, hits, statements, p50: round(percentile(times, 50)), p95: round(percentile(times, 95)) });
    if (explain) console.log(`\n--- ${handle.engine}: ${q.name} (${statements} statements)\n${await plan(handle, request)}`);
  }
  results.loadAfter = round(loadavg()[0]);
  return results;
}

/** Plans of the statements searchMessages runs (rebuilt here with the same SQL shapes). */
async function plan(handle, request) {
  const terms = toQuery(request.query);
  const filter = (col) =>
    request.mailboxIds === 'all'
      ? sql``
      : sql`and exists (select 1 from message_locations l where l.message_id = ${sql.ref(col)} and l.mailbox_id in (${sql.join(request.mailboxIds)}))`;
  const text = (rows) => rows.rows.map((r) => r['QUERY PLAN']).join('\n');
  if (handle.engine === 'postgres') {
    const exact = toTsquerySource(terms);
    const loose = toTsquerySource(
      terms.flatMap((t) => t.tokens.map((token, i) => ({ tokens: [token], prefix: t.prefix && i === t.tokens.length - 1 }))),
    );
    const walk = await sql`explain (analyze, buffers, costs off)
      (select w.message_id, w.sort_key, false from (
        select message_id, sort_key, doc from message_search order by sort_key desc limit ${defaultSearchTuning.recentWindow}
      ) w where w.doc @@ to_tsquery('simple', ${exact}) ${filter('w.message_id')}
      order by w.sort_key desc limit 50)
      union all
      (select null, sort_key, true from message_search order by sort_key desc offset ${defaultSearchTuning.recentWindow - 1} limit 1)`.execute(
      handle.db,
    );
    const gin = await handle.db.transaction().execute(async (trx) => {
      await sql`select set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true)`.execute(trx);
      return sql`explain (analyze, buffers, costs off)
        select c.message_id, c.sort_key from (
          select message_id, sort_key, doc from message_search where doc @@ to_tsquery('simple', ${loose}) order by sort_key desc offset 0
        ) c where true ${terms.some((t) => t.tokens.length > 1) ? sql`and c.doc @@ to_tsquery('simple', ${exact})` : sql``} ${filter('c.message_id')}
        order by c.sort_key desc limit 50`.execute(trx);
    });
    return `recent walk:\n${text(walk)}\nGIN path:\n${text(gin)}`;
  }
  const rows = await sql`explain query plan
    select k.message_id, message_search.rowid from message_search cross join message_search_keys k on k.sort_key = message_search.rowid
    where message_search match ${toFts5Match(terms)} ${filter('k.message_id')}
    order by message_search.rowid desc limit 50`.execute(handle.db);
  return rows.rows.map((r) => r.detail).join('\n');
}

// ---------------------------------------------------------------- engines
async function withAdmin(url, run) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

async function benchSqlite() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pier-bench-search-'));
  const handle = openDatabase({ databaseUrl: undefined, dataDir });
  try {
    const loaded = await load(handle);
    const file = path.join(dataDir, 'pier.sqlite');
    await sql`pragma wal_checkpoint(truncate)`.execute(handle.db);
    const version = (await sql`select sqlite_version() as v`.execute(handle.db)).rows[0].v;
    const indexBytes = (await sql`select sum(pgsize) as b from dbstat where name like 'message_search%'`.execute(handle.db)).rows[0]?.b;
    return {
      engine: 'sqlite',
      version,
      ...loaded,
      dbBytes: statSync(file).size,
      indexBytes,
      queries: await measure(handle, loaded.mailboxIds),
    };
  } finally {
    await handle.close();
    if (keep) console.error(`[bench-search] kept ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
}

async function benchPostgres() {
  const adminUrl = process.env.DATABASE_URL;
  const name = `pier_bench_${randomBytes(4).toString('hex')}`;
  await withAdmin(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pier-bench-search-'));
  const handle = openDatabase({ databaseUrl: url.toString(), dataDir });
  try {
    const loaded = await load(handle);
    const version = (await sql`show server_version`.execute(handle.db)).rows[0].server_version;
    const sizes = (
      await sql`select pg_database_size(current_database()) as db,
        pg_total_relation_size('message_search') + pg_total_relation_size('message_search_keys') as idx`.execute(handle.db)
    ).rows[0];
    return {
      engine: 'postgres',
      version,
      ...loaded,
      dbBytes: sizes.db,
      indexBytes: sizes.idx,
      queries: await measure(handle, loaded.mailboxIds),
    };
  } finally {
    await handle.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (keep) console.error(`[bench-search] kept database ${name}`);
    else await withAdmin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  }
}

// ---------------------------------------------------------------- report
const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? '?', memGB: Math.round(totalmem() / 2 ** 30), node: process.version };
const reports = [];
if (wantSqlite) reports.push(await benchSqlite());
if (wantPostgres) reports.push(await benchPostgres());
if (!process.env.DATABASE_URL && engineArg !== 'sqlite') console.error('[bench-search] DATABASE_URL not set: PostgreSQL skipped');

const mb = (n) => `${Math.round(Number(n) / 2 ** 20)} MB`;
console.log(`\nsearch bench: ${scale} mails, ${runs} runs per query, limit 50, newest first`);
console.log(`machine: ${machine.cpus} × ${machine.cpu}, ${machine.memGB} GB, Node ${machine.node}`);
console.log(
  `ground truth: ${Object.entries(truth)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')}`,
);
for (const r of reports) {
  console.log(
    `\n${r.engine} ${r.version}: indexed ${scale} mails (${mb(r.textBytes)} of body text) in ${round(r.seconds)} s = ${Math.round(scale / r.seconds)} mails/s; database ${mb(r.dbBytes)}, search index ${mb(r.indexBytes)}; load average ${r.queries.loadBefore} → ${r.queries.loadAfter} while querying`,
  );
  console.log(`  ${'query'.padEnd(34)} ${'hits'.padStart(5)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ${'stmts'.padStart(6)}`);
  for (const q of r.queries) {
    console.log(
      `  ${q.name.padEnd(34)} ${String(q.hits).padStart(5)} ${q.p50.toFixed(2).padStart(8)} ${q.p95.toFixed(2).padStart(8)} ${String(q.statements).padStart(6)}${q.p95 > 30 ? '  > 30 ms' : ''}`,
    );
  }
}
console.log(
  JSON.stringify({
    bench: 'search',
    scale,
    runs,
    machine,
    truth,
    engines: reports.map((r) => ({
      engine: r.engine,
      version: r.version,
      indexSeconds: round(r.seconds),
      mailsPerSecond: Math.round(scale / r.seconds),
      dbBytes: Number(r.dbBytes),
      indexBytes: Number(r.indexBytes),
      loadAverage: [r.queries.loadBefore, r.queries.loadAfter],
      queries: r.queries,
    })),
  }),
);
