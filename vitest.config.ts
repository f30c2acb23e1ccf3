import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const contractsSrc = fileURLToPath(new URL('./packages/contracts/src/index.ts', import.meta.url));

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
          include: ['server/tests/integration/**/*.test.ts'],
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
