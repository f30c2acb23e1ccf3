// The measured half of `npm run bench:sync`: Pier's initial sync of one mailbox, run in a process
// of its own so its memory (peak RSS) and CPU time are the sync's alone, not the seeding's or the
// bare pipeline's of the parent. Ten mailboxes are configured, as in a small company; one syncs.
// Input: one JSON argument; output: one JSON line.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { root } from './lib.mjs';

const input = JSON.parse(process.argv[2]);
// PIER_BENCH_DIST: another build to measure (e.g. a copy of server/dist from before a change).
const dist = (p) => path.join(root, process.env.PIER_BENCH_DIST ?? 'server/dist', p);
const { openWorkspace } = await import(dist('compose.js'));
const { createMailbox, findMailboxById } = await import(dist('modules/mailboxes/index.js'));
const { syncMailboxOnce } = await import(dist('modules/sync/index.js'));

const ws = await openWorkspace({ dataDir: input.dataDir, databaseUrl: input.databaseUrl, secretKey: undefined });
const connection = (user) => ({
  preset: 'other',
  imap: { host: '127.0.0.1', port: input.imapPort, tls: 'none', user },
  smtp: { host: '127.0.0.1', port: input.submissionPort, tls: 'none', user },
  authMethod: 'password',
  password: input.password,
  syncFolders: ['inbox'],
  syncSinceDays: null,
});
const row = await createMailbox(
  ws.db,
  { address: input.user, displayName: 'Bench', purpose: 'sales', connection: connection(input.user) },
  ws.secrets,
);
for (let i = 1; i < 10; i++) {
  await createMailbox(
    ws.db,
    { address: `other${i}@acme.test`, displayName: `Other ${i}`, purpose: 'inquiry', connection: connection('info@acme.test') },
    ws.secrets,
  );
}
const { listConversations } = await import(dist('modules/conversations/index.js'));
const before = process.resourceUsage();
const t0 = performance.now();
// First screen: seconds until the mailbox's newest 50 conversations are listable through the
// list API's own query (checked after each committed batch until it holds, then no more).
let firstScreen = null;
let firstScreenCpu = null;
let checking = false;
const onStored = async () => {
  if (firstScreen !== null || checking) return;
  checking = true;
  const listed = await listConversations(ws.db, { mailboxIds: [row.id], userId: 'bench', limit: 50, engine: ws.engine });
  if (listed.items.length >= 50 && firstScreen === null) {
    firstScreen = (performance.now() - t0) / 1000;
    // CPU seconds (all threads) spent until then: comparable on a loaded machine, where wall clock is not.
    const cpu = process.resourceUsage();
    firstScreenCpu = (cpu.userCPUTime - before.userCPUTime + cpu.systemCPUTime - before.systemCPUTime) / 1e6;
  }
  checking = false;
};
// PIER_BENCH_TRACE=FILE: where the pipeline waits (decision 0066). Each batch's stage edges go to
// FILE, one JSON line each; a summary (idle time per thread, time per stage) to stderr at the end.
const tracing = process.env.PIER_BENCH_TRACE ? await import('./sync-trace.mjs') : null;
const trace = tracing?.startTrace({ pool: (await import(dist('modules/conversations/index.js'))).preparePoolFor(ws.blobs) });
const report = await syncMailboxOnce(
  { ...ws, logger: pino({ level: 'warn' }), onStored, trace: trace?.event },
  await findMailboxById(ws.db, row.id),
);
const seconds = (performance.now() - t0) / 1000;
trace?.finish(process.env.PIER_BENCH_TRACE);
const after = process.resourceUsage();
// VmHWM: the most this process ever had resident (the kernel's own peak, no sampling gaps).
const peakKb = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
await ws.close();
console.log(
  JSON.stringify({
    mailboxId: row.id,
    stored: report.folders[0]?.stored ?? 0,
    seconds,
    first_screen_s: firstScreen ?? seconds,
    first_screen_cpu_s: firstScreenCpu,
    peak_rss_mb: Math.round(peakKb / 1024),
    user_cpu_s: (after.userCPUTime - before.userCPUTime) / 1e6,
    system_cpu_s: (after.systemCPUTime - before.systemCPUTime) / 1e6,
  }),
);
// The prepare workers are unref'd; nothing else keeps the process.
process.exit(0);
