#!/usr/bin/env node
// `node scripts/bench-sign-in.mjs [--rounds 60]` (after `node scripts/build.mjs`)
//
// How long a refused password sign-in takes, by case, on the embedded SQLite database (a
// measurement, not a timed test): an unknown address, a locked account (right and wrong password)
// and an active account with a wrong password should cost the same (one argon2 verification
// each), so the time does not tell which addresses have an account. Starts Pier in this process
// on a scratch data directory; requests go over loopback one at a time, the cases interleaved.
// The last line printed is one JSON object (milliseconds: median, p90, min, max).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startPier } from '../server/dist/compose.js';
import { loadConfig } from '../server/dist/config.js';
import { createAccount } from '../server/dist/modules/security/index.js';

const roundsArg = process.argv.indexOf('--rounds');
const rounds = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 60;
const dataDir = mkdtempSync(path.join(tmpdir(), 'pier-sign-in-bench-'));
const password = 'a long enough password';
const config = loadConfig({
  PIER_PORT: '0',
  PIER_SMTP_ENABLED: 'false',
  PIER_DATA_DIR: dataDir,
  PIER_LOG_LEVEL: 'silent',
  PIER_LOGIN_RATE_LIMIT: '10000',
  PIER_TRUST_PROXY: '127.0.0.1',
});
const pier = await startPier(config, pino({ level: 'silent' }));
try {
  for (const email of ['locked@acme.test', 'active@acme.test']) {
    await createAccount(pier.workspace.db, { email, name: email, password, role: 'agent' });
  }
  const csrf = 'csrf-for-the-bench';
  // Each case from its own address (the bench is the trusted proxy), so the per-address lock of 20 failures never trips.
  const login = (email, secret, ip) =>
    fetch(`${pier.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `pier_csrf=${csrf}`, 'x-csrf-token': csrf, 'x-forwarded-for': ip },
      body: JSON.stringify({ email, password: secret }),
    });
  // Lock one account: five wrong passwords.
  for (let i = 0; i < 5; i++) await login('locked@acme.test', `wrong ${i} wrong`, '198.51.100.200');
  const cases = {
    unknown: (i) => login(`nobody${i}@acme.test`, 'some guess here', `198.51.100.${i % 200}`),
    lockedRightPassword: (i) => login('locked@acme.test', password, `198.51.101.${i % 200}`),
    lockedWrongPassword: (i) => login('locked@acme.test', 'some guess here', `198.51.102.${i % 200}`),
    activeWrongPassword: (i) => login('active@acme.test', 'some guess here', `198.51.103.${i % 200}`),
  };
  const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  const answers = Object.fromEntries(Object.keys(cases).map((k) => [k, new Set()]));
  for (let i = 0; i < rounds + 5; i++) {
    for (const [name, run] of Object.entries(cases)) {
      const started = performance.now();
      const response = await run(i);
      const body = await response.text();
      const ms = performance.now() - started;
      if (i >= 5) times[name].push(ms); // the first rounds warm up
      answers[name].add(`${response.status} ${body}`);
      // The active account must not lock during the run: a success clears its counter every fourth round.
      if (name === 'activeWrongPassword' && i % 4 === 3) await login('active@acme.test', password, '198.51.104.1');
    }
  }
  const stats = (list) => {
    const sorted = [...list].sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    const r = (n) => Math.round(n * 10) / 10;
    return { median: r(at(0.5)), p90: r(at(0.9)), min: r(sorted[0]), max: r(sorted.at(-1)) };
  };
  const result = Object.fromEntries(Object.entries(times).map(([k, v]) => [k, stats(v)]));
  for (const [name, seen] of Object.entries(answers)) console.log(`${name}: ${[...seen].join(' | ')}`);
  console.log(JSON.stringify({ rounds, ...result }));
} finally {
  await pier.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
