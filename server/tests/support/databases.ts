import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { inject } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { testEnv } from './env.js';

export const engines = ['sqlite', 'postgres'] as const;
export type TestEngine = (typeof engines)[number];

export type TestDatabase = {
  engine: TestEngine;
  /** undefined for SQLite (the file lives in dataDir). */
  databaseUrl: string | undefined;
  dataDir: string;
  drop(): Promise<void>;
};

/**
 * A fresh workspace database: a temp data dir and, for PostgreSQL, a new database on the test cluster.
 * It is a copy of a migrated template (made once per migration set: a SQLite file in the temp dir,
 * a `pier_tpl_*` database on the bench), so a test does not run every migration again; Pier's start
 * still runs the migrator, which finds nothing to do. `{ empty: true }` gives a database with no
 * tables, for tests of the migrations themselves.
 */
export async function createTestDatabase(engine: TestEngine, options: { empty?: boolean } = {}): Promise<TestDatabase> {
  const dataDir = mkdtempSync(path.join(runTemp(), `pier-test-${engine}-`));
  if (engine === 'sqlite') {
    if (!options.empty) copyFileSync(await sqliteTemplate(), path.join(dataDir, 'pier.sqlite'));
    return { engine, databaseUrl: undefined, dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const adminUrl = testEnv('PIER_TEST_DATABASE_URL');
  const name = `pier_t_${randomBytes(6).toString('hex')}`;
  const template = options.empty ? undefined : await postgresTemplate(adminUrl);
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`));
  return {
    engine,
    databaseUrl: databaseUrlOf(adminUrl, name),
    dataDir,
    drop: async () => {
      await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** This run's temp folder (support/test-temp.ts), removed when the run ends; the system's outside a Vitest run with it. */
function runTemp(): string {
  return inject('pierTestTemp') ?? tmpdir();
}

const dbSource = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src', 'db');

/** Names the migration set: a change to any migration (or to the list in migrate.ts) makes a new template. */
const migrationsHash = (() => {
  let cached: string | undefined;
  return () => {
    if (cached) return cached;
    const hash = createHash('sha256').update(readFileSync(path.join(dbSource, 'migrate.ts')));
    const dir = path.join(dbSource, 'migrations');
    for (const file of readdirSync(dir).sort()) hash.update(file).update(readFileSync(path.join(dir, file)));
    cached = hash.digest('hex').slice(0, 16);
    return cached;
  };
})();

let sqliteTemplateFile: string | undefined;
async function sqliteTemplate(): Promise<string> {
  const file = path.join(tmpdir(), `pier-test-template-${migrationsHash()}.sqlite`);
  if (sqliteTemplateFile === file || existsSync(file)) {
    sqliteTemplateFile = file;
    return file;
  }
  const building = mkdtempSync(path.join(tmpdir(), 'pier-test-template-'));
  const handle = openDatabase({ databaseUrl: undefined, dataDir: building });
  await migrateToLatest(handle.db);
  await handle.close(); // the last connection closing folds the WAL into the file
  // Another test process may build the same template at once: rename is atomic, either copy is right.
  renameSync(path.join(building, 'pier.sqlite'), file);
  rmSync(building, { recursive: true, force: true });
  sqliteTemplateFile = file;
  return file;
}

let postgresTemplateName: string | undefined;
async function postgresTemplate(adminUrl: string): Promise<string> {
  const name = `pier_tpl_${migrationsHash()}`;
  if (postgresTemplateName === name) return name;
  await withAdmin(adminUrl, async (client) => {
    // One builder at a time across test processes; the others wait and then find it.
    await client.query('SELECT pg_advisory_lock(4242)');
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (found.rowCount) return;
      const building = `${name}_building`;
      await client.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${building}`);
      const handle = openDatabase({ databaseUrl: databaseUrlOf(adminUrl, building), dataDir: tmpdir() });
      try {
        await migrateToLatest(handle.db);
      } finally {
        await handle.close();
      }
      await client.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
    } finally {
      await client.query('SELECT pg_advisory_unlock(4242)');
    }
  });
  postgresTemplateName = name;
  return name;
}

function databaseUrlOf(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function withAdmin<T>(url: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}
