#!/usr/bin/env node
// CPU of loadFraudHistory (what the fraud.assess job reads before scoring) of two builds on one kept
// bench:api PostgreSQL database, alternating in one run (decision 0065): Node CPU of this process and
// PostgreSQL CPU of the database's backends (/proc utime/stime, so the database must be local), per
// mail, over the newest assessed mails. Read-only.
// Usage: node scripts/bench/fraud-history-cpu.mjs OLD_ROOT NEW_ROOT BENCH_DIR [MAILS=100] [ROUNDS=3]
//   OLD_ROOT/NEW_ROOT: checkouts with a built server/dist; BENCH_DIR: a `bench:api --keep` directory.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const [oldRoot, newRoot, dataDir, n = '100', rounds = '3'] = process.argv.slice(2);
const { databaseUrl } = JSON.parse(readFileSync(path.join(dataDir, 'bench-api.json'), 'utf8'));
const dbName = databaseUrl.split('/').pop();
const load = async (root) => {
  const dist = path.join(root, 'server', 'dist');
  const { openDatabase } = await import(path.join(dist, 'db', 'database.js'));
  const { openBlobStore } = await import(path.join(dist, 'storage', 'blob-stores.js'));
  const fraud = await import(path.join(dist, 'modules', 'fraud', 'index.js'));
  const handle = openDatabase({ databaseUrl, dataDir });
  return { handle, blobs: openBlobStore({ kind: 'filesystem', root: path.join(dataDir, 'blobs') }), fraud };
};
const builds = { old: await load(oldRoot), new: await load(newRoot) };
const { db } = builds.old.handle;
const sample = await db
  .selectFrom('fraud_assessments')
  .innerJoin('messages', 'messages.id', 'fraud_assessments.message_id')
  .select(['messages.id', 'messages.raw_sha256', 'fraud_assessments.conversation_id'])
  .orderBy('messages.received_at', 'desc')
  .limit(Number(n))
  .execute();
const mails = [];
for (const m of sample) mails.push({ ...m, mail: await builds.old.fraud.fraudMailFromRaw(await builds.old.blobs.get(m.raw_sha256)) });
// Per backend pid: utime and stime in ticks. A phase's CPU: each backend's growth (a new one from 0).
const pgTicks = async () => {
  const pids = (await db.selectFrom('pg_stat_activity').select('pid').where('datname', '=', dbName).execute()).map((r) => r.pid);
  const ticks = new Map();
  for (const pid of pids) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      ticks.set(pid, { user: Number(f[11]), sys: Number(f[12]) });
    } catch {}
  }
  return ticks;
};
let before = new Map();
const pgCpu = async () => {
  const now = await pgTicks();
  let user = 0;
  let sys = 0;
  for (const [pid, t] of now) {
    const b = before.get(pid) ?? { user: 0, sys: 0 };
    user += t.user - b.user;
    sys += t.sys - b.sys;
  }
  before = now;
  return { user, sys };
};
const hz = 100;
for (let r = 0; r < Number(rounds); r++) {
  for (const name of ['old', 'new']) {
    const b = builds[name];
    await pgCpu();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (const m of mails) await b.fraud.loadFraudHistory(b.handle.db, m.mail, { messageId: m.id, conversationId: m.conversation_id });
    const c = process.cpuUsage(c0);
    const p = await pgCpu();
    const k = mails.length;
    console.log(
      `round ${r + 1} ${name}: ${k} mails, per mail: wall ${((performance.now() - t0) / k).toFixed(1)} ms; Node user ${(c.user / 1000 / k).toFixed(2)} sys ${(c.system / 1000 / k).toFixed(2)} ms; PostgreSQL user ${((p.user * 1000) / hz / k).toFixed(2)} sys ${((p.sys * 1000) / hz / k).toFixed(2)} ms`,
    );
  }
}
await builds.old.handle.close();
await builds.new.handle.close();
