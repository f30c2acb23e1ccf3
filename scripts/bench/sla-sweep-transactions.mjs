#!/usr/bin/env node
import { Kysely, PostgresDialect } from 'kysely';
// `node scripts/bench/sla-sweep-transactions.mjs DATABASE_URL [runs]`: how long the minute SLA sweep
// (runSlaEvaluation, 500 conversations a run) keeps its write transactions open, on a database with
// conversations it has not evaluated yet (e.g. bench:api's kept PostgreSQL database). Resets the
// sweep's state first (conversation_sla, the cursor), then runs the built server's sweep `runs` times
// and prints each transaction's BEGIN→COMMIT time and statement count, and the process's CPU.
import pg from 'pg';
import { root } from './lib.mjs';

const [url, runsArg] = process.argv.slice(2);
if (!url) throw new Error('usage: sla-sweep-transactions.mjs DATABASE_URL [runs]');
// PIER_DIST: another build (e.g. a copy of an older one) to compare with.
const { runSlaEvaluation } = await import(`${process.env.PIER_DIST ?? `${root}/server/dist`}/modules/sla/index.js`);

// Each client's transactions, timed from BEGIN to COMMIT/ROLLBACK.
const transactions = [];
const pool = new pg.Pool({ connectionString: url, max: 4 });
const connect = pool.connect.bind(pool);
pool.connect = async (...args) => {
  const client = await connect(...args);
  if (client.__timed) return client;
  client.__timed = true;
  const query = client.query.bind(client);
  let open;
  client.query = (...q) => {
    const text = typeof q[0] === 'string' ? q[0] : (q[0]?.text ?? '');
    const keyword = /^\s*(\w+)/.exec(text)?.[1]?.toLowerCase();
    if (keyword === 'begin' || keyword === 'start') open = { at: performance.now(), statements: 0 };
    else if (open && (keyword === 'commit' || keyword === 'rollback')) {
      transactions.push({ ms: performance.now() - open.at, statements: open.statements });
      open = undefined;
    } else if (open) open.statements++;
    return query(...q);
  };
  return client;
};
const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
await db.deleteFrom('conversation_sla').execute();
await db.deleteFrom('settings').where('key', '=', 'sla.cursor').execute();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
let evaluated = 0;
for (let i = 0; i < Number(runsArg ?? 2); i++) {
  evaluated += (await runSlaEvaluation({ db, now: () => Date.now(), teamLeadsOf: async () => [] })).evaluated;
}
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
await db.destroy();
const ms = transactions.map((t) => t.ms).sort((a, b) => a - b);
const at = (p) => Math.round(ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))] ?? 0);
console.log(
  JSON.stringify({
    evaluated,
    transactions: transactions.length,
    statements_per_transaction_max: Math.max(0, ...transactions.map((t) => t.statements)),
    txn_ms_p50: at(50),
    txn_ms_max: Math.round(ms.at(-1) ?? 0),
    txn_ms_total: Math.round(ms.reduce((s, x) => s + x, 0)),
    wall_ms: Math.round(wallMs),
    user_ms: Math.round(cpu.user / 1000),
    sys_ms: Math.round(cpu.system / 1000),
  }),
);
