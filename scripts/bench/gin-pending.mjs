#!/usr/bin/env node
// `node scripts/bench/gin-pending.mjs DATABASE_URL [BASE=30000] [INSERTS=3000]` (issue 20, decision 0076): what the
// GIN index's pending list (fastupdate) costs a search and what a smaller one costs the ingest. On a database kept by
// `npm run bench:api -- --engine postgres --keep`, for each gin_pending_list_limit (and fastupdate off): a scratch table
// shaped like message_search holding BASE of its rows and a GIN index built with that setting, then INSERTS more rows
// in transactions of 25 (an ingest batch), measuring the backend's user/sys CPU (from /proc: PostgreSQL on this
// machine); then the buffers and time of a bitmap index scan for 'tungsten' (the pending list is read in full by every
// GIN search) averaged over the pending list's states after each of the last 20 batches. Drops the scratch table.
import { readFileSync } from 'node:fs';
import pg from 'pg';

const [url, base = '30000', inserts = '3000'] = process.argv.slice(2);
if (!url) throw new Error('usage: gin-pending.mjs DATABASE_URL [BASE] [INSERTS]');
const client = new pg.Client({ connectionString: url });
await client.connect();
const pid = (await client.query('select pg_backend_pid() p')).rows[0].p;
const ticks = () => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return { u: +f[11], s: +f[12] };
};
const settings = [
  ['default (4 MB)', ''],
  ['512 kB', 'gin_pending_list_limit = 512'],
  ['128 kB', 'gin_pending_list_limit = 128'],
  ['64 kB', 'gin_pending_list_limit = 64'],
  ['fastupdate off', 'fastupdate = off'],
];
for (const [name, option] of settings) {
  await client.query('drop table if exists gin_probe');
  await client.query(`create table gin_probe as select message_id, sort_key, doc from message_search order by sort_key limit ${+base}`);
  await client.query(`create index gin_probe_doc on gin_probe using gin (doc) ${option ? `with (${option})` : ''}`);
  await client.query('vacuum analyze gin_probe');
  const t0 = ticks();
  const w0 = performance.now();
  const probes = [];
  const batches = Math.ceil(+inserts / 25);
  for (let b = 0; b < batches; b++) {
    await client.query('begin');
    await client.query(
      `insert into gin_probe select message_id, sort_key, doc from message_search order by sort_key offset ${+base + b * 25} limit 25`,
    );
    await client.query('commit');
    if (b >= batches - 20) {
      const t1 = ticks();
      const r = await client.query(
        `explain (analyze, buffers, format json) select 1 from gin_probe where doc @@ to_tsquery('simple', 'tungsten')`,
      );
      const t2 = ticks();
      t0.u += t2.u - t1.u; // the probes' CPU is not the ingest's
      t0.s += t2.s - t1.s;
      const plan = r.rows[0]['QUERY PLAN'][0];
      const scan = plan.Plan.Plans?.[0] ?? plan.Plan;
      probes.push({ buffers: (scan['Shared Hit Blocks'] ?? 0) + (scan['Shared Read Blocks'] ?? 0), ms: scan['Actual Total Time'] });
    }
  }
  const wall = performance.now() - w0;
  const t3 = ticks();
  const avg = (k) => probes.reduce((s, p) => s + p[k], 0) / probes.length;
  console.log(
    `${name}: ${inserts} inserts, backend user ${((t3.u - t0.u) * 10).toFixed(0)} ms sys ${((t3.s - t0.s) * 10).toFixed(0)} ms (wall ${wall.toFixed(0)} ms incl. probes); GIN scan for tungsten: ${avg('buffers').toFixed(0)} buffers, ${avg('ms').toFixed(2)} ms (mean of ${probes.length})`,
  );
}
await client.query('drop table if exists gin_probe');
await client.end();
