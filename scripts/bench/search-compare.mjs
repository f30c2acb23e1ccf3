#!/usr/bin/env node
// `node scripts/bench/search-compare.mjs OLD_DIST NEW_DIST DATABASE_URL` (issue 20, decisions 0067 and 0076): on a
// database kept by `npm run bench:api -- --engine postgres --keep`, lists every one of bench:api's eight searches (and
// a few more: a phrase, a word found nowhere, a filter, paging with `before:`) through OLD_DIST's and NEW_DIST's
// listConversations on the same database, as admin (every mailbox) and as the bench's agent (two of three mailboxes),
// limits 1, 20 and 50, with and without a view, and compares the whole JSON of each answer. Prints each difference and
// a count; exits 1 if any.
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';

const [oldDist, newDist, url] = process.argv.slice(2);
if (!url) throw new Error('usage: search-compare.mjs OLD_DIST NEW_DIST DATABASE_URL');
const builds = await Promise.all([oldDist, newDist].map((d) => import(`${d}/modules/conversations/index.js`)));
const pool = new pg.Pool({ connectionString: url, max: 1 });
const db = new Kysely({ dialect: new PostgresDialect({ pool }) });
const agentBoxes = (await pool.query(`select id from mailboxes where address in ('sales@acme.test','accounting@acme.test')`)).rows.map(
  (r) => r.id,
);
const user = (await pool.query('select id from users limit 1')).rows[0]?.id ?? 'x';
const queries = [
  'shipment',
  'tungsten',
  'catalogue',
  'invoice deposit',
  '报价',
  '样品',
  '集装箱',
  'RFQ panel',
  'tungsten carbide',
  '"tungsten carbide cutter"',
  'tungsten shipment',
  'zzzznowhere',
  'tungsten before:2025-06-01',
  'tungsten has:attachment',
];
const readers = { admin: 'all', agent: agentBoxes };
let compared = 0;
let differences = 0;
for (const query of queries)
  for (const [reader, mailboxIds] of Object.entries(readers))
    for (const limit of [1, 20, 50])
      for (const view of [undefined, 'open']) {
        const options = { mailboxIds, userId: user, limit, query, view, engine: 'postgres' };
        const a = JSON.stringify(await builds[0].listConversations(db, options));
        const b = JSON.stringify(await builds[1].listConversations(db, options));
        compared++;
        if (a !== b) {
          differences++;
          console.log(`DIFF ${reader} limit ${limit} view ${view ?? '-'} q=${query}\n  old ${a.slice(0, 300)}\n  new ${b.slice(0, 300)}`);
        } else if (limit === 50 && !view) console.log(`same ${reader} q=${query}: ${JSON.parse(a).items.length} items`);
      }
console.log(`${compared} answers compared, ${differences} differences`);
await db.destroy();
process.exit(differences > 0 ? 1 : 0);
