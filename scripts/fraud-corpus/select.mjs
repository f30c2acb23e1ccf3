#!/usr/bin/env node
// Builds the stranger-phishing / legitimate-payment evaluation set (decision 0036) from public
// mailing-list archives (public-inbox git repositories, one message per commit in the file `m`).
// The archives grant no licence to redistribute the messages, so the repo keeps only this script
// and the manifest it writes (sources.json: repository, pinned commit, message commit, label,
// family); `npm run fraud:corpus` materialises the .eml files into .cache/fraud-corpus/.
//   node scripts/fraud-corpus/select.mjs --select   re-run the selection rules, rewrite sources.json
//   node scripts/fraud-corpus/select.mjs            write the .eml files listed in sources.json
// Mirrors are looked up under $PIER_CORPUS_MIRRORS (default .cache/mirrors/<owner>+<name>/repo in the repository),
// i.e. `git clone --mirror https://github.com/<owner>/<name>` works as well.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const manifestPath = path.join(here, 'sources.json');
const outDir = process.env.PIER_FRAUD_CORPUS ?? path.join(root, '.cache', 'fraud-corpus');
const mirrors = process.env.PIER_CORPUS_MIRRORS ?? path.join(root, '.cache', 'mirrors');

/** Repositories and the commit the selection was made at (git history is append-only). */
const SOURCES = [
  { repo: 'linux-mailinglist-archives/linux-sctp.vger.kernel.org.0', commit: '4ffd08331c52a9e014f3c275173c60a77ee70dd2' },
  { repo: 'linux-mailinglist-archives/linux-hams.vger.kernel.org.0', commit: '4688ae6a63f009ac986ea6248360b5d59e447995' },
  { repo: 'linux-mailinglist-archives/kernel-janitors.vger.kernel.org.0', commit: 'e1f173d7d1b0551ab9864366cc3f5494a70f21ea' },
  { repo: 'linux-mailinglist-archives/usrp-users.lists.ettus.com.0', commit: 'ca763a0eab9f857948f294e78103c609e477dc34' },
  // Held out: read last, so lures already sent to the lists above are skipped; never used to tune.
  { repo: 'linux-mailinglist-archives/linux-ppp.vger.kernel.org.0', commit: 'a25de6e81b34e7d5345b0cd1134896ef5055cf05', holdout: true },
  // Held out, added by the fraud stream (issue 16 round 2) and never looked at mail by mail while tuning.
  { repo: 'linux-mailinglist-archives/linux-alpha.vger.kernel.org.0', commit: '150576baaf1f7ae7600bdc156a7547baa3c09278', holdout: true },
  { repo: 'linux-mailinglist-archives/linux-nilfs.vger.kernel.org.0', commit: '7b0c3461368ee12c4dd96f2dfd647181fb3bb5c4', holdout: true },
  { repo: 'linux-mailinglist-archives/linux-hexagon.vger.kernel.org.0', commit: 'e3b191d64aa21c0aedf71dda0a8fcf92c4414beb', holdout: true },
  { repo: 'linux-mailinglist-archives/linux-x25.vger.kernel.org.0', commit: '479f5d3157b4288ac96503d00ee3352c454cb1d1', holdout: true },
];

const gitDir = (repo) => path.join(mirrors, repo.replace('/', '+'), 'repo');

/** Every message of one archive up to the pinned commit: [{ id, raw }]. */
async function readArchive(source, only) {
  const dir = gitDir(source.repo);
  const ids =
    only ??
    execFileSync('git', ['-C', dir, 'rev-list', source.commit], { maxBuffer: 1 << 28 })
      .toString()
      .trim()
      .split('\n');
  const child = spawn('git', ['-C', dir, 'cat-file', '--batch']);
  const chunks = [];
  child.stdout.on('data', (c) => chunks.push(c));
  child.stdin.end(`${ids.map((i) => `${i}:m`).join('\n')}\n`);
  await new Promise((resolve) => child.on('close', resolve));
  const buf = Buffer.concat(chunks);
  const out = [];
  let pos = 0;
  for (const id of ids) {
    const nl = buf.indexOf(10, pos);
    const head = buf.subarray(pos, nl).toString();
    pos = nl + 1;
    if (head.endsWith('missing')) continue;
    const size = Number(head.split(' ')[2]);
    out.push({ id, raw: buf.subarray(pos, pos + size) });
    pos += size + 1;
  }
  return out;
}

function headerOf(raw) {
  const text = raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = text.slice(0, end).replace(/\r?\n[ \t]+/g, ' ');
  const get = (name) => new RegExp(`^${name}:[ \\t]*(.*)$`, 'mi').exec(head)?.[1]?.trim() ?? '';
  return { get, body: text.slice(end, end + 6000) };
}

const decodeWords = (s) =>
  s.replace(/=\?([^?]+)\?([bqBQ])\?([^?]*)\?=/g, (_, _cs, enc, data) =>
    enc.toLowerCase() === 'b'
      ? Buffer.from(data, 'base64').toString('utf8')
      : data.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (_m, h) => String.fromCharCode(parseInt(h, 16))),
  );

// Money lures: advance-fee "fund", donations, loans/investment, fake orders/invoices.
const LURE =
  /\b(?:funds?|inheritance|beneficiar\w*|compensation|loans?|donat\w+|invoices?|remittance|wire|bank|atm (?:master )?card|millions?|usd|us\$|euro|western union|money ?gram|bitcoin|lottery|prize|payments?|transfer|consignment|deposit|investments?|investors?|grant|proposal|dividend|purchase|quotation|rfq|order|spende|kredit|darlehen|geld|gesch[aä]ft|fondos|pr[eé]stamo|dinheiro|empr[eé]stimo|h[ée]ritage|don|prestito|eredit[aà])\b|\$\s?\d|€\s?\d|\d\s?(?:€|eur\b)/i;
const DEVELOPER =
  /\[PATCH|diff --git|Signed-off-by:|\bkernel\b|\bdriver\b|\bcommit\b|\bgit\b|\bhamlib\b|\bax\.?25\b|\buhd\b|\bgnuradio\b|\bfpga\b|\bsctp\b|\bppp\w*|\bconfigur\w*|\bmodem\b|\bvpn\b|\b\w+\(\)/i;
// Legitimate mail that talks money: orders, quotes, invoices, payments, prices, funding.
const MONEY =
  /\b(?:invoices?|payments?|paid|pay|purchase(?:d| order)?|quot(?:e|ation)|price[sd]?|pricing|refund|order(?:ed)?|bank|wire|budget|funding|grant|sponsor\w*|donat\w+|cost)\b/i;

const addressOf = (from) => (/<([^>]+)>/.exec(from)?.[1] ?? from).trim().toLowerCase();

/** Every n-th entry so that each family keeps at most `max` mails, spread over the archive's years. */
function spread(list, max) {
  if (list.length <= max) return list;
  const step = list.length / max;
  return Array.from({ length: max }, (_, i) => list[Math.floor(i * step)]);
}

function family(subject, body) {
  const t = `${subject}\n${body}`;
  if (
    /\b(?:spende|kredit|darlehen|geld|gesch[aä]ft|sehr geehrte|guten tag|bom dia|querid[oa]|estimad[oa]|fondos|pr[eé]stamo|cher|ch[eè]re|heritage|caro|cara|dinheiro)\b/i.test(
      t,
    ) ||
    /[^\p{ASCII}]{6}/u.test(decodeWords(subject))
  )
    return 'non_english';
  if (/\b(?:purchase|quotation|rfq|order|product inquiry|inquiry|supply|invoice|payment advice|remittance advice|proforma)\b/i.test(t))
    return 'b2b_order_invoice';
  if (/\b(?:loans?|investments?|investors?|funding|financ\w+|interest rate|dividend|partnership|proposal|bitcoin|crypto)\b/i.test(t))
    return 'loan_investment';
  return 'advance_fee';
}

async function select() {
  const entries = [];
  const seen = new Set();
  for (const source of SOURCES) {
    const messages = await readArchive(source);
    const usrp = source.repo.includes('usrp-users');
    // People who ever replied in a thread take part in the list: not strangers sending lures.
    const participants = new Set();
    for (const { raw } of messages) {
      const { get } = headerOf(raw);
      if (get('In-Reply-To')) participants.add(addressOf(get('From')));
    }
    for (const { id, raw } of messages) {
      const { get, body } = headerOf(raw);
      const messageId = get('Message-ID').toLowerCase();
      const subject = decodeWords(get('Subject'));
      const from = decodeWords(get('From'));
      // The same lure is often sent to several lists under new Message-IDs: one copy per sender and subject.
      const key = `${addressOf(from)}|${subject.toLowerCase()}`;
      if (seen.has(key) || seen.has(messageId) || raw.length > 400_000) continue;
      if (messageId) seen.add(messageId);
      const threaded = get('In-Reply-To') !== '' || get('References') !== '';
      if (
        !usrp &&
        !threaded &&
        !DEVELOPER.test(`${subject}\n${body}`) &&
        LURE.test(`${subject}\n${body}`) &&
        !/@vger\.kernel\.org>?$/.test(from) &&
        !participants.has(addressOf(from))
      ) {
        seen.add(key);
        entries.push({
          repo: source.repo,
          commit: id,
          label: 'phishing',
          family: `${source.holdout ? 'holdout_' : ''}${family(subject, body)}`,
          subject: subject.slice(0, 100),
          from: from.slice(0, 100),
        });
      } else if (
        usrp &&
        participants.has(addressOf(get('Reply-To') || from)) &&
        /\[USRP-users\]/.test(subject) &&
        MONEY.test(`${subject}\n${body}`) &&
        !LURE.test(subject.replace(/\[USRP-users\]/, '').replace(/order|bank|wire|transfer|purchase|quot\w+|payment|invoice/gi, ''))
      ) {
        seen.add(key);
        entries.push({
          repo: source.repo,
          commit: id,
          label: 'legit',
          family: threaded ? 'list_reply_money_words' : 'list_question_money_words',
          subject: subject.slice(0, 100),
          from: from.slice(0, 100),
        });
      }
    }
  }
  const groups = new Map();
  for (const e of entries) groups.set(`${e.label}/${e.family}`, [...(groups.get(`${e.label}/${e.family}`) ?? []), e]);
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([key, list]) => spread(list, key.startsWith('legit') ? 200 : 100));
}

/**
 * Phishing exactly as archived minus the list's own headers: judged as the direct delivery it was
 * aimed at (vger does not rewrite From or Reply-To). Legitimate list mail keeps them: Mailman
 * rewrote its From/Reply-To for DMARC, and those headers only make sense as the list mail it is.
 */
function asDirectMail(raw) {
  const text = raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = text
    .slice(0, end)
    .split(/\r?\n(?![ \t])/)
    .filter((h) => !/^(?:list-[\w-]+|precedence|mailing-list|x-mailman-[\w-]+|x-mailing-list)\s*:/i.test(h))
    .join('\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), raw.subarray(Buffer.byteLength(text.slice(0, end), 'latin1'))]);
}

if (process.argv.includes('--select')) {
  const entries = await select();
  const manifest = {
    note: 'Selected by scripts/fraud-corpus/select.mjs --select; see README.md. Messages are not redistributed, only referenced.',
    sources: SOURCES,
    mails: entries.map(({ repo, commit, label, family, subject, from }) => ({ repo, commit, label, family, subject, from })),
  };
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 1)}\n`);
  const count = (label) => entries.filter((e) => e.label === label).length;
  console.log(`selected ${count('phishing')} phishing, ${count('legit')} legitimate → ${path.relative(root, manifestPath)}`);
} else {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const labels = [];
  for (const source of manifest.sources) {
    if (!existsSync(gitDir(source.repo)))
      throw new Error(`mirror missing: ${gitDir(source.repo)} (git clone --mirror https://github.com/${source.repo})`);
    const wanted = manifest.mails.filter((m) => m.repo === source.repo);
    const messages = await readArchive(
      source,
      wanted.map((m) => m.commit),
    );
    const byId = new Map(messages.map((m) => [m.id, m.raw]));
    for (const m of wanted) {
      const raw = byId.get(m.commit);
      if (!raw) throw new Error(`missing message ${m.commit} in ${source.repo}`);
      const file = `${m.label}/${m.family}/${source.repo.split('/')[1].split('.')[0]}-${m.commit.slice(0, 12)}.eml`;
      mkdirSync(path.join(outDir, path.dirname(file)), { recursive: true });
      writeFileSync(path.join(outDir, file), m.label === 'phishing' ? asDirectMail(raw) : raw);
      labels.push({ file, label: m.label, family: m.family });
    }
  }
  writeFileSync(path.join(outDir, 'labels.json'), JSON.stringify(labels, null, 1));
  console.log(`wrote ${labels.length} mails to ${outDir}`);
}
