import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { knownAuditActions } from '@pier/contracts';
import { describe, expect, it } from 'vitest';

/**
 * Every action the server writes to the audit log is one the contracts name: the audit viewer
 * labels (zh-CN and en) and filters only those (the catalogues must cover knownAuditActions, the
 * typecheck enforces that half). Found by reading the sources for `action: '…'` literals.
 */
const serverSrc = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

describe('audit actions', () => {
  it('are all known to the contracts, so the audit viewer can label them', () => {
    const known = new Set<string>(knownAuditActions);
    const written = new Map<string, string>();
    for (const file of sourceFiles(serverSrc)) {
      for (const match of readFileSync(file, 'utf8').matchAll(/\baction: '([a-z_]+\.[a-z_.]+)'/g)) {
        written.set(match[1] as string, path.relative(serverSrc, file));
      }
    }
    expect(written.size).toBeGreaterThan(50);
    const unknown = [...written].filter(([action]) => !known.has(action)).map(([action, file]) => `${action} (${file})`);
    expect(unknown).toEqual([]);
  });
});
