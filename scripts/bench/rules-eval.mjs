// Rules evaluation cost (decision 0032): 50 rules on 1,000 mails, and a catastrophic-backtracking
// pattern on 64 KiB under RE2. Run after a build: node scripts/bench/rules-eval.mjs (prints CPU ms).
import { ruleMatches, selectRules } from '../../server/dist/modules/rules/evaluate.js';

const facts = (i) => ({
  from: `buyer${i}@kunde${i % 7}.de`,
  fromName: 'Hans',
  to: ['sales@acme.test'],
  cc: [],
  subject: `Anfrage ${i} LED Panel`,
  body: 'Bitte senden Sie uns Ihr bestes Angebot. '.repeat(40),
  language: 'de',
  country: 'DE',
  category: 'person',
  firstContact: i % 2 === 0,
  attachments: [{ mime: 'application/pdf', filename: 'rfq.pdf' }],
  fraudLevel: 'none',
  insideBusinessHours: true,
  mailboxIds: ['mb'],
  tags: [],
});
const rules = Array.from({ length: 50 }, (_, i) => ({
  id: `r${i}`,
  name: `r${i}`,
  mailboxId: null,
  enabled: true,
  position: i,
  trigger: 'message',
  match: i % 2 ? 'any' : 'all',
  repeat: false,
  actions: [],
  conditions: [
    { field: 'subject-or-body', op: 'words', values: ['angebot', 'price', '报价'] },
    { field: 'body', op: 'regex', values: [`\\b(quote|angebot)\\s+${i}`] },
    { field: 'country', values: ['DE', 'AT'] },
    { field: 'attachment', types: ['pdf'] },
  ],
}));
const all = Array.from({ length: 1000 }, (_, i) => facts(i));
for (const f of all.slice(0, 50)) selectRules(rules, f, 'message', new Set()); // warm
const t0 = process.cpuUsage();
const w0 = performance.now();
for (const f of all) selectRules(rules, f, 'message', new Set());
const used = process.cpuUsage(t0);
console.log(
  JSON.stringify({
    mails: 1000,
    rules: 50,
    userMs: used.user / 1000,
    systemMs: used.system / 1000,
    wallMs: Math.round(performance.now() - w0),
  }),
);
const evil = { ...facts(1), body: `${'a'.repeat(64 * 1024)}!` };
const t1 = process.cpuUsage();
ruleMatches({ match: 'all', conditions: [{ field: 'body', op: 'regex', values: ['^(a+)+$'] }] }, evil);
const u1 = process.cpuUsage(t1);
console.log(JSON.stringify({ catastrophicPattern64KiB: { userMs: u1.user / 1000, systemMs: u1.system / 1000 } }));
