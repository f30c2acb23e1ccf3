#!/usr/bin/env node
// `npm test`: build, then two lanes side by side (decision 0047), and end with one line
// "tests: N passed, N failed" counting each test plus the typecheck and lint steps.
//   checks lane: typecheck, lint, then the Vitest projects that need no server (unit, web), then
//                the integration files that need only PostgreSQL (PIER_TEST_INTEGRATION=database,
//                vitest.config.ts), once the server lane has the test servers up;
//   server lane: start the real test servers (Dovecot, Postfix, PostgreSQL; Chromium installed),
//                run the files that use the mail bench (the other integration files, mail-live,
//                browser) one at a time; the servers stop when both lanes are done (also on
//                failure or Ctrl-C).
// The server lane runs one file at a time and often waits on those servers and Chromium; the checks
// lane is CPU work that shares none of the mail bench's mailboxes, so on two cores the whole run
// takes about as long as the server lane. The build comes first: the tests run server/dist and
// web/dist, and typecheck's `tsc -b` then has nothing left to write while tests read server/dist.
// The checks lane's output is kept and printed as one block when it ends, so the lanes' lines do
// not mix.
// Extra arguments go to one Vitest run in the server lane: `npm test -- --project unit`.
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
/** The test servers' variables once the server lane has started them (undefined when they did not start). */
let envReady;
const testServers = new Promise((resolve) => {
  envReady = resolve;
});
const children = new Set();

const seconds = (t0) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
const npx = (bin) => path.join(root, 'node_modules', '.bin', bin);

/**
 * Runs a command without blocking the other lane. `log` collects its output (stdout and stderr)
 * instead of printing it; `stdout: 'pipe'` returns stdout and prints only stderr.
 */
function run(cmd, args, { log, stdout, env } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, {
      cwd: root,
      env: env ?? process.env,
      stdio: ['ignore', log || stdout ? 'pipe' : 'inherit', log ? 'pipe' : 'inherit'],
    });
    children.add(child);
    let out = '';
    child.stdout?.on('data', (chunk) => {
      if (log) log.push(chunk.toString());
      else out += chunk.toString();
    });
    child.stderr?.on('data', (chunk) => log?.push(chunk.toString()));
    child.on('error', (error) => {
      log?.push(`${error.message}\n`);
      resolve({ code: 1, stdout: out });
    });
    child.on('close', (code) => {
      children.delete(child);
      resolve({ code: code ?? 1, stdout: out });
    });
  });
}

async function step(name, cmd, args, log) {
  const t0 = Date.now();
  const say = (line) => (log ? log.push(`${line}\n`) : console.log(line));
  say(`\n▶ ${name}`);
  const { code } = await run(cmd, args, { log });
  say(`${code === 0 ? '✔' : '✘'} ${name} (${seconds(t0)})`);
  return code === 0;
}

function stopEnv() {
  if (!envStarted || process.env.PIER_TEST_KEEP_ENV === '1') return;
  envStarted = false;
  spawnSync('bash', [testEnvScript, 'stop'], { cwd: root, stdio: 'inherit' });
}

async function stopEnvAndWait() {
  if (!envStarted || process.env.PIER_TEST_KEEP_ENV === '1') return;
  envStarted = false;
  await run('bash', [testEnvScript, 'stop']);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
    stopEnv();
    process.exit(130);
  });
}

/** Adds a Vitest JSON report's counts; a failed run without a failed test (a file or hook) counts one. */
function count(report, code) {
  if (!existsSync(report)) {
    failed++;
    return;
  }
  const result = JSON.parse(readFileSync(report, 'utf8'));
  passed += result.numPassedTests;
  failed += result.numFailedTests;
  if (code !== 0 && result.numFailedTests === 0) failed++;
}

const vitestRun = (report, args, options) =>
  run(npx('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...args], options);

if (!(await step('build', process.execPath, [path.join(root, 'scripts', 'build.mjs')]))) {
  console.log(`\ntests: ${passed} passed, ${failed + 1} failed`);
  process.exit(1);
}

async function checksLane() {
  const log = [];
  const t0 = Date.now();
  for (const [name, cmd, args] of [
    ['typecheck', 'npm', ['run', '--silent', 'typecheck']],
    ['lint', npx('biome'), ['check', '.']],
  ]) {
    if (await step(name, cmd, args, log)) passed++;
    else failed++;
  }
  if (vitestArgs.length === 0) {
    const report = path.join(outDir, 'vitest-unit.json');
    log.push('\n▶ vitest: unit, web\n');
    const { code } = await vitestRun(report, ['--project', 'unit', '--project', 'web'], {
      log,
      env: { ...process.env, PIER_TEST_OUTPUT: outDir },
    });
    count(report, code);
    const env = await testServers;
    if (env) {
      const integrationReport = path.join(outDir, 'vitest-integration-database.json');
      log.push('\n▶ vitest: integration (the files that need only PostgreSQL)\n');
      const result = await vitestRun(integrationReport, ['--project', 'integration'], {
        log,
        env: { ...process.env, ...env, PIER_TEST_OUTPUT: outDir, PIER_TEST_INTEGRATION: 'database' },
      });
      count(integrationReport, result.code);
    }
  }
  const what = vitestArgs.length === 0 ? ', unit, web, integration (database only)' : '';
  console.log(`\n━━ checks lane (typecheck, lint${what}; ${seconds(t0)}) ━━`);
  process.stdout.write(log.join(''));
  console.log('━━ end of checks lane ━━');
}

async function serverLane() {
  // The servers the tests talk to: installed when missing, started on loopback.
  const t0 = Date.now();
  console.log('\n▶ test servers (scripts/test-env)');
  const envRun = await run('bash', [testEnvScript, 'start'], { stdout: 'pipe' });
  process.stdout.write(envRun.stdout);
  envStarted = true;
  const envFile = /env: (.+)\s*$/.exec(envRun.stdout)?.[1]?.trim();
  if (envRun.code !== 0 || !envFile || !existsSync(envFile)) {
    console.error('✘ the test servers did not start (see above)');
    envReady(undefined);
    failed++;
    return;
  }
  const testEnv = {};
  for (const line of readFileSync(envFile, 'utf8').split('\n')) {
    const match = /^export ([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) testEnv[match[1]] = match[2].replace(/^['"]|['"]$/g, '');
  }
  console.log(`✔ test servers (${seconds(t0)})`);
  envReady(testEnv);
  const report = path.join(outDir, 'vitest.json');
  const projects = vitestArgs.length > 0 ? vitestArgs : ['--project', 'integration', '--project', 'mail-live', '--project', 'browser'];
  // Without arguments the integration files of the checks lane are left out here.
  const part = vitestArgs.length > 0 ? {} : { PIER_TEST_INTEGRATION: 'bench' };
  const { code } = await vitestRun(report, projects, { env: { ...process.env, ...testEnv, PIER_TEST_OUTPUT: outDir, ...part } });
  count(report, code);
}

await Promise.all([checksLane(), serverLane()]);
await stopEnvAndWait();
console.log(`\nwall time ${seconds(started)}; artifacts in test-output/`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
