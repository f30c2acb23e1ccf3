#!/usr/bin/env node
// `npm run bench:sync`: how fast a mailbox becomes usable, against the real
// Dovecot of scripts/test-env (started here if it is not running).
//  (a) bare pipeline: imapflow FETCH of every full source + parsing each, storing
//      nothing, once per parser (Pier's parseMail, mailparser's simpleParser, postal-mime);
//      the fastest is `bare_parser`, and `ratio` is Pier's rate over its rate;
//  (b) Pier's full initial sync (blob, parse, dedupe, thread, index) into a
//      fresh SQLite workspace with 10 mailboxes configured, until every mail is
//      searchable, in a process of its own: its peak RSS (peak_rss_mb), median
//      RSS, user/system CPU seconds and `first_screen_s` (adding the mailbox → its newest 50
//      conversations listable through the list API; `first_screen_cpu_s`: the CPU seconds spent
//      until then) are reported; each bare pass's CPU seconds too (`bare_cpu_s_by_parser`);
// then search p50/p95 over those mails and over 10× them, beside Dovecot's own
// SEARCH BODY. Options: --mails N (default 20000), --no-10x (skip growing the
// index tenfold). The last line is one JSON object.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import { corpus } from './bench/corpus.mjs';
import { arg, flag, percentile, root, round, startTestBench } from './bench/lib.mjs';

const mails = Number(arg('mails', 20000));
const growTenfold = !flag('no-10x');
const user = 'bench@acme.test';
const dist = (p) => path.join(root, 'server/dist', p);
execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--quiet'], { stdio: 'inherit' });
const { openWorkspace } = await import(dist('compose.js'));
const { parseMail } = await import(dist('modules/conversations/parse-mail.js'));
const { searchMessages, indexNewMessages, indexTextsOf } = await import(dist('modules/search/index.js'));
const { sql } = await import('kysely');
const { simpleParser } = await import('mailparser');
// postal-mime is a dev dependency of the bench only; without it the bench compares the other two.
const PostalMime = await import('postal-mime').then((m) => m.default).catch(() => null);

// --- the test mail server -------------------------------------------------
const testBench = startTestBench();
const { env } = testBench;
const imap = {
  host: '127.0.0.1',
  port: Number(env.PIER_TEST_IMAP_PORT),
  secure: false,
  auth: { user, pass: env.PIER_TEST_MAIL_PASSWORD },
  logger: false,
};
const connect = async () => {
  const client = new ImapFlow(imap);
  client.on('error', () => {});
  await client.connect();
  return client;
};
const seconds = (t0) => (performance.now() - t0) / 1000;

try {
  // Seed: parallel APPENDs (the test Dovecot stores in sdbox, ~4× faster than maildir).
  let t0 = performance.now();
  const seeder = await connect();
  const existing = (await seeder.status('INBOX', { messages: true })).messages;
  if (existing !== mails) {
    await seeder.mailboxOpen('INBOX');
    if (existing > 0) await seeder.messageDelete('1:*');
    const all = [...corpus(mails)];
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        const c = await connect();
        while (next < all.length) await c.append('INBOX', all[next++]);
        await c.logout();
      }),
    );
    console.log(`seeded ${mails} mails in ${seconds(t0).toFixed(1)} s`);
  }
  await seeder.logout();

  // (a) bare pipeline: imapflow FETCH + one parser, for each parser available; the fastest is
  // what Pier's ratio is measured against (issue 17: any MIME parser may be Pier's).
  const parsers = {
    pier: (source) => parseMail(source),
    // With the options Pier's own parse uses: its defaults also build textAsHtml, link the text and
    // hash every attachment, work no reader of the result needs (decision 0063).
    mailparser: (source) =>
      simpleParser(source, { keepCidLinks: true, skipTextToHtml: true, skipTextLinks: true, skipImageLinks: true, checksumAlgo: false }),
    ...(PostalMime ? { 'postal-mime': (source) => PostalMime.parse(source) } : {}),
  };
  const barePasses = {};
  // CPU seconds of each pass (this process: imapflow + the parser), user and kernel apart, so the
  // comparison with Pier's own CPU time holds on a loaded machine where wall clock does not.
  const bareCpu = {};
  let parsed = 0;
  for (const [name, parse] of Object.entries(parsers)) {
    t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const bare = await connect();
    await bare.mailboxOpen('INBOX', { readOnly: true });
    parsed = 0;
    for await (const message of bare.fetch('1:*', { uid: true, source: true })) {
      await parse(message.source);
      parsed++;
    }
    await bare.logout();
    barePasses[name] = seconds(t0);
    const cpu = process.cpuUsage(cpu0);
    bareCpu[name] = { user: round(cpu.user / 1e6, 2), system: round(cpu.system / 1e6, 2) };
    console.log(
      `bare pipeline (FETCH + ${name}): ${parsed} mails in ${barePasses[name].toFixed(1)} s = ${Math.round(parsed / barePasses[name])}/s`,
    );
  }
  const [bareParser, bareSeconds] = Object.entries(barePasses).sort((a, b) => a[1] - b[1])[0];

  // (b) Pier's initial sync, in a process of its own (scripts/bench/sync-process.mjs): its peak RSS
  // and CPU time are the sync's, not the seeding's or the bare pipeline's above.
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pier-bench-sync-'));
  const child = spawn(
    process.execPath,
    [
      // The V8 flags `npm start` gives Pier (decision 0026).
      '--max-semi-space-size=4',
      '--heap-growing-percent=20',
      path.join(root, 'scripts/bench/sync-process.mjs'),
      JSON.stringify({
        dataDir,
        user,
        imapPort: imap.port,
        submissionPort: Number(env.PIER_TEST_SUBMISSION_PORT),
        password: env.PIER_TEST_MAIL_PASSWORD,
      }),
    ],
    // glibc malloc with 2 arenas, as `npm start` starts Pier (decision 0026).
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' } },
  );
  let childOut = '';
  child.stdout.on('data', (chunk) => {
    childOut += chunk;
  });
  // The median RSS over the sync, sampled from outside (the child's event loop may be busy).
  const rssSamples = [];
  const sampler = setInterval(() => {
    try {
      const kb = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
      if (kb > 0) rssSamples.push(kb / 1024);
    } catch {
      // the child has just exited
    }
  }, 250);
  const exitCode = await new Promise((resolve) => child.once('exit', resolve));
  clearInterval(sampler);
  if (exitCode !== 0) throw new Error(`the sync process failed (exit ${exitCode})`);
  const synced = JSON.parse(childOut.trim().split('\n').pop());
  const ws = await openWorkspace({ dataDir, databaseUrl: undefined, secretKey: undefined });
  const row = { id: synced.mailboxId };
  const pierSeconds = synced.seconds;
  const stored = synced.stored;
  console.log(
    `Pier initial sync: ${stored} mails stored and indexed in ${pierSeconds.toFixed(1)} s = ${Math.round(stored / pierSeconds)}/s; ` +
      `first screen ${synced.first_screen_s.toFixed(1)} s; RSS median ${Math.round(percentile(rssSamples, 50))} MB, peak ${synced.peak_rss_mb} MB; CPU user ${synced.user_cpu_s.toFixed(1)} s, system ${synced.system_cpu_s.toFixed(1)} s`,
  );

  // Search, newest 50, over the synced mails and over 10× (the same documents indexed again under other ids).
  const queries = { english_rare: 'tungsten', english_common_newest50: 'shipment', cjk3: '钨钢刀', cjk2: '报价' };
  const engine = ws.database.engine;
  const measure = async () => {
    const out = {};
    for (const [name, query] of Object.entries(queries)) {
      const times = [];
      let hits = 0;
      for (let i = 0; i < 40; i++) {
        const t = performance.now();
        hits = (await searchMessages(ws.db, engine, { query, limit: 50, mailboxIds: [row.id] })).length;
        times.push(performance.now() - t);
      }
      out[name] = { p50: round(percentile(times, 50)), p95: round(percentile(times, 95)), hits };
    }
    return out;
  };
  const at20k = await measure();
  const docs = await ws.db
    .selectFrom('messages')
    .innerJoin('message_bodies', 'message_bodies.message_id', 'messages.id')
    .select(['messages.id', 'messages.subject', 'messages.received_at', 'message_bodies.text'])
    .execute();
  // Each copy is the same documents under new ids, one millisecond bucket earlier per copy: rows
  // copied in SQL, index entries written with the sync's own multi-row path (indexNewMessages).
  const texts = docs.map((d) => indexTextsOf({ subject: d.subject, body: d.text, participants: [], attachmentNames: [] }));
  t0 = performance.now();
  for (let copy = 1; copy < (growTenfold ? 10 : 1); copy++) {
    await ws.db.transaction().execute(async (trx) => {
      await sql`
        insert into messages (id, identity, raw_sha256, raw_size, direction, to_addrs, cc_addrs, subject, received_at,
          references_json, snippet, parse_status, created_at)
        select id || ${`-copy${copy}`}, id || ${`-copy${copy}-identity`}, raw_sha256, raw_size, direction, to_addrs, cc_addrs,
          subject, received_at - ${copy * 1000}, references_json, snippet, parse_status, created_at
        from messages where id not like '%-copy%'`.execute(trx);
      await sql`
        insert into message_locations (id, message_id, mailbox_id, folder_path, uid, source, seen_at)
        select id || ${`-copy${copy}-loc`}, id || ${`-copy${copy}`}, ${row.id}, 'INBOX', null, 'import', 0
        from messages where id not like '%-copy%'`.execute(trx);
      const batch = docs.map((d, i) => ({ messageId: `${d.id}-copy${copy}`, receivedAt: d.received_at - copy * 1000, texts: texts[i] }));
      for (let i = 0; i < batch.length; i += 500) await indexNewMessages(trx, engine, batch.slice(i, i + 500));
    });
  }
  if (growTenfold) console.log(`grew the index to ${docs.length * 10} mails in ${seconds(t0).toFixed(1)} s`);
  const at200k = growTenfold ? await measure() : undefined;

  // Dovecot's own SEARCH BODY, what a mail client does (one warm run each).
  const dovecot = {};
  const client = await connect();
  await client.mailboxOpen('INBOX', { readOnly: true });
  for (const [name, query] of Object.entries(queries)) {
    await client.search({ body: query }, { uid: true });
    const t = performance.now();
    await client.search({ body: query }, { uid: true });
    dovecot[name] = Math.round(performance.now() - t);
  }
  await client.logout();
  await ws.close();
  rmSync(dataDir, { recursive: true, force: true });

  console.table(
    Object.fromEntries(
      Object.keys(queries).map((k) => [
        k,
        {
          [`${docs.length} hits`]: at20k[k].hits,
          [`${docs.length} p50`]: at20k[k].p50,
          [`${docs.length} p95`]: at20k[k].p95,
          ...(at200k
            ? {
                [`${docs.length * 10} hits`]: at200k[k].hits,
                [`${docs.length * 10} p50`]: at200k[k].p50,
                [`${docs.length * 10} p95`]: at200k[k].p95,
              }
            : {}),
          'dovecot ms': dovecot[k],
        },
      ]),
    ),
  );
  const result = {
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
    mails,
    bare_parser: bareParser,
    bare_msgs_per_s: Math.round(parsed / bareSeconds),
    bare_msgs_per_s_by_parser: Object.fromEntries(Object.entries(barePasses).map(([k, v]) => [k, Math.round(parsed / v)])),
    bare_cpu_s_by_parser: bareCpu,
    pier_msgs_per_s: Math.round(stored / pierSeconds),
    ratio: round(stored / pierSeconds / (parsed / bareSeconds), 2),
    pier_sync_seconds: round(pierSeconds),
    first_screen_s: round(synced.first_screen_s),
    first_screen_cpu_s: synced.first_screen_cpu_s === null ? null : round(synced.first_screen_cpu_s, 2),
    peak_rss_mb: synced.peak_rss_mb,
    median_rss_mb: Math.round(percentile(rssSamples, 50)),
    sync_user_cpu_s: round(synced.user_cpu_s),
    sync_system_cpu_s: round(synced.system_cpu_s),
    search_hits: Object.fromEntries(Object.keys(queries).map((k) => [k, at20k[k].hits])),
    search_p95_ms: Object.fromEntries(Object.keys(queries).map((k) => [k, at20k[k].p95])),
    ...(at200k ? { search_p95_ms_10x: Object.fromEntries(Object.keys(queries).map((k) => [k, at200k[k].p95])) } : {}),
    dovecot_search_ms: dovecot,
  };
  console.log(JSON.stringify(result));
} finally {
  testBench.stop();
}
