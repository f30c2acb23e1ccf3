#!/usr/bin/env node
// The plan of the job claim (one statement, urgent jobs first; decision 0056) on both engines, with
// a backlog of N due jobs and no urgent job due: `node scripts/bench/explain-claim.mjs [N=20000]`
// (after `npm run build`; PostgreSQL from the test bench: `source /tmp/pier-test-env-P/env` first).
// Prints the SQL and EXPLAIN QUERY PLAN (SQLite) / EXPLAIN (ANALYZE, BUFFERS) (PostgreSQL).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { root as repo } from './lib.mjs';

const root = path.join(repo, 'server/dist');
const { openWorkspace } = await import(path.join(root, 'compose.js'));
const { createQueue, enqueueJobs } = await import(path.join(root, 'jobs/queue.js'));
const { sql } = await import('kysely');
const backlog = Number(process.argv[2] ?? 20000);
for (const engine of ['sqlite', 'postgres']) {
  let databaseUrl;
  if (engine === 'postgres') {
    const admin = new pg.Client({ connectionString: process.env.PIER_TEST_DATABASE_URL });
    await admin.connect();
    await admin.query('DROP DATABASE IF EXISTS pier_explain_claim WITH (FORCE)');
    await admin.query('CREATE DATABASE pier_explain_claim');
    await admin.end();
    const u = new URL(process.env.PIER_TEST_DATABASE_URL);
    u.pathname = '/pier_explain_claim';
    databaseUrl = u.toString();
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pier-explain-claim-'));
  const ws = await openWorkspace({ dataDir, databaseUrl, secretKey: undefined });
  const names = ['event.a', 'event.b', 'event.c', 'outbox.send', 'outbox.sent-copy', 'security.mail'];
  const jobs = [];
  for (let i = 0; i < backlog; i++) jobs.push({ name: names[i % 3], payload: i, runAt: Date.now() - 60_000 + i });
  for (let i = 0; i < 50; i++) jobs.push({ name: 'outbox.send', payload: i, runAt: Date.now() + 3_600_000 }); // scheduled later (undo window)
  await enqueueJobs(ws.db, jobs);
  if (engine === 'postgres') await sql`analyze jobs`.execute(ws.db);
  else await sql`analyze`.execute(ws.db);
  let captured;
  const plugin = {
    transformQuery: (a) => {
      captured = a.node;
      return a.node;
    },
    transformResult: async (a) => a.result,
  };
  const queue = createQueue(ws.db.withPlugin(plugin), engine);
  const urgent = ['outbox.send', 'outbox.sent-copy', 'security.mail'];
  await queue.claim({ workerId: 'w', names, urgent, limit: 1, leaseMs: 30000 });
  const compiled = ws.db.getExecutor().compileQuery(captured, { queryId: 'x' });
  console.log(`--- ${engine}, ${backlog} due backlog jobs, no urgent due:\n${compiled.sql}`);
  const explain = engine === 'postgres' ? 'explain (analyze, buffers, costs off) ' : 'explain query plan ';
  const run = async () => {
    const rows = (
      await ws.db.executeQuery({
        sql: explain + compiled.sql,
        parameters: compiled.parameters.map((p) => (p === 'w' ? 'w2' : p)),
        query: captured,
        queryId: { queryId: 'y' },
      })
    ).rows;
    console.log(rows.map((r) => r['QUERY PLAN'] ?? `${r.id} ${r.parent} ${r.detail}`).join('\n'));
  };
  await run();
  await ws.close();
  rmSync(dataDir, { recursive: true, force: true });
  if (engine === 'postgres') {
    const admin = new pg.Client({ connectionString: process.env.PIER_TEST_DATABASE_URL });
    await admin.connect();
    await admin.query('DROP DATABASE IF EXISTS pier_explain_claim WITH (FORCE)');
    await admin.end();
  }
}
