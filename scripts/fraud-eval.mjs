#!/usr/bin/env node
// Precision and recall of the fraud flag on the labelled fixture set (server/tests/fixtures/fraud).
// Imports the history into a temporary SQLite workspace, lets the fraud.assess subscriber's code
// run over it (as the worker would: assessments + bank-identifier ledger), then scores every eval
// mail with the same function as `pier fraud check` (nothing stored).
// Flag = level != 'none' (warn or high). Run: npm run fraud:eval  (builds first).
// Options: --json (one summary object), --quiet (figures only), --show SCENARIO (every mail of
// that scenario with its signals; repeatable).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
} finally {
  await ws.close();
  rmSync(dataDir, { recursive: true, force: true });
}
