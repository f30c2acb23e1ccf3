#!/usr/bin/env node
// `npm test`: typecheck, lint, build, start the real test servers (Dovecot,
// Postfix, PostgreSQL; Chromium installed), run every Vitest project, stop the
// servers (also on failure or Ctrl-C), and end with one line "tests: N passed, N failed"
// counting each test plus the typecheck and lint steps.
// Extra arguments go to Vitest: `npm test -- --project unit`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'test-output');
mkdirSync(outDir, { recursive: true });
const vitestArgs = process.argv.slice(2);
const testEnvScript = path.join(root, 'scripts', 'test-env', 'test-env.sh');
const started = Date.now();
let passed = 0;
let failed = 0;
let envStarted = false;

const seconds = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

function step(name, cmd, args, options = {}) {
  const t0 = Date.now();
  console.log(`\n▶ ${name}`);
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options });
  const ok = result.status === 0;
  console.log(`${ok ? '✔' : '✘'} ${name} (${seconds(t0)})`);
  return ok;
}

function stopEnv() {
  if (!envStarted || process.env.PIER_TEST_KEEP_ENV === '1') return;
  envStarted = false;
  spawnSync('bash', [testEnvScript, 'stop'], { cwd: root, stdio: 'inherit' });
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    stopEnv();
    process.exit(130);
  });
}

const npx = (bin) => path.join(root, 'node_modules', '.bin', bin);

for (const [name, cmd, args] of [
  ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
  ['lint', npx('biome'), ['check', '.']],
]) {
  if (step(name, cmd, args)) passed++;
  else failed++;
}

if (!step('build', process.execPath, [path.join(root, 'scripts', 'build.mjs')])) {
  console.log(`\ntests: ${passed} passed, ${failed + 1} failed`);
  process.exit(1);
}

// The servers the tests talk to: installed when missing, started on loopback.
const t0 = Date.now();
console.log('\n▶ test servers (scripts/test-env)');
const envRun = spawnSync('bash', [testEnvScript, 'start'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
process.stdout.write(envRun.stdout ?? '');
envStarted = true;
const envFile = /env: (.+)\s*$/.exec(envRun.stdout ?? '')?.[1]?.trim();
if (envRun.status !== 0 || !envFile || !existsSync(envFile)) {
  console.error('✘ the test servers did not start (see above)');
  stopEnv();
  console.log(`\ntests: ${passed} passed, ${failed + 1} failed`);
  process.exit(1);
}
const testEnv = {};
for (const line of readFileSync(envFile, 'utf8').split('\n')) {
  const match = /^export ([A-Z0-9_]+)=(.*)$/.exec(line.trim());
  if (match) testEnv[match[1]] = match[2].replace(/^['"]|['"]$/g, '');
}
console.log(`✔ test servers (${seconds(t0)})`);

const report = path.join(outDir, 'vitest.json');
const vitest = spawn(npx('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...vitestArgs], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, ...testEnv, PIER_TEST_OUTPUT: outDir },
});
const vitestCode = await new Promise((resolve) => vitest.on('exit', (code) => resolve(code ?? 1)));
stopEnv();

if (existsSync(report)) {
  const result = JSON.parse(readFileSync(report, 'utf8'));
  passed += result.numPassedTests;
  failed += result.numFailedTests;
  if (vitestCode !== 0 && result.numFailedTests === 0) failed++; // a failed file or hook, not a test
} else {
  failed++;
}
console.log(`\nwall time ${seconds(started)}; artifacts in test-output/`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
