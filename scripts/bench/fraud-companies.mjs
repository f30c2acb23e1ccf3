#!/usr/bin/env node
// The fraud check against many companies (decision 0065, the look-alike index): a workspace with
// the labelled fixtures (server/tests/fixtures/fraud: history imported and assessed by the
// fraud.assess code) plus N generated company domains (realistic two-word names, deterministic).
//   dump ROOT [--database-url URL] [--companies N]
//     Every stored assessment (by Message-ID) and every eval mail's check (score, level, signals),
//     one JSON line each: run it for two builds and engines and diff the outputs.
//   cpu OLD_ROOT NEW_ROOT [--database-url URL] [--companies N] [--rounds R]
//     What fraud.assess computes per mail (loadFraudHistory + assessMail, nothing stored) over the
//     eval mails, both builds alternating in this process on one database: Node user and system CPU,
//     and with --database-url the PostgreSQL backends' (local server, /proc).
// ROOT: a checkout (or copy) with a built server/dist. A PostgreSQL URL names a server: a fresh
// database is created on it and dropped at the end.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { arg, prng, root } from './lib.mjs';

const [mode, ...roots] = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && !all[i - 1]?.startsWith('--'));
const serverUrl = arg('database-url', undefined);
const companies = Number(arg('companies', '0'));
const fixtures = path.join(root, 'server', 'tests', 'fixtures', 'fraud');
const labels = JSON.parse(readFileSync(path.join(fixtures, 'labels.json'), 'utf8'));
const dist = (r) => path.join(path.resolve(r), 'server', 'dist');
const load = async (r) => ({
  compose: await import(path.join(dist(r), 'compose.js')),
  mailboxes: await import(path.join(dist(r), 'modules', 'mailboxes', 'index.js')),
  sync: await import(path.join(dist(r), 'modules', 'sync', 'index.js')),
  fraud: await import(path.join(dist(r), 'modules', 'fraud', 'index.js')),
});

const WORDS =
  'acme global east west star sun moon river ocean green blue red gold silver steel iron tech trade export import asia euro china india nova prime alpha delta omega united pacific atlantic royal grand smart bright light power energy solar wind fresh food fruit tea silk cotton wood stone glass paper plastic rubber chem pharma medi bio auto motor parts tools machine electric lighting lamp home house garden ocean harbor port ship cargo freight logistic link net data soft cloud micro mega ultra super best first new old city land world group holding partner union sino hua heng da tai long feng xin'.split(
    ' ',
  );
const SUFFIXES = ['com', 'com', 'com', 'de', 'cn', 'com.cn', 'it', 'co.uk', 'net', 'fr', 'es', 'nl', 'jp', 'in', 'vn', 'com.br'];
/** N distinct company domains, the same on every run. */
function generatedDomains(n) {
  const random = prng(20);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const out = new Set();
  while (out.size < n) {
    const parts = [pick(WORDS), pick(WORDS), ...(random() < 0.3 ? [pick(WORDS)] : [])];
    const label = parts.join(random() < 0.3 ? '-' : '') + (random() < 0.2 ? String(Math.floor(random() * 100)) : '');
    out.add(`${label}.${pick(SUFFIXES)}`);
  }
  return [...out];
}

async function createDatabase() {
  if (!serverUrl) return undefined;
  const name = `fraud_companies_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), name };
}
async function dropDatabase(name) {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}

/** The fixtures' workspace with `companies` generated company domains, its history assessed. */
async function setUp(build) {
  const database = await createDatabase();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pier-fraud-companies-'));
  const ws = await build.compose.openWorkspace({ dataDir, databaseUrl: database?.url, secretKey: undefined });
  const mailbox = await build.mailboxes.createMailbox(ws.db, { address: labels.mailbox, displayName: 'Sales', purpose: 'sales' });
  const domains = generatedDomains(companies);
  const now = Date.now();
  for (let i = 0; i < domains.length; i += 500) {
    const rows = domains.slice(i, i + 500).map((domain, j) => ({
      id: `00000000-0000-7000-8000-${String(i + j).padStart(12, '0')}`,
      domain,
      name: domain,
      country: null,
      created_at: now,
      tags: null,
      search_text: domain,
      updated_at: null,
    }));
    await ws.db
      .insertInto('companies')
      .values(rows)
      .onConflict((oc) => oc.column('domain').doNothing())
      .execute();
  }
  const imported = await build.sync.importMailFiles(ws, mailbox, [path.join(fixtures, labels.history)]);
  if (imported.failed > 0) throw new Error(`history import failed: ${JSON.stringify(imported.failures)}`);
  await build.fraud.assessPendingMessages(ws);
  return {
    ws,
    close: async () => {
      await ws.close();
      if (database) await dropDatabase(database.name);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

if (mode === 'dump') {
  const build = await load(roots[0]);
  const { ws, close } = await setUp(build);
  try {
    const stored = await ws.db
      .selectFrom('fraud_assessments')
      .innerJoin('messages', 'messages.id', 'fraud_assessments.message_id')
      .select([
        'messages.message_id_header',
        'fraud_assessments.score',
        'fraud_assessments.level',
        'fraud_assessments.signals',
        'fraud_assessments.imitated',
      ])
      .execute();
    stored.sort((a, b) => (a.message_id_header ?? '').localeCompare(b.message_id_header ?? ''));
    for (const s of stored)
      console.log(
        JSON.stringify({
          stored: s.message_id_header,
          score: s.score,
          level: s.level,
          signals: JSON.parse(s.signals),
          imitated: s.imitated,
        }),
      );
    for (const entry of labels.mails) {
      const r = await build.fraud.checkMailFile(ws.db, path.join(fixtures, entry.file));
      console.log(JSON.stringify({ eval: entry.file, score: r.score, level: r.level, signals: r.signals }));
    }
  } finally {
    await close();
  }
} else if (mode === 'cpu') {
  const builds = { old: await load(roots[0]), new: await load(roots[1]) };
  const { ws, close } = await setUp(builds.new);
  const dbName = serverUrl
    ? (await ws.db.selectNoFrom((eb) => eb.fn('current_database', []).as('name')).executeTakeFirstOrThrow()).name
    : null;
  const mails = [];
  for (const entry of labels.mails) mails.push(await builds.new.fraud.fraudMailFromRaw(readFileSync(path.join(fixtures, entry.file))));
  const pgTicks = async () => {
    const ticks = new Map();
    if (!dbName) return ticks;
    for (const { pid } of await ws.db.selectFrom('pg_stat_activity').select('pid').where('datname', '=', dbName).execute()) {
      try {
        const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
        ticks.set(pid, { user: Number(f[11]), sys: Number(f[12]) });
      } catch {}
    }
    return ticks;
  };
  const rounds = Number(arg('rounds', '3'));
  try {
    for (let r = 0; r < rounds; r++) {
      for (const name of ['old', 'new']) {
        const { fraud } = builds[name];
        const before = await pgTicks();
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        for (const mail of mails) fraud.assessMail(mail, await fraud.loadFraudHistory(ws.db, mail));
        const c = process.cpuUsage(c0);
        const wall = performance.now() - t0;
        let [pu, ps] = [0, 0];
        for (const [pid, t] of await pgTicks()) {
          const b = before.get(pid) ?? { user: 0, sys: 0 };
          pu += t.user - b.user;
          ps += t.sys - b.sys;
        }
        const k = mails.length;
        console.log(
          `companies ${companies} round ${r + 1} ${name}: ${k} mails, per mail: wall ${(wall / k).toFixed(2)} ms; Node user ${(c.user / 1000 / k).toFixed(2)} sys ${(c.system / 1000 / k).toFixed(2)} ms${dbName ? `; PostgreSQL user ${((pu * 10) / k).toFixed(2)} sys ${((ps * 10) / k).toFixed(2)} ms` : ''}`,
        );
      }
    }
  } finally {
    await close();
  }
} else {
  console.error('usage: fraud-companies.mjs dump ROOT | cpu OLD_ROOT NEW_ROOT [--database-url URL] [--companies N] [--rounds R]');
  process.exit(2);
}
