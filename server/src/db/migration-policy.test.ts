import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Nodes are updated one at a time: the first new node migrates the database while old nodes still
 * serve from it (docs/decisions/0052). So a migration only expands the schema: new tables, new
 * nullable (or defaulted) columns, new indexes. Dropping or renaming what an old node reads, or a
 * NOT NULL column an old node's inserts leave out, waits for a `*_contract` migration, shipped a
 * release after the code stopped using it. Migrations up to 0048 predate the rule.
 */
const FIRST_UNDER_RULE = 49;
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

function upBody(source: string): string {
  const start = source.indexOf('export async function up');
  const end = source.indexOf('export async function down');
  return source.slice(start, end === -1 ? undefined : end);
}

/** What in a migration's `up` would break a node still running the release before it. */
function contractingSteps(source: string): string[] {
  const found: string[] = [];
  const up = upBody(source);
  for (const pattern of [
    /\.dropColumn\(/,
    /\.renameColumn\(/,
    /\.renameTo\(/,
    /\.dropTable\(/,
    /\bDROP\s+(COLUMN|TABLE)\b/i,
    /\bRENAME\s+(COLUMN|TO)\b/i,
  ]) {
    if (pattern.test(up)) found.push(pattern.source);
  }
  // A NOT NULL column added to an existing table without a default fails an old node's inserts.
  for (const statement of up.split(/\bawait\b/)) {
    if (!/\.alterTable\(/.test(statement)) continue;
    for (const column of statement.matchAll(/\.addColumn\(([^;]*?)\)\s*\)/g)) {
      if (/notNull\(/.test(column[1] ?? '') && !/defaultTo\(/.test(column[1] ?? '')) found.push(`NOT NULL without default: ${column[1]}`);
    }
  }
  return found;
}

describe('migrations only expand the schema while old nodes still serve', () => {
  it('finds drops, renames and NOT NULL columns without a default in an up', () => {
    const bad = `export async function up(db) {
      await db.schema.alterTable('t').addColumn('x', 'text', (c) => c.notNull()).execute();
      await db.schema.alterTable('t').dropColumn('y').execute();
    }
    export async function down(db) { await db.schema.dropTable('t').execute(); }`;
    expect(contractingSteps(bad)).toHaveLength(2);
    const good = `export async function up(db) {
      await db.schema.createTable('t').addColumn('x', 'text', (c) => c.notNull()).execute();
      await db.schema.alterTable('u').addColumn('z', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
    }
    export async function down(db) { await db.schema.dropTable('t').execute(); }`;
    expect(contractingSteps(good)).toEqual([]);
  });

  it('holds for every migration since the rule, except those named *_contract', () => {
    const offenders = readdirSync(dir)
      .filter((file) => /^\d{4}_.*\.ts$/.test(file) && Number(file.slice(0, 4)) >= FIRST_UNDER_RULE && !/_contract\.ts$/.test(file))
      .map((file) => ({ file, steps: contractingSteps(readFileSync(path.join(dir, file), 'utf8')) }))
      .filter((m) => m.steps.length > 0);
    expect(offenders).toEqual([]);
  });
});
