// The main thread's CPU for storing prepared mail (storePreparedBatch), apart from fetching and
// preparing: the bench corpus is prepared on the pool, then stored in batches of 100 into a fresh
// SQLite workspace. Usage: node --max-semi-space-size=4 --heap-growing-percent=20
// scripts/bench/store-cpu.mjs [mails]. Output: one JSON line (CPU seconds; decision 0053).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { corpus } from './corpus.mjs';
import { root } from './lib.mjs';

const dist = (p) => path.join(root, process.env.PIER_BENCH_DIST ?? 'server/dist', p);
const { openWorkspace } = await import(dist('compose.js'));
const { createMailbox } = await import(dist('modules/mailboxes/index.js'));
const { storePreparedBatch } = await import(dist('modules/conversations/index.js'));
const { preparePoolFor } = await import(dist('modules/conversations/prepare-pool.js'));
const n = Number(process.argv[2] ?? 3000);
const dataDir = mkdtempSync(path.join(tmpdir(), 'pier-store-cpu-'));
const ws = await openWorkspace({ dataDir, databaseUrl: undefined, secretKey: undefined });
const conn = {
  preset: 'other',
  imap: { host: '127.0.0.1', port: 1, tls: 'none', user: 'x' },
  smtp: { host: '127.0.0.1', port: 1, tls: 'none', user: 'x' },
  authMethod: 'password',
  password: 'x',
  syncFolders: ['inbox'],
  syncSinceDays: null,
};
const row = await createMailbox(ws.db, { address: 'bench@acme.test', displayName: 'B', purpose: 'sales', connection: conn }, ws.secrets);
const alive = setInterval(() => {}, 1000);
const pool = preparePoolFor(ws.blobs);
const mails = [...corpus(n)];
const tick = () => {
  const st = readFileSync('/proc/thread-self/stat', 'utf8');
  const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
  return { u: Number(f[11]) / 100, s: Number(f[12]) / 100 };
};
const ctx = {
  engine: ws.engine,
  ownAddresses: new Set(['bench@acme.test']),
  messageIds: ws.messageIds,
  recordReopened: ws.recordReopened,
  teamActivity: ws.teamActivity,
};
const mainStore = { u: 0, s: 0 };
const all0 = process.cpuUsage();
let uid = 1;
for (let i = 0; i < n; i += 100) {
  const prepared = await Promise.all(mails.slice(i, i + 100).map((m) => pool.prepare(m)));
  await pool.flush();
  const t0 = tick();
  await ws.db.transaction().execute((trx) =>
    storePreparedBatch(
      trx,
      ctx,
      prepared.map((mail) => ({
        mail,
        location: {
          mailboxId: row.id,
          source: 'imap',
          folderPath: 'INBOX',
          uid: uid++,
          flags: [],
          receivedAt: Date.UTC(2026, 0, 1) + uid * 60000,
        },
      })),
    ),
  );
  const t1 = tick();
  mainStore.u += t1.u - t0.u;
  mainStore.s += t1.s - t0.s;
}
const all = process.cpuUsage(all0);
clearInterval(alive);
console.log(
  JSON.stringify({
    n,
    main_store_user_s: +mainStore.u.toFixed(2),
    main_store_sys_s: +mainStore.s.toFixed(2),
    all_user_s: all.user / 1e6,
    all_sys_s: all.system / 1e6,
  }),
);
await ws.close();
rmSync(dataDir, { recursive: true });
process.exit(0);
