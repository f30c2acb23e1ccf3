#!/usr/bin/env node
// Idle memory of a started Pier: `node scripts/bench/idle-rss.mjs [--seconds 60]`. Configures ten
// mailboxes on the test Dovecot (scripts/test-env, started here if it is not running; the small
// test users, not bench@ with its 20,000 mails), starts `server/dist/main.js` as `npm start` does
// (MALLOC_ARENA_MAX=2, its V8 flags), lets the mailboxes sync and go IDLE, and prints one JSON line: the median
// RSS over the last 10 seconds (idle_rss_mb) and the process's peak (peak_rss_mb). Decision 0026.
// Run it on a fresh bench: the mail-live tests leave 40 MB mails in those users, still syncing at 40 s.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { arg, percentile, root, startTestBench } from './lib.mjs';

const seconds = Number(arg('seconds', 60));
const dist = (p) => path.join(root, 'server/dist', p);
const { openWorkspace } = await import(dist('compose.js'));
const { createMailbox } = await import(dist('modules/mailboxes/index.js'));

const freePort = () =>
  new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
const testBench = startTestBench();
const { env } = testBench;
const dataDir = mkdtempSync(path.join(tmpdir(), 'pier-bench-idle-'));
const users = ['info@acme.test', 'sales@acme.test', 'support@acme.test', 'accounting@acme.test'];
const ws = await openWorkspace({ dataDir, databaseUrl: undefined, secretKey: undefined });
for (let i = 0; i < 10; i++) {
  const user = users[i % users.length];
  const server = { host: '127.0.0.1', tls: 'none', user };
  await createMailbox(
    ws.db,
    {
      address: `idle${i}@acme.test`,
      displayName: `Idle ${i}`,
      purpose: 'inquiry',
      connection: {
        preset: 'other',
        imap: { ...server, port: Number(env.PIER_TEST_IMAP_PORT) },
        smtp: { ...server, port: Number(env.PIER_TEST_SUBMISSION_PORT) },
        authMethod: 'password',
        password: env.PIER_TEST_MAIL_PASSWORD,
        syncFolders: ['inbox'],
        syncSinceDays: null,
      },
    },
    ws.secrets,
  );
}
await ws.close();

const port = await freePort();
const pier = spawn(process.execPath, ['--max-semi-space-size=4', '--heap-growing-percent=20', dist('main.js')], {
  stdio: ['ignore', 'ignore', 'inherit'],
  env: {
    ...process.env,
    MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2',
    PIER_DATA_DIR: dataDir,
    PIER_PORT: String(port),
    PIER_SMTP_PORT: String(await freePort()),
    PIER_ALLOW_PRIVATE_HOSTS: '127.0.0.1',
    PIER_LOG_LEVEL: 'warn',
  },
});
const status = () => readFileSync(`/proc/${pier.pid}/status`, 'utf8');
const kbOf = (field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status())?.[1]);
try {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline || pier.exitCode !== null) throw new Error('Pier did not become healthy');
    await new Promise((r) => setTimeout(r, 200));
  }
  // Idle is a duration: the mailboxes' first syncs finish, then nothing happens but IDLE.
  await new Promise((r) => setTimeout(r, Math.max(0, seconds - 10) * 1000));
  const samples = [];
  for (let i = 0; i < 10; i++) {
    samples.push(kbOf('VmRSS') / 1024);
    await new Promise((r) => setTimeout(r, 1000));
  }
  console.log(
    JSON.stringify({
      mailboxes: 10,
      seconds,
      idle_rss_mb: Math.round(percentile(samples, 50)),
      peak_rss_mb: Math.round(kbOf('VmHWM') / 1024),
    }),
  );
} finally {
  pier.kill('SIGTERM');
  await new Promise((r) => (pier.exitCode !== null ? r() : pier.once('exit', r)));
  rmSync(dataDir, { recursive: true, force: true });
  testBench.stop();
}
