#!/usr/bin/env node
// `npm run bench`: foundation figures on this machine, in one run so they can be
// compared as ratios. SMTP-listener ingest (mails/s, stored durably before 250),
// the conversation-list API latency, and the web app's first-load JS size.
// Uses the embedded SQLite in a temp dir; DATABASE_URL=postgres://… benches PostgreSQL.
// The last line is one JSON object.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { firstLoadKbGz, percentile, root, round } from './bench/lib.mjs';

const { startPier } = await import(path.join(root, 'server/dist/compose.js'));
const { loadConfig } = await import(path.join(root, 'server/dist/config.js'));
const { createMailbox } = await import(path.join(root, 'server/dist/modules/mailboxes/index.js'));
const { createAccount } = await import(path.join(root, 'server/dist/modules/security/index.js'));
const { default: nodemailer } = await import('nodemailer');
const { default: pino } = await import('pino');

const mails = Number(process.env.BENCH_MAILS ?? 2000);
const concurrency = 8;
const dataDir = mkdtempSync(path.join(tmpdir(), 'pier-bench-'));
const config = loadConfig({
  PIER_PORT: '0',
  PIER_SMTP_PORT: '0',
  PIER_DATA_DIR: dataDir,
  PIER_LOG_LEVEL: 'silent',
  PIER_DNS_SERVERS: '127.0.0.1:1',
  // Mail servers on loopback: a private address Pier refuses by default.
  PIER_ALLOW_PRIVATE_HOSTS: '1',
  // The list latency loop is 300 GETs through one session, back to back: it measures latency, not
  // the per-session API limit (PIER_API_RATE_LIMIT), which is off here.
  PIER_API_RATE_LIMIT: '0',
  DATABASE_URL: process.env.DATABASE_URL ?? '',
});
const pier = await startPier(config, pino({ level: 'silent' }));
const { db } = pier.workspace;
await createMailbox(db, { address: 'sales@acme.test', displayName: 'Sales', purpose: 'sales' });
await createAccount(db, { email: 'bench@acme.test', name: 'Bench', password: 'bench password 123', role: 'admin' });

// 1. SMTP ingest: 8 connections in parallel, each mail 5–20 KB, a third in Chinese.
const body = (i) =>
  i % 3 === 0
    ? '您好，请报价 LED 面板 600x600，数量 500 件。'.repeat(60 + (i % 200))
    : 'Dear team, please quote 500 pcs. '.repeat(150 + (i % 400));
let next = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: pier.smtpPort,
      secure: false,
      ignoreTLS: true,
      pool: true,
      maxConnections: 1,
    });
    while (next < mails) {
      const i = next++;
      await transport.sendMail({
        from: `buyer${i % 97}@customer${i % 13}.test`,
        to: 'sales@acme.test',
        subject: `RFQ ${i} 询价`,
        text: body(i),
      });
    }
    transport.close();
  }),
);
const ingestSeconds = (performance.now() - t0) / 1000;

// 2. Conversation list: sequential GETs with a session cookie.
const login = await fetch(`${pier.url}/api/setup`);
const csrf = /pier_csrf=([^;]+)/.exec(login.headers.getSetCookie().join(';'))?.[1];
const signed = await fetch(`${pier.url}/api/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-csrf-token': csrf, cookie: `pier_csrf=${csrf}` },
  body: JSON.stringify({ email: 'bench@acme.test', password: 'bench password 123' }),
});
const session = /pier_session=([^;]+)/.exec(signed.headers.getSetCookie().join(';'))?.[1];
const latencies = [];
for (let i = 0; i < 300; i++) {
  const t = performance.now();
  const res = await fetch(`${pier.url}/api/conversations?limit=50`, { headers: { cookie: `pier_session=${session}` } });
  await res.arrayBuffer();
  latencies.push(performance.now() - t);
}

// 3. First-load JS of the web app, gzipped: the scripts index.html loads (lazy chunks such as settings excluded).
const firstLoad = firstLoadKbGz();

await pier.stop();
rmSync(dataDir, { recursive: true, force: true });

const result = {
  machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
  engine: pier.workspace.database.engine,
  smtp_ingest_mails: mails,
  smtp_ingest_msgs_per_s: round(mails / ingestSeconds),
  list_p50_ms: round(percentile(latencies, 50)),
  list_p99_ms: round(percentile(latencies, 99)),
  first_load_kb_gz: firstLoad,
};
console.log(`SMTP listener: ${mails} mails in ${ingestSeconds.toFixed(1)} s over ${concurrency} connections`);
console.log(`GET /api/conversations?limit=50 (${mails} conversations): p50 ${result.list_p50_ms} ms, p99 ${result.list_p99_ms} ms`);
console.log(JSON.stringify(result));
