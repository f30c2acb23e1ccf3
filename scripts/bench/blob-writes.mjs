#!/usr/bin/env node
// The blob writes of a bulk sync alone (decision 0054): the bench corpus's raw mails stored with
// `durable: false`, a `flush()` after every batch, as each prepare worker does. Prints the CPU
// seconds (user, system) of the writes and flushes, without generating the corpus. Run it under
// `strace -c -f` for the system calls. `--store FILE` measures another build of blob-store.js
// (e.g. a copy of the one before a change), in the same run conditions. Run `node scripts/build.mjs` first.
// `--keep` leaves the store's folder (printed) instead of removing it, so that removing it is not counted.
// Usage: node scripts/bench/blob-writes.mjs [--blobs 2000] [--batch 100] [--store server/dist/storage/blob-store.js] [--dir DIR] [--keep]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { corpus } from './corpus.mjs';
import { arg, flag, root, round } from './lib.mjs';

const blobs = Number(arg('blobs', 2000));
const batch = Number(arg('batch', 100));
const storeFile = path.resolve(arg('store', path.join(root, 'server/dist/storage/blob-store.js')));
const { createBlobStore } = await import(pathToFileURL(storeFile).href);
const raws = [...corpus(blobs)].map((raw) => Buffer.from(raw));
const dir = mkdtempSync(path.join(arg('dir', tmpdir()), 'pier-blob-writes-'));
try {
  const store = createBlobStore(dir);
  const before = process.cpuUsage();
  for (let i = 0; i < raws.length; i += batch) {
    for (const raw of raws.slice(i, i + batch)) await store.put(raw, { durable: false });
    await store.flush();
  }
  const cpu = process.cpuUsage(before);
  const bytes = raws.reduce((sum, raw) => sum + raw.length, 0);
  console.log(
    JSON.stringify({
      store: path.relative(root, storeFile),
      blobs,
      batch,
      mb: round(bytes / 1e6),
      user_cpu_s: round(cpu.user / 1e6, 3),
      system_cpu_s: round(cpu.system / 1e6, 3),
    }),
  );
} finally {
  if (!flag('keep')) rmSync(dir, { recursive: true, force: true });
}
