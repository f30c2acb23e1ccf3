// prepareMail of two builds over the same mail, held deep-equal: parsed fields, text, HTML,
// attachments (names, types, cid/inline flags, blob hashes), participants, category, identity
// and index texts. For parser and prepare changes that must read nothing differently (0063).
// Usage: node scripts/bench/compare-prepare.mjs BEFORE_DIST [mails] [dir-of-eml…]
// (BEFORE_DIST, e.g. a copy of server/dist from the parent commit; PIER_BENCH_DIST is the after
// build, server/dist by default). Mails: that many bench-corpus mails (default 20,000, what
// bench:sync syncs), then every .eml of the given folders. Output: one JSON line; exit 1 on a difference.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { corpus } from './corpus.mjs';
import { root } from './lib.mjs';

const [beforeDist, count = '20000', ...dirs] = process.argv.slice(2);
if (!beforeDist) throw new Error('usage: compare-prepare.mjs BEFORE_DIST [mails] [dir-of-eml…]');
const load = async (dist) => {
  const at = (p) => path.resolve(root, dist, p);
  const { prepareMail } = await import(at('modules/conversations/prepare-mail.js'));
  const { openBlobStore } = await import(at('storage/blob-stores.js'));
  const dataDir = mkdtempSync(path.join(tmpdir(), 'pier-compare-prepare-'));
  return { prepareMail, blobs: openBlobStore({ kind: 'filesystem', root: dataDir }), dataDir };
};
const before = await load(beforeDist);
const after = await load(process.env.PIER_BENCH_DIST ?? 'server/dist');

const files = dirs.flatMap((dir) =>
  readdirSync(dir, { recursive: true })
    .filter((name) => String(name).endsWith('.eml'))
    .map((name) => path.join(dir, String(name))),
);
function* mails() {
  for (const raw of corpus(Number(count))) yield { name: 'corpus', raw };
  for (const file of files) yield { name: file, raw: readFileSync(file) };
}

let equal = 0;
const different = [];
for (const { name, raw } of mails()) {
  // A copy each: a build must not see the other's buffer (or its cached readings).
  const [a, b] = [await before.prepareMail(before.blobs, Buffer.from(raw)), await after.prepareMail(after.blobs, Buffer.from(raw))];
  if (isDeepStrictEqual(a, b)) equal++;
  else different.push(name === 'corpus' ? `corpus #${equal + different.length}` : name);
}
for (const build of [before, after]) rmSync(build.dataDir, { recursive: true });
console.log(JSON.stringify({ compared: equal + different.length, equal, different: different.slice(0, 20) }));
process.exitCode = different.length ? 1 : 0;
