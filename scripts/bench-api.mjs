#!/usr/bin/env node
// `npm run bench:api [-- --conversations 200000] [--engine sqlite|postgres] [--nodes N] [--duration 15] [--push 30] [--keep] [--reuse DIR]
//   [--no-build] [--cpu-prof DIR]` (--cpu-prof: Pier's processes write V8 CPU profiles to DIR when they stop)
//
// --nodes N (PostgreSQL; default 2 there, 1 on SQLite): N Pier processes on the one database, as a
// scaled-out workspace runs them: the first with PIER_ROLE=all (IMAP sync, jobs, web), the others
// PIER_ROLE=web. The list load and the searches are spread over all nodes (autocannon round-robin),
// the browser of the push measurement is on the last node, so a pushed mail crosses nodes (stored by
// the first, announced by NOTIFY). CPU per request is the sum over all nodes.
//
// Seeding 200,000 conversations takes ~20 min on a loaded machine: `--keep` keeps the data (and, for
// PostgreSQL, the scratch database, leaving the test bench running: it starts empty) and prints its
// directory; `--reuse DIR` measures again on it (the current build's migrations run on it first, as
// on an upgrade); on PostgreSQL it stops at once when the test bench holding the database is not running.
//
// The shared inbox's speed on this machine (a benchmark, not a timed test):
//  1. seeds N conversations (one message each, English / Chinese / mixed, 0.3–1 KB bodies, dates over
//     three years, in sales@ / info@ / accounting@) by direct inserts plus Pier's own search indexing;
//  2. starts Pier as its own process (`server/dist/main.js`, as `npm start` runs it) on that data;
//  3. list API: autocannon, 64 connections on loopback, GET /api/conversations?limit=50 as an agent
//     with two of the three mailboxes (the mailbox filter is on), after a warm-up;
//  4. search API: GET /api/conversations?q=… one request at a time (English words and 报价/样品), p95;
//  5. push latency: Chromium (playwright-core) has the inbox open; a mail is delivered by the test
//     bench's Postfix to info@, Dovecot stores it, Pier's IMAP IDLE sync stores it and pushes over
//     the WebSocket, the page refetches; measured from before the SMTP send until the subject is in
//     the page's DOM; 30 mails, median and p95;
//  6. first-load JS of the built web app, gzipped (what index.html loads; as `npm run bench`);
//  7. memory per node (ingestResources below): each Pier process's RSS and V8 heap, steady (idle after
//     the list, search and push phases) and peak (the kernel's VmHWM; the heap sampled every 250 ms);
//     PostgreSQL's backends serving the bench's database (Pss and private memory, summed);
//  8. ingest through Pier's real path (--ingest M, default 2000; 0 skips it): M mails sent through the
//     test bench's Postfix into a Dovecot INBOX, then a new Pier mailbox on that INBOX; the first node
//     syncs them into the database already holding the N conversations; mails/s until all are stored
//     and until the jobs they queued (triage, rules, SLA, webhooks…) are done, and CPU per mail
//     (Pier's nodes and the whole PostgreSQL server, user and system apart).
// PostgreSQL (--engine postgres) uses a scratch database on the test bench's server, dropped at the end.
// The test bench (scripts/test-env) is started if it is not running (PIER_TEST_PORTBASE selects it).
// The last line printed is one JSON object.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { arg, firstLoadKbGz, flag, machine, percentile, prng, root, round, startTestBench, testBenchRunning } from './bench/lib.mjs';
import { cpuOf, memoryOf, postgresBackendMemory, postgresCpu } from './bench/node-resources.mjs';
import { waitForSyncState } from './bench/sync-state.mjs';

const total = Number(arg('conversations', 200_000));
const engine = arg('engine', 'sqlite');
const nodeCount = Number(arg('nodes', engine === 'postgres' ? 2 : 1));
if (!Number.isInteger(nodeCount) || nodeCount < 1 || (engine === 'sqlite' && nodeCount !== 1))
  throw new Error(`--nodes must be a whole number ≥ 1 (1 on SQLite: one process owns the file), not ${nodeCount}`);
const duration = Number(arg('duration', 15));
const pushes = Number(arg('push', 30));
const reuse = arg('reuse', undefined);
const ingestCount = Number(arg('ingest', 2000));
const keep = flag('keep') || reuse !== undefined;
const log = (line) => console.log(`[bench:api] ${line}`);

// --no-build measures the build as it is (e.g. an older one, for a before/after comparison on --reuse data).
if (!flag('no-build')) execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--quiet'], { stdio: 'inherit' });
const dist = (p) => import(path.join(root, 'server/dist', p));
const { openWorkspace } = await dist('compose.js');
const { writeSetting } = await dist('db/settings.js');
const { createMailbox, findMailboxByAddress, grantMailboxAccess, updateMailbox } = await dist('modules/mailboxes/index.js');
const { createAccount } = await dist('modules/security/index.js');
const { indexMessage } = await dist('modules/search/index.js');
const { newId } = await dist('db/ids.js');
const { default: autocannon } = await import('autocannon');
const { default: nodemailer } = await import('nodemailer');
const { ImapFlow } = await import('imapflow');
const { chromium } = await import('playwright-core');
const { default: pg } = await import('pg');
const { Secret, TOTP } = await import('otpauth');

// ---------------------------------------------------------------- test bench (Postfix, Dovecot, PostgreSQL)
// A kept PostgreSQL database lives in the test bench's server, which starts empty: --reuse needs that
// bench still running, and --keep leaves it running (it is not stopped at the end).
if (reuse !== undefined && engine === 'postgres' && !testBenchRunning()) {
  throw new Error(
    `--reuse ${reuse}: its PostgreSQL database was on the test bench (PIER_TEST_PORTBASE=${process.env.PIER_TEST_PORTBASE ?? 'default'}), which is not running; a start begins empty, so that data is gone: seed again (without --reuse, with --keep)`,
  );
}
const testBench = startTestBench();
const { env } = testBench;
const pushAddress = 'info@acme.test';
const benchFile = () => path.join(dataDir, 'bench-api.json');
const agent = { email: 'agent@acme.test', password: 'bench password 123' };

// ---------------------------------------------------------------- deterministic corpus
const english =
  'please kindly confirm order quantity pieces carton pallet delivery schedule port vessel booking price discount payment deposit invoice container freight sample approval drawing specification model panel lamp driver warranty packing label catalogue exhibition meeting urgent thanks regards customer supplier stock trial tooling cost total update status problem replacement refund'.split(
    ' ',
  );
const chinese =
  '您好 我们 贵司 订单 数量 交货 期限 付款 定金 尾款 信用证 海运 集装箱 货代 清关 发票 合同 工厂 生产 质量 检验 包装 托盘 港口 提单 客户 产品 型号 规格 颜色 尺寸 面板 灯具 电源 确认 尽快 回复 谢谢 安排 折扣 库存 定制 图纸 认证 物流 运费 美元 附件 目录'.split(
    ' ',
  );
const pick = (rand, list) => list[Math.floor(rand() * list.length)];
const start = Date.UTC(2023, 0, 1);
const span = 3 * 365 * 86_400_000;

function makeConversation(i) {
  const rand = prng(i * 2654435761 + 7);
  const kind = rand(); // 45% English, 35% Chinese, 20% both
  const words = (list, n) => Array.from({ length: n }, () => pick(rand, list));
  const parts = [];
  const target = 300 + Math.floor(rand() * 700);
  let bytes = 0;
  while (bytes < target) {
    const zh = kind < 0.45 ? false : kind < 0.8 ? true : rand() < 0.5;
    const s = zh ? `${words(chinese, 6 + Math.floor(rand() * 8)).join('')}。` : `${words(english, 8 + Math.floor(rand() * 10)).join(' ')}.`;
    parts.push(s);
    bytes += Buffer.byteLength(s) + 1;
  }
  if (rand() < 0.3) parts.push('请报价，谢谢。');
  if (rand() < 0.5) parts.push('The shipment is ready.');
  if (rand() < 0.08) parts.push('样品已寄出。');
  if (rand() < 0.01) parts.push('tungsten carbide cutter');
  const buyer = Math.floor(rand() * 20_000);
  const box = rand();
  return {
    receivedAt: start + Math.floor(rand() * span),
    subject: kind < 0.45 ? `RFQ ${words(english, 4).join(' ')} #${i}` : `询价 ${words(chinese, 3).join('')} #${i}`,
    body: parts.join(' '),
    from: `buyer${buyer}@customer${buyer % 500}.test`,
    fromName: `Buyer ${buyer}`,
    // sales 60%, info 30%, accounting 10%
    mailbox: box < 0.6 ? 0 : box < 0.9 ? 1 : 2,
  };
}

// ---------------------------------------------------------------- 1. seed
let databaseUrl;
let dropDatabase = async () => {};
const reused = reuse ? JSON.parse(readFileSync(path.join(reuse, 'bench-api.json'), 'utf8')) : undefined;
if (reused && reused.engine !== engine) throw new Error(`${reuse} holds a ${reused.engine} bench, not ${engine}`);
if (reused) {
  databaseUrl = reused.databaseUrl;
} else if (engine === 'postgres') {
  const adminUrl = env.PIER_TEST_DATABASE_URL;
  const name = `pier_bench_api_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  databaseUrl = url.toString();
  dropDatabase = async () => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  };
} else if (engine !== 'sqlite') {
  throw new Error(`--engine sqlite|postgres, not ${engine}`);
}
const dataDir = reuse ?? mkdtempSync(path.join(tmpdir(), 'pier-bench-api-'));
const nodes = [];
let browser;
try {
  if (!reused) await seed();
  else {
    log(`reusing ${reuse}: ${reused.total} conversations (${engine})`);
    await repointPushMailbox();
  }

  // Dovecot's info@ INBOX starts empty, so Pier's IMAP sync brings only the pushed mails.
  const imap = new ImapFlow({
    host: '127.0.0.1',
    port: Number(env.PIER_TEST_IMAP_PORT),
    secure: false,
    auth: { user: pushAddress, pass: env.PIER_TEST_MAIL_PASSWORD },
    logger: false,
  });
  imap.on('error', () => {});
  await imap.connect();
  const lock = await imap.getMailboxLock('INBOX');
  if (imap.mailbox.exists > 0) await imap.messageDelete('1:*');
  lock.release();
  await imap.logout();

  // ---------------------------------------------------------------- 2. Pier as its own process
  const nodesStartedAt = Date.now();
  for (let i = 0; i < nodeCount; i++) nodes.push(await startPier(nodeCount > 1 && i > 0 ? 'web' : 'all'));
  log(`Pier running at ${nodes.map((n) => n.url).join(', ')}`);
  // Sessions live in the database: signed in once, the cookie works on every node.
  const { cookie, session, csrf } = await signIn(nodes[0].url);
  const pier = nodes.at(-1);
  const cpuMs = () => nodes.reduce((sum, n) => sum + n.cpuMs(), 0);

  // ---------------------------------------------------------------- 3. list API under load
  const listUrls = nodes.map((n) => `${n.url}/api/conversations?limit=50`);
  for (const listUrl of listUrls) {
    const probe = await fetch(listUrl, { headers: { cookie } });
    const probeBody = await probe.json();
    if (probe.status !== 200 || probeBody.items.length !== 50) throw new Error(`list API answered ${probe.status}`);
  }
  await runCannon(listUrls, cookie, 3); // warm-up
  const cpuBefore = cpuMs();
  const cpuSplitBefore = nodes.map((n) => n.cpuSplit());
  const pgCpuBefore = postgresCpuNow();
  const list = await runCannon(listUrls, cookie, duration);
  const listPgCpu = postgresCpuPer(pgCpuBefore, list.requests.total);
  // CPU time Pier spent per answered request: a figure the other load on a shared machine does not distort.
  const cpuPerRequest = (cpuMs() - cpuBefore) / Math.max(1, list.requests.total);
  const cpuSplit = nodes
    .map((n, i) => {
      const [user, sys] = n.cpuSplit();
      return `node ${i + 1} user ${round((user - cpuSplitBefore[i][0]) / 1000, 2)} s sys ${round((sys - cpuSplitBefore[i][1]) / 1000, 2)} s`;
    })
    .join('; ');
  log(
    `list GET /api/conversations?limit=50, 64 connections, ${duration} s: p50 ${list.latency.p50} ms, p99 ${list.latency.p99} ms, ` +
      `${Math.round(list.requests.average)} req/s, ${list.non2xx} non-2xx, ${list.errors} errors; ` +
      `Pier CPU ${round(cpuPerRequest, 2)} ms per request (${cpuSplit})` +
      (listPgCpu ? `; PostgreSQL server CPU user ${listPgCpu.user} + sys ${listPgCpu.sys} ms per request` : ''),
  );

  // ---------------------------------------------------------------- 4. search API
  const queries = ['shipment', 'tungsten', 'catalogue', 'invoice deposit', '报价', '样品', '集装箱', 'RFQ panel'];
  const searchTimes = [];
  const perQuery = {};
  for (const q of queries) {
    const urls = nodes.map((n) => `${n.url}/api/conversations?limit=50&q=${encodeURIComponent(q)}`);
    for (let i = 0; i < 3; i++) await (await fetch(urls[i % urls.length], { headers: { cookie } })).arrayBuffer();
    const times = [];
    let hits = 0;
    for (let i = 0; i < 25; i++) {
      const t = performance.now();
      const res = await fetch(urls[i % urls.length], { headers: { cookie } });
      const body = await res.json();
      times.push(performance.now() - t);
      if (res.status !== 200) throw new Error(`search ${q} answered ${res.status}`);
      hits = body.items.length;
    }
    perQuery[q] = { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)), hits };
    searchTimes.push(...times);
  }
  log(`search (one client, 25 runs per query): ${JSON.stringify(perQuery)}`);
  // The runs above repeat one URL, so after the first they are answers from the list's response cache
  // (as on SQLite). The search itself: every run a URL the cache has not seen (an unknown parameter the
  // API ignores), 10 runs per query.
  const uncachedTimes = [];
  const uncachedPerQuery = {};
  for (const q of queries) {
    const times = [];
    for (let i = 0; i < 10; i++) {
      const url = `${nodes[i % nodes.length].url}/api/conversations?limit=50&q=${encodeURIComponent(q)}&uncached=${randomBytes(4).toString('hex')}`;
      const t = performance.now();
      const res = await fetch(url, { headers: { cookie } });
      await res.arrayBuffer();
      times.push(performance.now() - t);
      if (res.status !== 200) throw new Error(`search ${q} answered ${res.status}`);
    }
    uncachedPerQuery[q] = { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)) };
    uncachedTimes.push(...times);
  }
  log(`search without the response cache (10 runs per query): ${JSON.stringify(uncachedPerQuery)}`);

  // ---------------------------------------------------------------- 5. push latency in Chromium
  browser = await chromium.launch({
    executablePath: env.PIER_TEST_CHROMIUM || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
  // The page uses the session signed in above (password + second factor): what is measured is the push, not the sign-in.
  await context.addCookies([
    { name: 'pier_session', value: session, url: pier.url },
    { name: 'pier_csrf', value: csrf, url: pier.url },
  ]);
  // Stage timestamps inside the page (epoch ms, the same clock as the bench): every WebSocket frame
  // as it arrives, every list request (Resource Timing), and the moment the subject is in the DOM.
  await context.addInitScript(() => {
    const bench = { frames: [] };
    window.__pierBench = bench;
    performance.setResourceTimingBufferSize(100_000);
    const Native = window.WebSocket;
    window.WebSocket = class extends Native {
      constructor(...args) {
        super(...args);
        // Registered before the app's own listener, so it runs first.
        this.addEventListener('message', (e) => bench.frames.push({ t: Date.now(), data: String(e.data).slice(0, 500) }));
      }
    };
    bench.lists = () =>
      performance
        .getEntriesByType('resource')
        .filter((e) => /\/api\/conversations(\?|$)/.test(new URL(e.name).pathname + new URL(e.name).search))
        .map((e) => ({ start: performance.timeOrigin + e.startTime, end: performance.timeOrigin + e.responseEnd }));
    bench.waitFor = (subject) =>
      new Promise((resolve, reject) => {
        const found = () => document.querySelector('[data-testid="conversation-list"]')?.textContent?.includes(subject);
        if (found()) return resolve(Date.now());
        const timer = setTimeout(() => {
          observer.disconnect();
          reject(new Error(`${subject} not shown within 30 s`));
        }, 30_000);
        const observer = new MutationObserver(() => {
          if (!found()) return;
          const t = Date.now();
          observer.disconnect();
          clearTimeout(timer);
          resolve(t);
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      });
  });
  const page = await context.newPage();
  await page.goto(pier.url);
  await page.getByTestId('conversation-item').first().waitFor();
  // A second IMAP client IDLEs on info@'s INBOX beside Pier's: when Dovecot tells IDLE clients of
  // new mail (Dovecot delays that notice ~350 ms by design).
  const watcher = new ImapFlow({
    host: '127.0.0.1',
    port: Number(env.PIER_TEST_IMAP_PORT),
    secure: false,
    auth: { user: pushAddress, pass: env.PIER_TEST_MAIL_PASSWORD },
    logger: false,
  });
  watcher.on('error', () => {});
  await watcher.connect();
  await watcher.mailboxOpen('INBOX', { readOnly: true });
  const existsAt = [];
  watcher.on('exists', () => existsAt.push(Date.now()));
  void watcher.idle().catch(() => {});
  const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: Number(env.PIER_TEST_SMTP_PORT), secure: false, ignoreTLS: true });
  const shown = (subject) => page.evaluate((s) => window.__pierBench.waitFor(s), subject);
  // Every synced mailbox leased and past its first full sync since the nodes started (then IDLE):
  // read from the database, so a slow start on a loaded machine is waited for, and a sync that
  // cannot start fails here with the reason instead of as a push timeout.
  const idleMs = await withWorkspace((ws) => waitUntilSyncing(ws.db, nodesStartedAt));
  log(`IMAP sync leased and idle ${round(idleMs / 1000)} s after the checks began`);
  // The IMAP connection must be idling on INBOX before the first measured mail.
  await smtp.sendMail({ from: 'buyer@customer.test', to: pushAddress, subject: 'push warm-up', text: 'warm-up' });
  await shown('push warm-up');
  const pushTimes = [];
  const mails = [];
  for (let i = 0; i < pushes; i++) {
    const subject = `Push ${i} ${randomBytes(3).toString('hex')}`;
    const waiting = shown(subject);
    const sentAt = Date.now();
    const t = performance.now();
    await smtp.sendMail({ from: 'Maria Rossi <maria@lucebella.test>', to: pushAddress, subject, text: `Live mail ${i}` });
    const acceptedAt = Date.now();
    const domAt = await waiting;
    pushTimes.push(performance.now() - t);
    mails.push({ subject, sentAt, acceptedAt, domAt });
    await new Promise((r) => setTimeout(r, 200));
  }
  smtp.close();
  await watcher.logout().catch(() => watcher.close());
  log(`push (Postfix → Dovecot → IMAP IDLE → Pier → WebSocket → page), ${pushes} mails: ${pushTimes.map((t) => Math.round(t)).join(' ')}`);
  await tracePush(page, mails, existsAt);
  // ---------------------------------------------------------------- 7./8. memory per node, ingest
  const steadyMemory = await steadyMemoryOf(nodes);
  const ingest = ingestCount > 0 ? await measureIngest(nodes, ingestCount) : undefined;
  const memory = reportMemory(nodes, steadyMemory);
  // ---------------------------------------------------------------- 6. first-load JS
  const firstLoad = firstLoadKbGz();
  log(`machine: ${machine()} (shared with other work); engine ${engine}; ${reused?.total ?? total} conversations`);
  console.log(
    JSON.stringify({
      list_p99_ms: list.latency.p99,
      list_rps: Math.round(list.requests.average),
      search_p95_ms: round(percentile(searchTimes, 95)),
      search_uncached_p95_ms: round(percentile(uncachedTimes, 95)),
      push_p50_ms: Math.round(percentile(pushTimes, 50)),
      push_p95_ms: Math.round(percentile(pushTimes, 95)),
      first_load_kb_gz: firstLoad,
      engine,
      nodes: nodeCount,
      conversations: reused?.total ?? total,
      list_cpu_ms_per_request: round(cpuPerRequest, 3),
      ...(listPgCpu ? { list_pg_cpu_ms_per_request: round(listPgCpu.user + listPgCpu.sys, 3) } : {}),
      ...memory,
      ...(ingest ?? {}),
    }),
  );
} finally {
  await browser?.close().catch(() => {});
  for (const node of nodes) await node.stop();
  if (!keep) {
    rmSync(dataDir, { recursive: true, force: true });
    await dropDatabase().catch(() => {});
  } else {
    log(`kept ${dataDir}${databaseUrl ? ` and ${databaseUrl}` : ''}`);
  }
  if (keep && databaseUrl) log('the test bench stays running: its PostgreSQL holds the kept database (`npm run test:env stop` drops it)');
  else testBench.stop();
}

/**
 * Where the push time goes, per mail (ms after the SMTP send began), from timestamps taken outside Pier:
 * Postfix's 250, the IDLE notice a second IMAP client got from Dovecot, the message row's created_at
 * (Pier has fetched and parsed the mail and begins its store transaction), the message.new frame in
 * the page, the page's list request (start, response end), and the subject in the DOM.
 */
async function tracePush(page, mails, existsAt) {
  if (mails.length === 0) return; // --push 0
  const { frames, lists } = await page.evaluate(() => ({ frames: window.__pierBench.frames, lists: window.__pierBench.lists() }));
  const { openDatabase } = await dist('db/database.js');
  const handle = openDatabase({ databaseUrl, dataDir });
  let stored;
  try {
    stored = new Map(
      (
        await handle.db
          .selectFrom('messages')
          .select(['subject', 'created_at'])
          .where(
            'subject',
            'in',
            mails.map((m) => m.subject),
          )
          .execute()
      ).map((r) => [r.subject, Number(r.created_at)]),
    );
  } finally {
    await handle.close();
  }
  const stages = { accepted: [], dovecot: [], stored: [], pushed: [], request: [], response: [], dom: [] };
  for (const m of mails) {
    const after = (t) => (t === undefined ? undefined : t - m.sentAt);
    const pushedAt = frames.find((f) => f.t >= m.sentAt && f.t <= m.domAt && f.data.includes('"message.new"'))?.t;
    const list = lists.find((l) => l.start >= (pushedAt ?? m.sentAt) && l.end <= m.domAt + 1);
    const row = {
      accepted: after(m.acceptedAt),
      dovecot: after(existsAt.find((t) => t >= m.sentAt)),
      stored: after(stored.get(m.subject)),
      pushed: after(pushedAt),
      request: after(list?.start),
      response: after(list?.end),
      dom: after(m.domAt),
    };
    for (const [k, v] of Object.entries(row)) if (v !== undefined) stages[k].push(v);
  }
  const fmt = (values) =>
    values.length === 0
      ? 'n/a'
      : `p50 ${Math.round(percentile(values, 50))} p95 ${Math.round(percentile(values, 95))} (n=${values.length})`;
  log(
    'push stages, ms after the SMTP send began: ' +
      Object.entries(stages)
        .map(([k, v]) => `${k} ${fmt(v)}`)
        .join('; '),
  );
  log(
    'push stage per mail [accepted dovecot stored pushed request response dom]: ' +
      mails
        .map((m) => {
          const pushedAt = frames.find((f) => f.t >= m.sentAt && f.t <= m.domAt && f.data.includes('"message.new"'))?.t;
          const list = lists.find((l) => l.start >= (pushedAt ?? m.sentAt) && l.end <= m.domAt + 1);
          return [m.acceptedAt, existsAt.find((t) => t >= m.sentAt), stored.get(m.subject), pushedAt, list?.start, list?.end, m.domAt]
            .map((t) => (t === undefined ? '-' : Math.round(t - m.sentAt)))
            .join('/');
        })
        .join(' '),
  );
}

/** autocannon spreads its connections over the urls round-robin. */
function runCannon(url, cookie, seconds) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections: 64, duration: seconds, headers: { cookie } }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  });
}

/**
 * Signs the agent in as a user with a phone would: the workspace requires a second factor,
 * so the first run enrols an authenticator (its secret is kept in bench-api.json for --reuse)
 * and later runs answer with the current TOTP code.
 */
async function signIn(baseUrl) {
  const setup = await fetch(`${baseUrl}/api/setup`);
  const csrf = /pier_csrf=([^;]+)/.exec(setup.headers.getSetCookie().join(';'))?.[1];
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrf, cookie: `pier_csrf=${csrf}` },
    body: JSON.stringify(agent),
  });
  const session = /pier_session=([^;]+)/.exec(res.headers.getSetCookie().join(';'))?.[1];
  if (!session) throw new Error(`sign-in failed: ${res.status}`);
  const cookie = `pier_session=${session}; pier_csrf=${csrf}`;
  const post = (url, body) =>
    fetch(`${baseUrl}${url}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf, cookie },
      body: JSON.stringify(body),
    });
  const code = (secret, step = Math.floor(Date.now() / 30_000)) =>
    new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: step * 30_000 });
  const { secondFactor } = await res.json();
  const saved = JSON.parse(readFileSync(benchFile(), 'utf8'));
  if (secondFactor === 'enrol') {
    const enrolment = await post('/api/me/two-factor/totp', {});
    const { secret } = await enrolment.json();
    const confirmed = await post('/api/me/two-factor/totp/confirm', { code: code(secret) });
    if (confirmed.status !== 200) throw new Error(`two-factor enrolment failed: ${confirmed.status}`);
    writeFileSync(benchFile(), JSON.stringify({ ...saved, totpSecret: secret }));
  } else if (secondFactor === 'verify') {
    if (!saved.totpSecret) throw new Error('the agent has a second factor this bench does not know');
    // A time step is accepted once: if this one was used, the next one (one step of drift is accepted).
    let verified = await post('/api/auth/second-factor', { code: code(saved.totpSecret) });
    if (verified.status !== 200)
      verified = await post('/api/auth/second-factor', { code: code(saved.totpSecret, Math.floor(Date.now() / 30_000) + 1) });
    if (verified.status !== 200) throw new Error(`second factor refused: ${verified.status}`);
  }
  return { cookie, session, csrf };
}

function startPier(role) {
  const profile = arg('cpu-prof', undefined);
  const nodeArgs = profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(profile)}`] : [];
  const memoryFile = path.join(dataDir, `memory-${role}-${randomBytes(3).toString('hex')}.json`);
  // As `npm start` runs Pier (package.json), plus the heap probe.
  const probe = ['--import', pathToFileURL(path.join(root, 'scripts/bench/memory-probe.mjs')).href];
  const startFlags = ['--max-semi-space-size=4', '--heap-growing-percent=20'];
  const child = spawn(process.execPath, [...nodeArgs, ...startFlags, ...probe, path.join(root, 'server/dist/main.js')], {
    env: {
      ...process.env,
      MALLOC_ARENA_MAX: '2',
      PIER_BENCH_MEMORY_FILE: memoryFile,
      // CPU per job name, summed by the worker (server/src/jobs/job-cpu.ts): the ingest phase reports it.
      PIER_BENCH_JOB_STATS_FILE: memoryFile.replace(/^(.*)memory-/, '$1jobs-'),
      PIER_HOST: '127.0.0.1',
      PIER_PORT: '0',
      PIER_SMTP_PORT: '0',
      PIER_DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl ?? '',
      PIER_LOG_LEVEL: 'info',
      PIER_DNS_SERVERS: '127.0.0.1:1',
      // The bench's Dovecot and Postfix listen on loopback, a private address Pier refuses by default.
      PIER_ALLOW_PRIVATE_HOSTS: '1',
      // The bench signs in once; the login rate limit is not what is measured.
      PIER_LOGIN_RATE_LIMIT: '1000',
      // 64 clients share ONE session at hundreds of requests/s: the bench measures raw throughput,
      // not the per-session API limit (PIER_API_RATE_LIMIT, default 1200/min), so it is off here.
      PIER_API_RATE_LIMIT: '0',
      PIER_ROLE: role,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Pier did not start within 60 s:\n${output}`)), 60_000);
    const onData = (chunk) => {
      output += chunk.toString();
      if (output.length > 100_000) output = output.slice(-50_000);
      const line = output.split('\n').find((l) => l.includes('Pier is running'));
      if (!line) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      // Its log, for a run that went wrong (kept with --keep).
      const logFile = createWriteStream(memoryFile.replace(/^(.*)memory-/, '$1log-').replace(/\.json$/, '.log'));
      child.stdout.pipe(logFile);
      child.stderr.pipe(logFile);
      resolve({
        url: JSON.parse(line).url,
        role,
        /** RSS and heap now and at their peaks (scripts/bench/node-resources.mjs). */
        memory: () => memoryOf(child.pid, memoryFile),
        /** { [job name]: { count, userMs, sysMs, wallMs } } the worker ran so far (none on a web node). */
        jobs() {
          const file = memoryFile.replace(/^(.*)memory-/, '$1jobs-');
          return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
        },
        pid: child.pid,
        /** user + system CPU time of the Pier process so far (Linux /proc, 100 ticks per second). */
        cpuMs() {
          const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
          return (Number(fields[11]) + Number(fields[12])) * 10;
        },
        /** [user, system] CPU ms so far. */
        cpuSplit() {
          const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
          return [Number(fields[11]) * 10, Number(fields[12]) * 10];
        },
        async stop() {
          if (child.exitCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Pier exited with ${code}:\n${output}`));
    });
  });
}

/** info@ on the CURRENT test bench's Dovecot (IMAP) and Postfix submission (SMTP). */
function pushConnection() {
  return {
    preset: 'other',
    imap: { host: '127.0.0.1', port: Number(env.PIER_TEST_IMAP_PORT), tls: 'none', user: pushAddress },
    smtp: { host: '127.0.0.1', port: Number(env.PIER_TEST_SUBMISSION_PORT), tls: 'none', user: pushAddress },
    authMethod: 'password',
    password: env.PIER_TEST_MAIL_PASSWORD,
    syncFolders: ['inbox'],
    syncSinceDays: null,
  };
}

/**
 * --reuse: the kept workspace's info@ still points at the test bench it was seeded with (another
 * PIER_TEST_PORTBASE, or one since stopped). Point it at this run's Dovecot/Postfix and forget its
 * folders' sync state (a UID checkpoint from another Dovecot means nothing here; its INBOX is
 * emptied below, so the first sync brings only the pushed mails).
 */
async function repointPushMailbox() {
  const ws = await openWorkspace({ dataDir, databaseUrl, secretKey: undefined });
  try {
    const mailbox = await findMailboxByAddress(ws.db, pushAddress);
    if (!mailbox) throw new Error(`${reuse} has no ${pushAddress}`);
    await updateMailbox(ws.db, mailbox.id, { connection: pushConnection(), status: 'active' }, ws.secrets);
    const folders = await ws.db.selectFrom('folders').select('id').where('mailbox_id', '=', mailbox.id).execute();
    for (const { id } of folders) {
      await ws.db.deleteFrom('message_locations').where('folder_id', '=', id).execute();
      await ws.db
        .updateTable('folders')
        .set({ uidvalidity: null, last_uid: 0, backfill_below_uid: 0, highest_modseq: null })
        .where('id', '=', id)
        .execute();
    }
    log(`${pushAddress} now syncs from IMAP port ${env.PIER_TEST_IMAP_PORT} (was ${mailbox.imap_port ?? 'none'})`);
  } finally {
    await ws.close();
  }
}

/** Runs `use` with a workspace on the bench's data (its own connection), closed afterwards. */
async function withWorkspace(use) {
  const ws = await openWorkspace({ dataDir, databaseUrl, secretKey: undefined });
  try {
    return await use(ws);
  } finally {
    await ws.close();
  }
}

/** Waits until every active IMAP mailbox is leased and fully synced since `since`. */
async function waitUntilSyncing(db, since) {
  const active = await db.selectFrom('mailboxes').select('id').where('status', '=', 'active').where('imap_host', 'is not', null).execute();
  return waitForSyncState(db, { syncing: active.map((m) => m.id), since, what: 'IMAP sync of every active mailbox before the push phase' });
}

// ---------------------------------------------------------------- 1. seed (skipped with --reuse)
async function seed() {
  const ws = await openWorkspace({ dataDir, databaseUrl, secretKey: undefined });
  const { db } = ws;
  const mailboxIds = [];
  for (const [name, purpose] of [
    ['sales', 'sales'],
    ['info', 'inquiry'],
    ['accounting', 'accounting'],
  ]) {
    const address = `${name}@acme.test`;
    // info@ is connected to the test bench's Dovecot (IMAP IDLE) for the push measurement.
    const connection = address === pushAddress ? pushConnection() : undefined;
    mailboxIds.push(
      (await createMailbox(db, { address, displayName: name, purpose, ...(connection ? { connection } : {}) }, ws.secrets)).id,
    );
  }
  const user = await createAccount(db, { email: agent.email, name: 'Li Wei', password: agent.password, role: 'agent' });
  await grantMailboxAccess(db, user.id, mailboxIds[0], 'reply');
  await grantMailboxAccess(db, user.id, mailboxIds[1], 'reply');

  // Seeding works against a branch with or without the denormalised list line (before/after comparisons).
  const listLine = (await db.introspection.getTables())
    .find((t) => t.name === 'conversations')
    ?.columns.some((c) => c.name === 'last_snippet');
  const t0 = performance.now();
  const batch = 500;
  const now = Date.now();
  for (let first = 0; first < total; first += batch) {
    const rows = [];
    for (let i = first; i < Math.min(total, first + batch); i++)
      rows.push({ conversationId: newId(), messageId: newId(), ...makeConversation(i) });
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('conversations')
        .values(
          rows.map((r) => ({
            id: r.conversationId,
            subject: r.subject,
            subject_key: r.subject.toLowerCase(),
            counterparty: r.from,
            status: 'open',
            assignee_id: null,
            priority: 'normal',
            last_message_at: r.receivedAt,
            created_at: now,
            updated_at: now,
            // The list line (newest message's sender and snippet), as Pier's writers keep it (migration 0011).
            ...(listLine ? { last_from_addr: r.from, last_from_name: r.fromName, last_snippet: r.body.slice(0, 200) } : {}),
          })),
        )
        .execute();
      await trx
        .insertInto('messages')
        .values(
          rows.map((r) => ({
            id: r.messageId,
            identity: r.messageId,
            message_id_header: `<${r.messageId}@customer.test>`,
            raw_sha256: '0'.repeat(64),
            raw_size: r.body.length,
            direction: 'in',
            from_addr: r.from,
            from_name: r.fromName,
            to_addrs: '[]',
            cc_addrs: '[]',
            subject: r.subject,
            sent_at: r.receivedAt,
            received_at: r.receivedAt,
            in_reply_to: null,
            references_json: '[]',
            snippet: r.body.slice(0, 200),
            parse_status: 'ok',
            parse_error: null,
            created_at: now,
          })),
        )
        .execute();
      await trx
        .insertInto('conversation_messages')
        .values(rows.map((r) => ({ conversation_id: r.conversationId, message_id: r.messageId })))
        .execute();
      await trx
        .insertInto('conversation_mailboxes')
        .values(rows.map((r) => ({ conversation_id: r.conversationId, mailbox_id: mailboxIds[r.mailbox] })))
        .execute();
      await trx
        .insertInto('message_locations')
        .values(
          rows.map((r) => ({
            id: newId(),
            message_id: r.messageId,
            mailbox_id: mailboxIds[r.mailbox],
            folder_path: '',
            uid: null,
            source: 'import',
            seen_at: now,
          })),
        )
        .execute();
      for (const r of rows) {
        await indexMessage(trx, ws.engine, {
          messageId: r.messageId,
          receivedAt: r.receivedAt,
          subject: r.subject,
          body: r.body,
          participants: [`${r.fromName} <${r.from}>`],
          attachmentNames: [],
        });
      }
    });
    if (process.stderr.isTTY) process.stderr.write(`\r[bench:api] seeding ${Math.min(total, first + batch)}/${total}`);
  }
  if (process.stderr.isTTY) process.stderr.write('\n');
  if (ws.engine === 'postgres') {
    const { sql } = await import('kysely');
    await sql`analyze`.execute(db);
  }
  log(`seeded ${total} conversations (${ws.engine}) in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  await ws.close();
  writeFileSync(path.join(dataDir, 'bench-api.json'), JSON.stringify({ engine, databaseUrl, total }));
}

// ---------------------------------------------------------------- 7. memory per node (bench:api's own functions)
/** Each node's memory when idle after the load phases: 3 s after the last push, as a busy team's node sits between bursts. */
async function steadyMemoryOf(nodes) {
  await new Promise((r) => setTimeout(r, 3000));
  return nodes.map((n) => n.memory());
}

/** Steady and peak memory per node (node 1 is the worker: IMAP sync and jobs, plus web), and PostgreSQL's backends. */
function reportMemory(nodes, steady) {
  const perNode = nodes.map((n, i) => {
    const now = n.memory();
    return {
      node: i + 1,
      role: n.role,
      rss_steady_mb: steady[i].rss_mb,
      heap_steady_mb: steady[i].heap_used_mb,
      rss_peak_mb: now.rss_peak_mb,
      heap_peak_mb: now.heap_peak_mb,
    };
  });
  const pg =
    engine === 'postgres' ? postgresBackendMemory(Number(env.PIER_TEST_PG_PID), new URL(databaseUrl).pathname.slice(1)) : undefined;
  log(
    `memory per node (steady = idle after list/search/push; peak = the process's largest RSS, the heap's largest sample): ${perNode
      .map(
        (m) =>
          `node ${m.node} (${m.role}) RSS steady ${m.rss_steady_mb} MB peak ${m.rss_peak_mb} MB, heap steady ${m.heap_steady_mb} MB peak ${m.heap_peak_mb} MB`,
      )
      .join('; ')}` +
      (pg ? `; PostgreSQL: ${pg.backends} backends of this database, Pss ${pg.pss_mb} MB, private ${pg.private_mb} MB` : ''),
  );
  return {
    memory_per_node: perNode,
    max_rss_peak_mb: Math.max(...perNode.map((m) => m.rss_peak_mb)),
    ...(pg ? { pg_backends: pg.backends, pg_backends_pss_mb: pg.pss_mb, pg_backends_private_mb: pg.private_mb } : {}),
  };
}

/** The PostgreSQL server's [user, sys] CPU ms so far (the test bench's postmaster and its children); undefined on SQLite. */
function postgresCpuNow() {
  return engine === 'postgres' ? postgresCpu(Number(env.PIER_TEST_PG_PID)) : undefined;
}

/** PostgreSQL's CPU since `before`, per request, user and sys apart (ms). */
function postgresCpuPer(before, requests) {
  if (!before) return undefined;
  const [user, sys] = postgresCpuNow();
  return { user: round((user - before[0]) / Math.max(1, requests), 3), sys: round((sys - before[1]) / Math.max(1, requests), 3) };
}

// ---------------------------------------------------------------- 8. ingest through Pier's real path
/**
 * M mails through Postfix into a Dovecot INBOX (sales@ on the test bench, emptied first), then a new
 * Pier mailbox on it: node 1 syncs them (IMAP, blob, parse, dedupe, thread, search index) into the
 * database that holds the seeded conversations, and its worker runs the jobs each stored mail queues.
 * Reported: mails/s from adding the mailbox until every mail is stored (includes the supervisor's
 * ≤ 5 s scan) and until those jobs are done; CPU ms per mail over the same span, Pier's nodes and the
 * whole PostgreSQL server apart, user and system apart. The wall-clock rates depend on the machine's
 * other load; the CPU per mail does not (much).
 */
async function measureIngest(nodes, count) {
  // On --reuse data, the ingest mailboxes of earlier runs sync the same INBOX: they would store this
  // run's mails a second time (and queue their jobs again). Paused, as an admin would, and announced
  // (PostgreSQL: the node syncing them stops and frees their leases at once; SQLite: the node's next
  // scan, ≤ 5 s); then waited for until no node holds their lease (was a fixed 15-s sleep; 6 s had
  // once been too short: jobs ×2 in the per-job line).
  await withWorkspace(async (ws) => {
    const earlier = await ws.db.selectFrom('mailboxes').select('id').where('address', 'like', 'ingest-%@acme.test').execute();
    if (earlier.length === 0) return;
    for (const m of earlier) await updateMailbox(ws.db, m.id, { status: 'paused' }, ws.secrets);
    // A build from before the announcement (a before/after run) has none: the scan and the lease's expiry stop them.
    ws.live.mailboxesChanged?.();
    const stoppedMs = await waitForSyncState(ws.db, {
      stopped: earlier.map((m) => m.id),
      what: 'the paused ingest mailboxes stop syncing',
    });
    log(`ingest: ${earlier.length} earlier ingest mailbox(es) paused, their sync stopped after ${round(stoppedMs / 1000)} s`);
  });
  const user = 'sales@acme.test';
  const imapOptions = {
    host: '127.0.0.1',
    port: Number(env.PIER_TEST_IMAP_PORT),
    secure: false,
    auth: { user, pass: env.PIER_TEST_MAIL_PASSWORD },
    logger: false,
  };
  const inboxCount = async () => {
    const client = new ImapFlow(imapOptions);
    client.on('error', () => {});
    await client.connect();
    try {
      return (await client.status('INBOX', { messages: true })).messages;
    } finally {
      await client.logout().catch(() => client.close());
    }
  };
  const cleaner = new ImapFlow(imapOptions);
  cleaner.on('error', () => {});
  await cleaner.connect();
  const lock = await cleaner.getMailboxLock('INBOX');
  if (cleaner.mailbox.exists > 0) await cleaner.messageDelete('1:*');
  lock.release();
  await cleaner.logout();

  // Postfix → Dovecot (LMTP): the mail server's part, timed apart from Pier's.
  const tDeliver = performance.now();
  const smtp = nodemailer.createTransport({
    host: '127.0.0.1',
    port: Number(env.PIER_TEST_SMTP_PORT),
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: 4,
  });
  const offset = (reused?.total ?? total) + 1_000_000;
  for (let first = 0; first < count; first += 50) {
    const sends = [];
    for (let i = first; i < Math.min(count, first + 50); i++) {
      const c = makeConversation(offset + i);
      sends.push(smtp.sendMail({ from: `${c.fromName} <${c.from}>`, to: user, subject: `${c.subject} ingest`, text: c.body }));
    }
    await Promise.all(sends);
  }
  smtp.close();
  const deadline = Date.now() + 15 * 60_000;
  while ((await inboxCount()) < count) {
    if (Date.now() > deadline) throw new Error(`Dovecot did not get ${count} mails within 15 min`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const deliverS = (performance.now() - tDeliver) / 1000;
  log(`ingest: ${count} mails through Postfix into Dovecot in ${round(deliverS)} s`);

  // Pier's sync into the database holding the seeded conversations.
  const ws = await openWorkspace({ dataDir, databaseUrl, secretKey: undefined });
  try {
    const cpuAll = () => ({
      nodes: nodes.map((n) => cpuOf(n.pid)),
      pg: engine === 'postgres' ? postgresCpu(Number(env.PIER_TEST_PG_PID)) : [0, 0],
    });
    // The seeded conversations were inserted directly, never seen by the SLA sweep (sla.evaluate,
    // 500 changed conversations a minute from its cursor): left as they are, its catch-up over the
    // seed ran inside this span and was half of the CPU counted per mail. The cursor starts at the
    // newest seeded conversation, so the sweep sees what the ingest changes, as in a running workspace.
    const newest = await ws.db
      .selectFrom('conversations')
      .select(['id', 'updated_at'])
      .orderBy('updated_at', 'desc')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    if (newest) await writeSetting(ws.db, 'sla.cursor', `${Number(newest.updated_at)}|${newest.id}`);
    const size0 = await storageBytes(ws.db);
    await new Promise((r) => setTimeout(r, 300));
    const jobs0 = nodes.map((n) => n.jobs());
    const cpu0 = cpuAll();
    const t0 = performance.now();
    const createdAfter = Date.now();
    const mailbox = await createMailbox(
      ws.db,
      {
        address: `ingest-${randomBytes(3).toString('hex')}@acme.test`,
        displayName: 'Ingest',
        purpose: 'inquiry',
        connection: { ...pushConnection(), imap: { ...pushConnection().imap, user }, smtp: { ...pushConnection().smtp, user } },
      },
      ws.secrets,
    );
    const stored = async () =>
      Number(
        (
          await ws.db
            .selectFrom('message_locations')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('mailbox_id', '=', mailbox.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    // Jobs the ingest queued that are due now (a retry's backoff or a timer set for later is not waited for).
    const pendingJobs = async () =>
      Number(
        (
          await ws.db
            .selectFrom('jobs')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('state', '=', 'queued')
            .where('created_at', '>=', createdAfter)
            .where('run_at', '<=', Date.now())
            .executeTakeFirstOrThrow()
        ).n,
      );
    while ((await stored()) < count) {
      if (Date.now() > deadline + 15 * 60_000) throw new Error(`Pier did not store ${count} mails within 15 min`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const storedS = (performance.now() - t0) / 1000;
    const cpu1 = cpuAll();
    while ((await pendingJobs()) > 0) {
      if (Date.now() > deadline + 30 * 60_000) throw new Error('the ingest jobs did not finish within 15 min');
      await new Promise((r) => setTimeout(r, 250));
    }
    const drainedS = (performance.now() - t0) / 1000;
    const cpu2 = cpuAll();
    // The worker writes its job totals every 100 ms.
    await new Promise((r) => setTimeout(r, 300));
    const jobsCpu = jobsPerMail(
      jobs0,
      nodes.map((n) => n.jobs()),
      count,
    );
    const sum = (cpu, k) => cpu.nodes.reduce((s, c) => s + c[k], 0);
    const perMail = (from, to) => ({
      pier_user: round((sum(to, 0) - sum(from, 0)) / count, 2),
      pier_sys: round((sum(to, 1) - sum(from, 1)) / count, 2),
      pg_user: round((to.pg[0] - from.pg[0]) / count, 2),
      pg_sys: round((to.pg[1] - from.pg[1]) / count, 2),
    });
    const toStored = perMail(cpu0, cpu1);
    const toDrained = perMail(cpu0, cpu2);
    const byNode = nodes
      .map((n, i) => {
        const [u, s] = [cpu2.nodes[i][0] - cpu0.nodes[i][0], cpu2.nodes[i][1] - cpu0.nodes[i][1]];
        return `node ${i + 1} (${n.role}) user ${round(u / 1000, 2)} s sys ${round(s / 1000, 2)} s`;
      })
      .join('; ');
    const fmt = (c) => `Pier user ${c.pier_user} + sys ${c.pier_sys} ms, PostgreSQL user ${c.pg_user} + sys ${c.pg_sys} ms per mail`;
    log(
      `ingest: Pier stored ${count} mails in ${round(storedS)} s (${round(count / storedS)} mails/s; ${fmt(toStored)}); ` +
        `their jobs done after ${round(drainedS)} s (${round(count / drainedS)} mails/s; ${fmt(toDrained)}); CPU until then: ${byNode}`,
    );
    log(
      `ingest: ${jobsPerMailTotal(jobsCpu)} jobs per mail (an event job's steps, "step:", run inside it: decision 0073). ` +
        `Pier's CPU per mail by job and step (the worker's process during each, so work beside it counts too): ${Object.entries(jobsCpu)
          .slice(0, 12)
          .map(
            ([name, j]) =>
              `${name} ×${j.jobs_per_mail} user ${j.user} + sys ${j.sys} ms (per job: wall ${j.wall_ms_per_job} ms, ` +
              `${j.statements_per_job} statements awaited ${j.db_ms_per_job} ms)`,
          )
          .join('; ')}`,
    );
    // Each job's statements by time awaited (a profile of what a job asks the database).
    writeFileSync(
      path.join(dataDir, `ingest-jobs-sql-${Date.now()}.json`),
      JSON.stringify(Object.fromEntries(Object.entries(jobsCpu).map(([name, j]) => [name, j.sql])), null, 1),
    );
    const size1 = await storageBytes(ws.db);
    const perMailBytes = (k) => Math.round((size1[k] - size0[k]) / count);
    log(
      `ingest: storage per mail ${perMailBytes('database')} bytes of database (${engine}), ${perMailBytes('blobs')} bytes of blobs ` +
        `(the bench's generated mails: plain text, 0.3–1 KB bodies, no attachments)`,
    );
    const cpuMs = (c) => round(c.pier_user + c.pier_sys + c.pg_user + c.pg_sys, 2);
    return {
      ingest_mails: count,
      ingest_deliver_s: round(deliverS),
      ingest_mails_per_s: round(count / storedS),
      ingest_with_jobs_mails_per_s: round(count / drainedS),
      ingest_cpu_ms_per_mail: cpuMs(toStored),
      ingest_with_jobs_cpu_ms_per_mail: cpuMs(toDrained),
      ingest_cpu_split_ms_per_mail: toDrained,
      ingest_jobs_cpu_ms_per_mail: Object.fromEntries(Object.entries(jobsCpu).map(([name, { sql: _, ...j }]) => [name, j])),
      ...(process.env.PIER_JOB_CONCURRENCY ? { job_concurrency: Number(process.env.PIER_JOB_CONCURRENCY) } : {}),
      ingest_db_bytes_per_mail: perMailBytes('database'),
      ingest_blob_bytes_per_mail: perMailBytes('blobs'),
      db_mb: Math.round(size1.database / 1048576),
    };
  } finally {
    await ws.close();
  }
}

/**
 * CPU ms per mail by job name between two snapshots of every node's job totals, largest first:
 * jobs per mail, user and system CPU per mail, and per job: wall ms (handler and completion),
 * statements, and the ms it awaited them (db_ms; wall − db_ms is the process's own work, or
 * waiting for its turn on the CPU). `sql`: each job's statements by time awaited, per job.
 */
function jobsPerMail(before, after, count) {
  const rows = {};
  after.forEach((totals, i) => {
    for (const [name, t] of Object.entries(totals)) {
      const b = before[i][name] ?? { count: 0, userMs: 0, sysMs: 0, wallMs: 0, statements: 0, dbMs: 0, sql: {} };
      const r = rows[name] ?? { jobs: 0, user: 0, sys: 0, wall: 0, statements: 0, db: 0, sql: {} };
      rows[name] = r;
      r.jobs += t.count - b.count;
      r.user += t.userMs - b.userMs;
      r.sys += t.sysMs - b.sysMs;
      r.wall += (t.wallMs ?? 0) - (b.wallMs ?? 0);
      r.statements += (t.statements ?? 0) - (b.statements ?? 0);
      r.db += (t.dbMs ?? 0) - (b.dbMs ?? 0);
      for (const [text, [n, ms]] of Object.entries(t.sql ?? {})) {
        const [bn, bms] = b.sql?.[text] ?? [0, 0];
        const [rn, rms] = r.sql[text] ?? [0, 0];
        r.sql[text] = [rn + n - bn, rms + ms - bms];
      }
    }
  });
  const perJob = (r, v) => round(v / Math.max(1, r.jobs), 2);
  return Object.fromEntries(
    Object.entries(rows)
      .filter(([, r]) => r.jobs > 0)
      .sort(([, a], [, b]) => b.user + b.sys - (a.user + a.sys))
      .map(([name, r]) => [
        name,
        {
          jobs_per_mail: round(r.jobs / count, 2),
          user: round(r.user / count, 2),
          sys: round(r.sys / count, 2),
          wall_ms_per_job: perJob(r, r.wall),
          db_ms_per_job: perJob(r, r.db),
          statements_per_job: perJob(r, r.statements),
          sql: Object.entries(r.sql)
            .filter(([, [n]]) => n > 0)
            .sort(([, a], [, b]) => b[1] - a[1])
            .slice(0, 12)
            .map(([text, [n, ms]]) => ({ per_job: perJob(r, n), ms_per_job: perJob(r, ms), text })),
        },
      ]),
  );
}

/** Jobs claimed per mail: a step runs inside its event's job and is no claim of its own (decision 0073). */
function jobsPerMailTotal(jobsCpu) {
  const jobs = Object.entries(jobsCpu).filter(([name]) => !name.startsWith('step:'));
  return round(
    jobs.reduce((sum, [, j]) => sum + j.jobs_per_mail, 0),
    2,
  );
}

/** The database's size on disk (PostgreSQL: pg_database_size; SQLite: the file and its WAL) and the blob store's bytes. */
async function storageBytes(db) {
  const { sql } = await import('kysely');
  const dirBytes = (dir) => {
    let bytes = 0;
    for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true }))
      if (entry.isFile()) bytes += statSync(path.join(entry.parentPath ?? entry.path, entry.name)).size;
    return bytes;
  };
  const database =
    engine === 'postgres'
      ? Number((await sql`select pg_database_size(current_database()) as n`.execute(db)).rows[0].n)
      : readdirSync(dataDir)
          .filter((f) => /\.(db|sqlite)(-wal)?$/.test(f))
          .reduce((sum, f) => sum + statSync(path.join(dataDir, f)).size, 0);
  const blobsDir = path.join(dataDir, 'blobs');
  return { database, blobs: existsSync(blobsDir) ? dirBytes(blobsDir) : 0 };
}
