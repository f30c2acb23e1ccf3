// Helpers shared by the benchmarks (scripts/bench*.mjs): command-line options, figures, the
// deterministic random source, the test bench (Postfix, Dovecot, PostgreSQL) and the web app's
// first-load JS. One definition of each, so the benchmarks report comparable figures.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** The repository's root. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** `--name value` from the command line, or the fallback. */
export function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

/** `--name` is on the command line. */
export const flag = (name) => process.argv.includes(`--${name}`);

export const round = (n, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The p-th percentile by nearest rank (p50 of 30 values is the 15th smallest); the input is not changed. */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** A small deterministic PRNG (mulberry32): the same seed gives the same corpus on every machine. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** "2 × CPU model, load 1.2 0.9 0.8": the load says how much other work shared the machine. */
export function machine() {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`;
}

const testEnvScript = path.join(root, 'scripts/test-env/test-env.sh');

/** Whether the test bench (PIER_TEST_PORTBASE's) is up: `status` exits 0 only when every server is. */
export function testBenchRunning() {
  return spawnSync('bash', [testEnvScript, 'status'], { stdio: 'ignore' }).status === 0;
}

/**
 * Starts the test bench (scripts/test-env; PIER_TEST_PORTBASE selects it) unless it is running,
 * and returns its settings (PIER_TEST_*) and `stop()`, which stops it only if it was started here.
 * A start begins with empty state: its PostgreSQL's databases are gone once it stopped.
 */
export function startTestBench() {
  const script = testEnvScript;
  const wasRunning = testBenchRunning();
  const out = execFileSync('bash', [script, 'start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const file = /env: (.+)\s*$/.exec(out)?.[1]?.trim();
  if (!file) throw new Error(`test-env start printed no env file:\n${out}`);
  const env = Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .map((l) => /^export ([A-Z0-9_]+)=(.*)$/.exec(l.trim()))
      .filter(Boolean)
      .map((m) => [m[1], m[2]]),
  );
  return {
    env,
    stop() {
      if (!wasRunning) execFileSync('bash', [script, 'stop'], { stdio: 'ignore' });
    },
  };
}

/** The gzipped size (KB) of the scripts web/dist/index.html loads at once (lazy chunks such as settings excluded). */
export function firstLoadKbGz() {
  const html = readFileSync(path.join(root, 'web/dist/index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
  return round(files.reduce((sum, f) => sum + gzipSync(readFileSync(path.join(root, 'web/dist', f))).length, 0) / 1024);
}
