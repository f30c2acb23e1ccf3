import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { configDefaults, defineConfig } from 'vitest/config';

const contractsSrc = fileURLToPath(new URL('./packages/contracts/src/index.ts', import.meta.url));

// The integration files that touch the bench's Dovecot, Postfix or OAuth server (its shared
// mailboxes and fixed ports), by the support helpers and variables that reach them. The others
// need only PostgreSQL and their own databases, so `npm test` runs them in a second Vitest process
// beside the one-at-a-time chain of the rest (decision 0047): PIER_TEST_INTEGRATION=database picks
// those, =bench the rest; unset, the project has every file. When in doubt a file counts as bench.
const integrationDir = 'server/tests/integration';
const usesMailBench =
  /mail-server\.js|outbox\.js|naive-responder|oauth-server|campaigns\.js|hanse-scenario|addTestImapMailbox|testBench|withImap|deliver\(|PIER_TEST_(IMAP|SMTP|SUBMISSION|OAUTH|DOVECOT|POSTFIX|SIEVE|LMTP|MAIL)/;
const databaseOnly = readdirSync(integrationDir)
  .filter((file) => file.endsWith('.test.ts') && !usesMailBench.test(readFileSync(`${integrationDir}/${file}`, 'utf8')))
  .map((file) => `${integrationDir}/${file}`);
const integrationPart = process.env.PIER_TEST_INTEGRATION;

// One run, five kinds of test. Integration, mail-live and browser tests need the
// servers that scripts/test-env starts (npm test does that); they run one file
// at a time because they share those servers and this 2-core machine.
// Integration, mail-live and browser files each share one worker (isolate: false): the
// server's modules (and Playwright) are imported once per project, not once per file (~2 s and
// ~1.5 CPU-s a file). Each file still starts and stops its own Pier, databases and Chromium.
// groupOrder 1, 2, 3 keep those workers after unit and web, one after the other, on any core count.
// Their test databases' data dirs live in one temp folder per run, removed at its end (test-temp.ts).
const testTemp = './server/tests/support/test-temp.ts';
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['server/src/**/*.test.ts', 'packages/*/src/**/*.test.ts'] } },
      {
        // The web app's logic. jsdom because the modules it loads touch the document at start (i18n,
        // cookies); the contracts come from source, as in the Vite build (web/vite.config.ts).
        resolve: { alias: { '@pier/contracts': contractsSrc } },
        test: {
          name: 'web',
          include: ['web/src/**/*.test.ts'],
          environment: 'jsdom',
          env: { TZ: 'Asia/Shanghai' },
        },
      },
      {
        test: {
          name: 'integration',
          globalSetup: [testTemp],
          include: integrationPart === 'database' ? databaseOnly : ['server/tests/integration/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...(integrationPart === 'bench' ? databaseOnly : [])],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          fileParallelism: false,
          isolate: false,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'mail-live',
          globalSetup: [testTemp],
          include: ['server/tests/mail-live/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
          isolate: false,
          sequence: { groupOrder: 2 },
        },
      },
      {
        test: {
          name: 'browser',
          globalSetup: [testTemp],
          include: ['server/tests/browser/**/*.test.ts'],
          testTimeout: 90_000,
          hookTimeout: 90_000,
          fileParallelism: false,
          isolate: false,
          sequence: { groupOrder: 3 },
        },
      },
    ],
  },
});
