#!/usr/bin/env node
// Precision and recall of the fraud flag on the labelled fixture set (server/tests/fixtures/fraud).
// Imports the history into a temporary SQLite workspace, lets the fraud.assess subscriber's code
// run over it (as the worker would: assessments + bank-identifier ledger), then scores every eval
// mail with the same function as `pier fraud check` (nothing stored).
// Flag = level != 'none' (warn or high). Run: npm run fraud:eval  (builds first).
// Options: --json (one summary object), --quiet (figures only), --show SCENARIO (every mail of
// that scenario with its signals; repeatable).
// Then the public stranger corpus (decision 0036; `npm run fraud:corpus` writes it to
// .cache/fraud-corpus or $PIER_FRAUD_CORPUS): real phishing from strangers and real legitimate
// mail with money words, judged against a fresh workspace; recall and false-flag rate per family,
// CPU per mail. --misses FAMILY lists that family's misses (or false flags) with their signals.
// The last line is always one JSON summary.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'server', 'dist');
const fixtures = path.join(root, 'server', 'tests', 'fixtures', 'fraud');
const { openWorkspace } = await import(path.join(dist, 'compose.js'));
const { createMailbox } = await import(path.join(dist, 'modules', 'mailboxes', 'index.js'));
const { importMailFiles } = await import(path.join(dist, 'modules', 'sync', 'index.js'));
const { assessPendingMessages, checkMailFile } = await import(path.join(dist, 'modules', 'fraud', 'index.js'));

const quiet = process.argv.includes('--quiet');
const finalSummary = {};
const labels = JSON.parse(readFileSync(path.join(fixtures, 'labels.json'), 'utf8'));
const dataDir = mkdtempSync(path.join(tmpdir(), 'pier-fraud-eval-'));
const ws = await openWorkspace({ dataDir, databaseUrl: undefined, secretKey: undefined });
try {
  const mailbox = await createMailbox(ws.db, { address: labels.mailbox, displayName: 'Sales', purpose: 'sales' });
  const imported = await importMailFiles(ws, mailbox, [path.join(fixtures, labels.history)]);
  if (imported.failed > 0) throw new Error(`history import failed: ${JSON.stringify(imported.failures)}`);
  await assessPendingMessages(ws);

  const rows = [];
  for (const entry of labels.mails) {
    const result = await checkMailFile(ws.db, path.join(fixtures, entry.file));
    rows.push({ ...entry, score: result.score, level: result.level, signals: result.signals, flagged: result.level !== 'none' });
  }
  const tp = rows.filter((r) => r.flagged && r.label === 'fraud');
  const fp = rows.filter((r) => r.flagged && r.label === 'legit');
  const fn = rows.filter((r) => !r.flagged && r.label === 'fraud');
  const tn = rows.filter((r) => !r.flagged && r.label === 'legit');
  const precision = tp.length / Math.max(1, tp.length + fp.length);
  const recall = tp.length / Math.max(1, tp.length + fn.length);
  const highFraud = rows.filter((r) => r.label === 'fraud' && r.level === 'high').length;
  const highLegit = rows.filter((r) => r.label === 'legit' && r.level === 'high').length;
  const highRecall = highFraud / Math.max(1, tp.length + fn.length);
  const highPrecision = highFraud / Math.max(1, highFraud + highLegit);
  const summary = {
    history: imported.new,
    mails: rows.length,
    fraud: tp.length + fn.length,
    legit: fp.length + tn.length,
    truePositives: tp.length,
    falsePositives: fp.length,
    falseNegatives: fn.length,
    trueNegatives: tn.length,
    precision: Number(precision.toFixed(3)),
    recall: Number(recall.toFixed(3)),
    precisionAtHigh: Number(highPrecision.toFixed(3)),
    recallAtHigh: Number(highRecall.toFixed(3)),
  };
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ ...summary, falsePositives: fp, falseNegatives: fn }, null, 2));
  } else {
    console.log(
      `fraud flag (level != none) on ${rows.length} mails (${summary.fraud} fraud, ${summary.legit} legitimate), history ${imported.new} mails`,
    );
    console.log(
      `precision ${summary.precision}  recall ${summary.recall}  (TP ${tp.length}, FP ${fp.length}, FN ${fn.length}, TN ${tn.length})`,
    );
    console.log(
      `level high only: precision ${summary.precisionAtHigh}  recall ${summary.recallAtHigh}  (${highFraud} fraud and ${highLegit} legitimate rated high)`,
    );
    const byScenario = new Map();
    for (const r of rows) {
      const s = byScenario.get(r.scenario) ?? { label: r.label, total: 0, flagged: 0, high: 0 };
      s.total++;
      if (r.flagged) s.flagged++;
      if (r.level === 'high') s.high++;
      byScenario.set(r.scenario, s);
    }
    console.log('\nper scenario (flagged / total, high):');
    for (const [scenario, s] of byScenario)
      console.log(`  ${s.label.padEnd(5)} ${scenario.padEnd(26)} ${s.flagged}/${s.total}, high ${s.high}`);
    if (!quiet) {
      const show = (title, list) => {
        console.log(`\n${title}: ${list.length}`);
        for (const r of list) {
          console.log(`  ${r.file}  score ${r.score} ${r.level}`);
          for (const s of r.signals) console.log(`    ${s.code} (${s.weight}): ${s.reason.en}`);
        }
      };
      show('false positives', fp);
      show('false negatives', fn);
      const args = process.argv.slice(2);
      for (let i = 0; i < args.length; i++)
        if (args[i] === '--show' && args[i + 1])
          show(
            `scenario ${args[i + 1]}`,
            rows.filter((r) => r.scenario === args[i + 1]),
          );
    }
  }
  finalSummary.fixtures = summary;
} finally {
  await ws.close();
  rmSync(dataDir, { recursive: true, force: true });
}

const corpusDir = process.env.PIER_FRAUD_CORPUS ?? path.join(root, '.cache', 'fraud-corpus');
if (existsSync(path.join(corpusDir, 'labels.json'))) finalSummary.corpus = await evaluateCorpus(corpusDir);
else console.log(`\n(no stranger corpus at ${corpusDir}: run npm run fraud:corpus)`);
console.log(JSON.stringify(finalSummary));

async function evaluateCorpus(dir) {
  const corpus = JSON.parse(readFileSync(path.join(dir, 'labels.json'), 'utf8'));
  const corpusData = mkdtempSync(path.join(tmpdir(), 'pier-fraud-corpus-'));
  const cws = await openWorkspace({ dataDir: corpusData, databaseUrl: undefined, secretKey: undefined });
  try {
    // A workspace that has never seen these senders: every mail comes from a stranger.
    await createMailbox(cws.db, { address: labels.mailbox, displayName: 'Sales', purpose: 'sales' });
    const families = new Map();
    const start = process.cpuUsage();
    const results = [];
    for (const entry of corpus) {
      const result = await checkMailFile(cws.db, path.join(dir, entry.file));
      results.push({ ...entry, score: result.score, level: result.level, signals: result.signals, flagged: result.level !== 'none' });
    }
    const cpu = process.cpuUsage(start);
    for (const r of results) {
      const f = families.get(`${r.label}/${r.family}`) ?? { label: r.label, family: r.family, total: 0, flagged: 0, high: 0 };
      f.total++;
      if (r.flagged) f.flagged++;
      if (r.level === 'high') f.high++;
      families.set(`${r.label}/${r.family}`, f);
    }
    const phishing = results.filter((r) => r.label === 'phishing');
    const legit = results.filter((r) => r.label === 'legit');
    const rate = (list) => Number((list.filter((r) => r.flagged).length / Math.max(1, list.length)).toFixed(3));
    console.log(`\nstranger corpus (${dir}): ${phishing.length} phishing, ${legit.length} legitimate`);
    // Families named holdout_* come from an archive never used to tune the lexicon or weights.
    const holdout = phishing.filter((r) => r.family.startsWith('holdout_'));
    const tuning = phishing.filter((r) => !r.family.startsWith('holdout_'));
    console.log(
      `recall ${rate(phishing)} (tuning set ${rate(tuning)}, held-out ${rate(holdout)} of ${holdout.length})  false-flag rate ${rate(legit)}`,
    );
    for (const f of families.values())
      console.log(
        `  ${f.label.padEnd(8)} ${f.family.padEnd(26)} ${f.flagged}/${f.total} flagged (${((100 * f.flagged) / f.total).toFixed(1)} %), high ${f.high}`,
      );
    // The signal families: on how many mails of each set one of their signals fired.
    const signalFamilies = {
      impersonated_name: [
        'brand_impersonation',
        'authority_impersonation',
        'mixed_script_text',
        'invisible_characters',
        'brand_in_subdomain',
        'display_name_mismatch',
        'display_name_address_mismatch',
      ],
      dangerous_attachment: [
        'executable_attachment',
        'archive_with_risky_file',
        'disk_image',
        'macro_document',
        'html_attachment',
        'encrypted_archive',
      ],
      callback: ['callback_number'],
      lure_any_language: ['money_lure', 'large_sum_offer', 'diverted_money_pitch'],
      sender_form: ['from_without_address', 'reply_to_other_mailbox', 'reply_to_lookalike', 'reply_to_mismatch'],
      fake_reply_payment: ['fake_reply_payment', 'reply_without_thread'],
      lookalike_domain: ['lookalike_domain', 'homoglyph_domain', 'punycode_domain', 'tld_swap_domain', 'lookalike_asks_money'],
    };
    const bySignalFamily = {};
    console.log('per signal family (mails where it fired: phishing, of them flagged; legitimate, of them flagged):');
    for (const [name, codes] of Object.entries(signalFamilies)) {
      const hit = (r) => r.signals.some((s) => codes.includes(s.code));
      const p = phishing.filter(hit);
      const l = legit.filter(hit);
      bySignalFamily[name] = {
        phishing: p.length,
        phishingFlagged: p.filter((r) => r.flagged).length,
        legit: l.length,
        legitFlagged: l.filter((r) => r.flagged).length,
      };
      const f = bySignalFamily[name];
      console.log(
        `  ${name.padEnd(22)} phishing ${f.phishing} (${f.phishingFlagged} flagged)  legitimate ${f.legit} (${f.legitFlagged} flagged)`,
      );
    }
    const perMail = {
      userMs: Number((cpu.user / 1000 / results.length).toFixed(2)),
      systemMs: Number((cpu.system / 1000 / results.length).toFixed(2)),
    };
    console.log(`CPU per mail (fraud check, parse included): user ${perMail.userMs} ms, system ${perMail.systemMs} ms`);
    const args = process.argv.slice(2);
    for (let i = 0; i < args.length; i++) {
      if (args[i] !== '--misses' || !args[i + 1]) continue;
      const family = args[i + 1];
      for (const r of results.filter((x) => x.family === family && x.flagged === (x.label === 'legit'))) {
        console.log(`  ${r.file}  score ${r.score} ${r.level}`);
        for (const s of r.signals) console.log(`    ${s.code} (${s.weight}): ${s.reason.en}`);
      }
    }
    return {
      phishing: phishing.length,
      legit: legit.length,
      recall: rate(phishing),
      recallTuningSet: rate(tuning),
      recallHeldOut: rate(holdout),
      falseFlagRate: rate(legit),
      families: Object.fromEntries(
        [...families.values()].map((f) => [`${f.label}/${f.family}`, { total: f.total, flagged: f.flagged, high: f.high }]),
      ),
      bySignalFamily,
      cpuPerMailMs: perMail,
    };
  } finally {
    await cws.close();
    rmSync(corpusData, { recursive: true, force: true });
  }
}
