// The prepare workers' CPU alone (parse, hashing, blob writes, index texts): the bench corpus
// prepared on the pool into a fresh blob store, nothing stored. CPU seconds per thread group from
// /proc/self/task/*/stat (the main thread apart from the prepare workers and the V8 platform
// threads that collect garbage), per 1,000 mails, user and system apart; wall clock is meaningless on a loaded
// machine (decision 0063). Usage: node --max-semi-space-size=4 --heap-growing-percent=20
// scripts/bench/prepare-cpu.mjs [mails] (PIER_BENCH_DIST=other/dist compares another build).
// Output: one JSON line.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { corpus } from './corpus.mjs';
import { root } from './lib.mjs';

const dist = (p) => path.join(root, process.env.PIER_BENCH_DIST ?? 'server/dist', p);
const { openWorkspace } = await import(dist('compose.js'));
const { createPreparePool } = await import(dist('modules/conversations/prepare-pool.js'));
const n = Number(process.argv[2] ?? 3000);
const dataDir = mkdtempSync(path.join(tmpdir(), 'pier-prepare-cpu-'));
const ws = await openWorkspace({ dataDir, databaseUrl: undefined, secretKey: undefined });
const mails = [...corpus(n)];

/** CPU seconds of every live thread of this process, grouped by thread name. */
const threads = () => {
  const groups = {};
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // Worker and V8 platform threads all carry the process's name: only the main thread stands apart.
      const group = tid === String(process.pid) ? 'main' : name === 'node' ? 'workers_and_gc' : name;
      groups[group] ??= { user: 0, sys: 0 };
      groups[group].user += Number(fields[11]) / 100;
      groups[group].sys += Number(fields[12]) / 100;
    } catch {
      // a thread that ended between the listing and the read
    }
  }
  return groups;
};

const alive = setInterval(() => {}, 1000);
const pool = createPreparePool(ws.blobs);
// Warm both workers (module loading, JIT) before the measured run.
await Promise.all(mails.slice(0, 20).map((m) => pool.prepare(m)));
const before = threads();
const all0 = process.cpuUsage();
for (let i = 0; i < n; i += 100) {
  await Promise.all(mails.slice(i, i + 100).map((m) => pool.prepare(m)));
}
await pool.flush();
const all = process.cpuUsage(all0);
const after = threads();
await pool.close();
clearInterval(alive);
const per1000 = (s) => +((s * 1000) / n).toFixed(3);
const groups = Object.fromEntries(
  Object.entries(after).map(([name, cpu]) => [
    name,
    { user: per1000(cpu.user - (before[name]?.user ?? 0)), sys: per1000(cpu.sys - (before[name]?.sys ?? 0)) },
  ]),
);
console.log(
  JSON.stringify({
    n,
    dist: process.env.PIER_BENCH_DIST ?? 'server/dist',
    per_1000_user_s: per1000(all.user / 1e6),
    per_1000_sys_s: per1000(all.system / 1e6),
    per_1000_by_thread: groups,
  }),
);
await ws.close();
rmSync(dataDir, { recursive: true });
process.exit(0);
