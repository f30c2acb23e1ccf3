#!/usr/bin/env node
// `node scripts/bench/search-cpu.mjs DIST DATABASE_URL [REPS] [--log]` (issue 20, decision 0005): on a database kept by
// `npm run bench:api -- --engine postgres --keep`, lists each of bench:api's eight searches REPS times through
// DIST/modules/conversations listConversations (as its agent: two of three mailboxes) on one connection, and prints
// per query the statements, the shared buffers of the search statements (each re-run under EXPLAIN (ANALYZE, BUFFERS)
// with the planner settings it ran with), the buffers of the listing's other statements (the page and what it shows)
// and the PostgreSQL backend's user/sys CPU per listing, read from /proc (PostgreSQL on this machine), and this
// process's (Pier's code: Kysely, pg, the listing) user/sys CPU per listing. Two DIST builds (e.g. `npx tsc -p server/tsconfig.json --outDir DIR --tsBuildInfoFile
// /tmp/x`) give a before/after in one run, independent of the machine's load. PLANS=1 prints large plans.
import { readFileSync } from 'node:fs';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';

const [dist, url, reps = '10', logFlag] = process.argv.slice(2);
const { listConversations } = await import(`${dist}/modules/conversations/index.js`);
const pool = new pg.Pool({ connectionString: url, max: 1 });
let stmts = [];
const db = new Kysely({
  dialect: new PostgresDialect({ pool }),
  log: (e) => {
    if (e.level === 'query') stmts.push({ ms: e.queryDurationMillis, sql: e.query.sql, params: e.query.parameters });
  },
});
const c = await pool.connect();
const pid = (await c.query('select pg_backend_pid() p')).rows[0].p;
c.release();
const boxes = (await pool.query(`select id from mailboxes where address in ('sales@acme.test','accounting@acme.test')`)).rows.map(
  (r) => r.id,
);
const user = (await pool.query(`select id from users limit 1`)).rows[0]?.id ?? 'x';
const tick = () => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return { u: +f[11], s: +f[12] };
};
const queries = ['shipment', 'tungsten', 'catalogue', 'invoice deposit', '报价', '样品', '集装箱', 'RFQ panel'];
let tu = 0,
  ts = 0,
  tb = 0;
const searchSql = (s) => /message_search/.test(s) && !/^\s*explain/i.test(s);
// The listing's other reads (the page, its mailboxes, tags, people, customers, SLA), explained the same way.
const listingSql = (s) => !searchSql(s) && /^\s*(select|with)/i.test(s) && !/set_config|current_setting/.test(s);
let tl = 0,
  pu = 0,
  ps = 0;
for (const q of queries) {
  const run = () => listConversations(db, { mailboxIds: boxes, userId: user, limit: 50, query: q, engine: 'postgres' });
  await run();
  stmts = [];
  const items = (await run()).items.length;
  const once = stmts;
  stmts = [];
  // Buffers of the search statements, with the settings each ran under.
  let buffers = 0,
    listingBuffers = 0,
    settingsOn = false;
  const plans = [];
  const client = await pool.connect();
  try {
    for (const s of once) {
      if (/set_config\('enable_seqscan'/.test(s.sql)) settingsOn = true;
      if (/^\s*(commit|rollback)/i.test(s.sql)) settingsOn = false;
      if (!searchSql(s.sql) && !listingSql(s.sql)) continue;
      await client.query('begin');
      if (settingsOn)
        await client.query(
          `select set_config('enable_seqscan','off',true), set_config('enable_indexscan','off',true), set_config('max_parallel_workers_per_gather','0',true), set_config('jit','off',true)`,
        );
      const r = await client.query(`explain (analyze, buffers, format json) ${s.sql}`, s.params);
      await client.query('rollback');
      const plan = r.rows[0]['QUERY PLAN'][0];
      const b = (plan.Plan['Shared Hit Blocks'] ?? 0) + (plan.Plan['Shared Read Blocks'] ?? 0);
      if (searchSql(s.sql)) buffers += b;
      else listingBuffers += b;
      plans.push(`${b} buf exec ${plan['Execution Time'].toFixed(1)} plan ${plan['Planning Time'].toFixed(1)} ms`);
      if (process.env.PLANS && b > 300) {
        const show = (n, d) => {
          console.log(
            `${'  '.repeat(d)}${n['Node Type']}${n['Index Name'] ? ` ${n['Index Name']}` : ''} rows=${n['Actual Rows']}x${n['Actual Loops']} est=${n['Plan Rows']} buf=${(n['Shared Hit Blocks'] ?? 0) + (n['Shared Read Blocks'] ?? 0)} t=${n['Actual Total Time']}${n.Filter ? ` filter ${n.Filter.slice(0, 60)}` : ''}${n['Recheck Cond'] ? ' recheck' : ''}${n['Rows Removed by Filter'] ? ` removed=${n['Rows Removed by Filter']}` : ''}`,
          );
          for (const k of n.Plans ?? []) show(k, d + 1);
        };
        show(plan.Plan, 1);
      }
    }
  } finally {
    client.release();
  }
  if (logFlag) {
    console.log(`-- ${q}: ${plans.join('; ')}`);
    for (const s of once) console.log('   ', s.sql.replace(/\s+/g, ' ').slice(0, 140));
  }
  const t0 = tick();
  const c0 = process.cpuUsage();
  for (let i = 0; i < +reps; i++) await run();
  const c1 = process.cpuUsage(c0);
  const t1 = tick();
  const nu = c1.user / 1000 / reps,
    ns = c1.system / 1000 / reps;
  pu += nu;
  ps += ns;
  tl += listingBuffers;
  const u = ((t1.u - t0.u) * 10) / reps,
    s = ((t1.s - t0.s) * 10) / reps;
  tu += u;
  ts += s;
  tb += buffers;
  console.log(
    `${q}: ${items} items, ${once.length} statements (${once.filter((x) => searchSql(x.sql) || /explain|set_config|begin|commit/i.test(x.sql)).length} search), search buffers ${buffers}, listing buffers ${listingBuffers}; per listing PG backend user ${u.toFixed(2)} ms sys ${s.toFixed(2)} ms, Pier user ${nu.toFixed(2)} ms sys ${ns.toFixed(2)} ms`,
  );
}
console.log(
  `TOTAL over 8 queries, per listing: PG backend user ${tu.toFixed(2)} ms sys ${ts.toFixed(2)} ms, Pier user ${pu.toFixed(2)} ms sys ${ps.toFixed(2)} ms; search buffers ${tb}, listing buffers ${tl}`,
);
await db.destroy();
