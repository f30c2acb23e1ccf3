import { type Kysely, sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { Database } from '../../src/db/schema.js';
import { createTestDatabase, engines, type TestDatabase } from '../support/databases.js';

/** Column types as both engines name them, mapped to the portable names the migrations use. */
const portableType: Record<string, string> = {
  text: 'text',
  int8: 'bigint',
  bigint: 'bigint',
  int4: 'integer',
  integer: 'integer',
  real: 'real',
  float4: 'real',
};

/**
 * The search index is the one engine-specific structure (migration 0003): an FTS5 virtual table
 * and its shadow tables on SQLite, a tsvector table on PostgreSQL. Listed by name so that any
 * other difference still fails; message_search_keys is portable and still compared.
 */
const engineSpecificTables = new Set([
  'message_search',
  'message_search_config',
  'message_search_content',
  'message_search_data',
  'message_search_docsize',
  'message_search_idx',
]);

async function describeSchema(db: Kysely<Database>, engine: TestDatabase['engine']) {
  // The migrator's own bookkeeping tables are Kysely's business, not the data model.
  const tables = (await db.introspection.getTables()).filter(
    (t) => !t.name.startsWith('schema_migrations') && !engineSpecificTables.has(t.name),
  );
  const columns = tables.flatMap((t) =>
    t.columns.map(
      (c) => `${t.name}.${c.name} ${portableType[c.dataType.toLowerCase()] ?? `?${c.dataType}`}${c.isNullable ? ' null' : ' not null'}`,
    ),
  );
  const indexes =
    engine === 'postgres'
      ? (
          await sql<{ tbl: string; cols: string; uniq: boolean }>`
            select t.relname as tbl, ix.indisunique as uniq,
                   coalesce(string_agg(a.attname, ',' order by k.n), '') as cols
            from pg_index ix
            join pg_class t on t.oid = ix.indrelid
            join pg_namespace ns on ns.oid = t.relnamespace
            join lateral unnest(ix.indkey) with ordinality as k(attnum, n) on true
            -- An expression (lower(name)) has no column: listed with no name, as SQLite lists it.
            left join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum and k.attnum > 0
            where ns.nspname = 'public'
            group by t.relname, ix.indexrelid, ix.indisunique`.execute(db)
        ).rows
      : await sqliteIndexes(
          db,
          tables.map((t) => t.name),
        );
  return {
    columns: columns.sort(),
    indexes: indexes
      .filter((i) => !i.tbl.startsWith('schema_migrations') && !engineSpecificTables.has(i.tbl))
      .map((i) => `${i.tbl}(${i.cols})${i.uniq ? ' unique' : ''}`)
      .sort(),
  };
}

async function sqliteIndexes(db: Kysely<Database>, tables: string[]) {
  const out: { tbl: string; cols: string; uniq: boolean }[] = [];
  for (const table of tables) {
    const list = (await sql<{ name: string; unique: number }>`select name, "unique" from pragma_index_list(${table})`.execute(db)).rows;
    for (const index of list) {
      const cols = (await sql<{ name: string }>`select name from pragma_index_info(${index.name}) order by seqno`.execute(db)).rows;
      out.push({ tbl: table, cols: cols.map((c) => c.name).join(','), uniq: index.unique === 1 });
    }
  }
  return out;
}

describe('migrations', () => {
  const opened: { drop(): Promise<void>; close(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const o of opened) {
      await o.close();
      await o.drop();
    }
  });

  it('produce the same tables, columns, types, nullability and indexes on SQLite and PostgreSQL', async () => {
    const schemas = [];
    for (const engine of engines) {
      const target = await createTestDatabase(engine, { empty: true });
      const handle = openDatabase(target);
      opened.push({ drop: target.drop, close: handle.close });
      const applied = await migrateToLatest(handle.db);
      expect(applied).toContain('0001_foundation');
      schemas.push(await describeSchema(handle.db, engine));
    }
    const [sqlite, postgres] = schemas;
    expect(sqlite?.columns.length).toBeGreaterThan(50);
    expect(sqlite?.columns.filter((c) => c.includes('?'))).toEqual([]);
    expect(postgres).toEqual(sqlite);
  });

  it('are idempotent: running them again applies nothing', async () => {
    const target = await createTestDatabase('sqlite', { empty: true });
    const handle = openDatabase(target);
    opened.push({ drop: target.drop, close: handle.close });
    await migrateToLatest(handle.db);
    expect(await migrateToLatest(handle.db)).toEqual([]);
  });
});
