#!/usr/bin/env node
// Builds what is out of date: the TypeScript packages (tsc -b is incremental)
// and the web app (Vite, only when a file under web/ is newer than its output).
// `npm install` runs this once; `npm start` runs it again so edits are picked up.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const force = process.argv.includes('--force');
const quiet = process.argv.includes('--quiet');
const log = (msg) => quiet || console.error(`[build] ${msg}`);

function run(cmd, args, cwd = root) {
  const result = spawnSync(cmd, args, { cwd, stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit' });
  if (result.status !== 0) {
    console.error(`[build] failed: ${cmd} ${args.join(' ')}`);
    process.exit(result.status ?? 1);
  }
}

function newestMtime(dir, skip = new Set(['node_modules', 'dist'])) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (skip.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(full, skip) : statSync(full).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
if (!existsSync(tsc)) {
  console.error('[build] TypeScript is not installed: run `npm install` first.');
  process.exit(1);
}
log('compiling packages/contracts and server');
run(process.execPath, [tsc, '-b', 'packages/contracts', 'server', ...(force ? ['--force'] : [])]);

const webOut = path.join(root, 'web', 'dist', 'index.html');
const webInputs = Math.max(newestMtime(path.join(root, 'web')), newestMtime(path.join(root, 'packages', 'contracts', 'src')));
if (force || !existsSync(webOut) || statSync(webOut).mtimeMs < webInputs) {
  log('building web (vite)');
  run(
    process.execPath,
    [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', quiet ? 'error' : 'warn'],
    path.join(root, 'web'),
  );
} else {
  log('web is up to date');
}
