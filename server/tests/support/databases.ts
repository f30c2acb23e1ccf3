import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
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

/** A fresh, empty workspace: a temp data dir and, for PostgreSQL, a new database on the test cluster. */
export async function createTestDatabase(engine: TestEngine): Promise<TestDatabase> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `pier-test-${engine}-`));
  if (engine === 'sqlite') {
    return { engine, databaseUrl: undefined, dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const adminUrl = testEnv('PIER_TEST_DATABASE_URL');
  const name = `pier_t_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    engine,
    databaseUrl: url.toString(),
    dataDir,
    drop: async () => {
      await withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
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
