#!/usr/bin/env node
// The SQLite FTS5 insert of a sync batch alone (decision 0045): CPU ms per 1,000 mails of the bench
// corpus, inserted 100 per transaction into the table of migration 0003, with sort keys in hash
// order within each batch (mail sharing an INTERNALDATE second, as before 0045) or ascending (as
// indexNewMessages inserts them now). Run `node scripts/build.mjs` first.
// Usage: node scripts/bench/fts-insert.mjs [mails=2000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { corpus } from './corpus.mjs';
import { prng, root } from './lib.mjs';

const dist = (p) => path.join(root, 'server/dist', p);
const { parseMail } = await import(dist('modules/conversations/parse-mail.js'));
const { indexTextsOf } = await import(dist('modules/search/index.js'));
const mails = Number(process.argv[2] ?? 2000);
const rand = prng(7);
const docs = [];
let i = 0;
for (const raw of corpus(mails)) {
  const parsed = await parseMail(Buffer.from(raw));
  // One INTERNALDATE second per batch of 100 and a hashed slot within it, as search-index.ts keys them.
  const sortKey = (1_767_225_600_000 + Math.floor(i++ / 100) * 1000) * 1024 + Math.floor(rand() * 1024);
  docs.push({ sortKey, texts: indexTextsOf({ subject: parsed.subject, body: parsed.text, participants: [], attachmentNames: [] }) });
}

function run(name, { ascending }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'pier-fts-'));
  const db = new Database(path.join(dir, 'fts.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(`create virtual table message_search using fts5(subject, body, participants, attachments, characters,
    content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2')`);
  const insert = db.prepare(
    'insert into message_search (rowid, subject, body, participants, attachments, characters) values (?, ?, ?, ?, ?, ?)',
  );
  const cpu0 = process.cpuUsage();
  for (let b = 0; b < docs.length; b += 100) {
    const batch = docs.slice(b, b + 100);
    if (ascending) batch.sort((x, y) => x.sortKey - y.sortKey);
    db.exec('begin');
    for (const { sortKey, texts: t } of batch) insert.run(sortKey, t.subject, t.body, t.participants, t.attachments, t.characters);
    db.exec('commit');
  }
  const cpu = process.cpuUsage(cpu0);
  const per1000 = (us) => ((us / 1000 / docs.length) * 1000).toFixed(0);
  console.log(`${name}: user ${per1000(cpu.user)} ms, system ${per1000(cpu.system)} ms per 1,000 mails`);
  db.close();
  rmSync(dir, { recursive: true, force: true });
}
for (let round = 0; round < 3; round++) {
  run('hash order', { ascending: false });
  run('ascending ', { ascending: true });
}
