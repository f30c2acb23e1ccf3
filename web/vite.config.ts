import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, normalizePath, type Plugin } from 'vite';

// Compile the shared API contracts from source: no need to build packages/contracts first.
const contractsDir = normalizePath(fileURLToPath(new URL('../packages/contracts/src/', import.meta.url)));
const contractsSrc = `${contractsDir}index.ts`;

/**
 * The web app imports only types and a few constants from @pier/contracts. Its modules build zod
 * schemas at top level, which a bundler must assume have side effects, so zod (~60 kB gzipped) would
 * ship for nothing. Schema construction is pure: mark those calls so tree-shaking drops unused ones.
 */
function pureContracts(): Plugin {
  return {
    name: 'pier-pure-contracts',
    enforce: 'pre',
    transform(code, id) {
      if (!id.startsWith(contractsDir)) return null;
      // `z.string().min(1)`, `z.coerce.number()`, `HealthCheckSchema.extend({…})`: the annotation covers the whole chain,
      // also when the formatter broke it over lines (`z\n  .string()\n  .trim()`).
      const annotated = code.replace(/\b(z|[A-Z]\w*Schema)(?=\s*\.\s*[\w.]+\s*\()/g, '/* @__PURE__ */ $1');
      return { code: annotated, map: null, moduleSideEffects: false };
    },
  };
}

/**
 * Emits /sw.js from src/service-worker/sw.js with the shell filled in: the entry's scripts and
 * styles (content-hashed names) and a version that changes with them, so a new build replaces the
 * cached shell. Lazily loaded chunks are cached by the worker on first use (decision 0037).
 */
function serviceWorker(): Plugin {
  const source = fileURLToPath(new URL('./src/service-worker/sw.js', import.meta.url));
  return {
    name: 'pier-service-worker',
    apply: 'build',
    generateBundle(_options, bundle) {
      const shell = new Set<string>();
      for (const file of Object.values(bundle)) {
        if (file.type !== 'chunk' || !file.isEntry) continue;
        shell.add(`/${file.fileName}`);
        for (const name of [...file.imports, ...(file.viteMetadata?.importedCss ?? [])]) shell.add(`/${name}`);
      }
      const files = [...shell].sort();
      const version = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 12);
      const code = readFileSync(source, 'utf8')
        .replace("'__PIER_VERSION__'", JSON.stringify(version))
        .replace('__PIER_SHELL__', JSON.stringify(files));
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: code });
    },
  };
}

export default defineConfig({
  plugins: [pureContracts(), react(), serviceWorker()],
  resolve: {
    alias: { '@pier/contracts': contractsSrc },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The entry held React, the router and the app in one 590 kB file (over Vite's 500 kB warning).
    // Libraries that change rarely get their own chunks: the same bytes on first load (measured,
    // decision 0038), but a release that changes only Pier's code leaves them cached on a phone.
    // `rolldownOptions` is Vite 8's (scripts/build.mjs runs the root's Vite 8).
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 3 },
            { name: 'router', test: /node_modules[\\/]react-router[\\/]/, priority: 2 },
            { name: 'libs', test: /node_modules[\\/](@tanstack|i18next|react-i18next)[\\/]/, priority: 1 },
            // The reports screen's charts (loaded with that screen only): ECharts and its renderer
            // zrender apart, each under 500 kB.
            { name: 'zrender', test: /node_modules[\\/]zrender[\\/]/, priority: 2 },
          ],
        },
      },
    },
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': { target: 'http://127.0.0.1:8080', ws: true } },
  },
  preview: { host: '127.0.0.1' },
});
