#!/usr/bin/env node
// The SMTP listener's memory under large mails (issue 14): starts the built Pier
// (server/dist/main.js) on SQLite in a temp folder, sends N mails of M MB at once
// to its listener and reports the Pier process's peak RSS (VmHWM) and how many
// mails got 250. No test bench needed. Options: --mails N (default 10),
// --mb M (default 48), --max-connections C (PIER_SMTP_MAX_CONNECTIONS; a sender
// refused with 421 retries after a second, as a real MTA would, only sooner).
// The last line is one JSON object.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { arg, machine, root } from './bench/lib.mjs';

const mails = Number(arg('mails', 10));
const mb = Number(arg('mb', 48));
const maxConnections = arg('max-connections', undefined);
const dist = (p) => path.join(root, 'server/dist', p);
execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), '--quiet'], { stdio: 'inherit' });

const dataDir = mkdtempSync(path.join(tmpdir(), 'pier-bench-smtp-'));
const globals = ['--data-dir', dataDir];
const env = { ...process.env, DATABASE_URL: '', PIER_DATA_DIR: dataDir };
execFileSync(process.execPath, [dist('cli.js'), ...globals, 'mailbox', 'add', '--address', 'sales@acme.test', '--name', 'Sales'], {
  env,
  stdio: 'ignore',
});
const pier = spawn(process.execPath, [dist('main.js')], {
  env: {
    ...env,
    PIER_HOST: '127.0.0.1',
    PIER_PORT: '0',
    PIER_SMTP_PORT: '0',
    PIER_SMTP_MAX_MB: String(mb + 2),
    PIER_LOG_LEVEL: 'info',
    PIER_DNS_SERVERS: '127.0.0.1:1',
    ...(maxConnections ? { PIER_SMTP_MAX_CONNECTIONS: maxConnections } : {}),
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let output = '';
const smtpPort = await new Promise((resolve, reject) => {
  pier.stdout.on('data', (chunk) => {
    output += chunk.toString();
    const line = output.split('\n').find((l) => l.includes('Pier is running'));
    if (line) resolve(JSON.parse(line).smtpPort);
  });
  pier.once('exit', () => reject(new Error(`Pier exited:\n${output}`)));
});
const rssOf = (field) =>
  Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pier.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const idleMb = rssOf('VmRSS');

// One attachment of random bytes (base64 in the mail: ~4/3 of it) makes a mail of about `mb` MB.
const attachment = randomBytes(Math.floor(((mb * 1024 * 1024) / 4) * 3) - 4096);
const send = async (i) => {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        const info = await transport.sendMail({
          from: 'buyer@customer.test',
          to: 'sales@acme.test',
          subject: `Large mail ${i}`,
          text: 'The drawings are attached.',
          attachments: [{ filename: `drawings-${i}.bin`, content: attachment }],
        });
        return { accepted: info.response.startsWith('250'), attempts: attempt + 1 };
      } catch (error) {
        if (error.responseCode !== 421 || attempt > 120) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  } finally {
    transport.close();
  }
};
const t0 = performance.now();
const results = await Promise.allSettled(Array.from({ length: mails }, (_, i) => send(i)));
const seconds = (performance.now() - t0) / 1000;
const peakMb = rssOf('VmHWM');
pier.kill('SIGTERM');
await new Promise((resolve) => pier.once('exit', resolve));
rmSync(dataDir, { recursive: true, force: true });

const accepted = results.filter((r) => r.status === 'fulfilled' && r.value.accepted).length;
const refusedOnce = results.filter((r) => r.status === 'fulfilled' && r.value.attempts > 1).length;
const failed = results.filter((r) => r.status === 'rejected').map((r) => String(r.reason?.message ?? r.reason).slice(0, 120));
console.log(
  `${accepted}/${mails} mails of ${mb} MB stored in ${seconds.toFixed(1)} s; ${refusedOnce} waited for a 421; Pier RSS idle ${Math.round(idleMb)} MB, peak ${Math.round(peakMb)} MB`,
);
console.log(
  JSON.stringify({
    machine: machine(),
    mails,
    mail_mb: mb,
    max_connections: maxConnections ? Number(maxConnections) : null,
    accepted,
    waited_for_421: refusedOnce,
    failed,
    seconds: Math.round(seconds * 10) / 10,
    idle_rss_mb: Math.round(idleMb),
    peak_rss_mb: Math.round(peakMb),
  }),
);
