import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { postgresDataVersion } from './postgres-data-version.js';
import { queryMeterLog } from './query-meter.js';
import type { Database } from './schema.js';
import { isUnversionedWrite } from './unversioned-write.js';

export type Engine = 'sqlite' | 'postgres';

export type DatabaseHandle = {
  db: Kysely<Database>;
  engine: Engine;
  close(): Promise<void>;
};

// int8 (bigint) holds epoch-ms timestamps and sizes, all far below 2^53:
// read them as numbers so both engines return the same JS types.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export function openDatabase(options: { databaseUrl: string | undefined; dataDir: string }): DatabaseHandle {
  if (options.databaseUrl) {
    const tracked = postgresDataVersion({ connectionString: options.databaseUrl, max: 10 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: tracked.pool }), log: queryMeterLog() });
    // The LISTEN connection opens only where the version is asked for (a web node's list cache).
    dataVersions.set(db, () => {
      tracked.listen();
      return tracked.version;
    });
    return { db, engine: 'postgres', close: () => db.destroy() };
  }
  mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, 'pier.sqlite');
  const sqlite = new SQLite(file);
  // WAL lets readers run beside the single writer; NORMAL sync is durable across
  // process crashes (only an OS crash can lose the last commits).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // The default 8 MB page cache makes index inserts with random keys (identities, Message-IDs)
  // read from disk once a mailbox passes ~10k mails; 32 MB keeps the hot index pages in memory
  // (the OS page cache holds the rest) without weighing on the process's RSS (decision 0026).
  sqlite.pragma('cache_size = -32768');
  sqlite.pragma('temp_store = MEMORY');
  // Checkpoint every ~40 MB of WAL instead of 4 MB: the index pages a sync rewrites in every
  // batch are copied back once per checkpoint, not ten times (bench:sync main thread −11 %).
  // The price is one longer commit per 40 MB written.
  sqlite.pragma('wal_autocheckpoint = 10000');
  const writes = { count: 0 };
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite, writes) }), log: queryMeterLog() });
  // Anything that can change what a read returns: a statement of this process that is not a SELECT
  // (counted as it runs, so no writer can forget it), or a commit by another process (data_version).
  // Prepared once: `sqlite.pragma()` prepares anew on every call, and the list cache reads this twice a request.
  const dataVersion = sqlite.prepare('PRAGMA data_version').pluck();
  const version = () => `${writes.count}.${dataVersion.get() as number}`;
  dataVersions.set(db, () => version);
  return { db, engine: 'sqlite', close: () => db.destroy() };
}

const dataVersions = new WeakMap<Kysely<Database>, () => () => string | undefined>();

/**
 * A value that changes whenever the database may have changed. Read it before a computation and
 * again before keeping its result: equal means nothing was written in between (that this node has
 * been told about). SQLite: Kysely runs every query on the one connection, a transaction holding it,
 * so no read sees uncommitted data. PostgreSQL (`postgres-data-version.ts`): this node's commits and
 * every other process's announced commits; `undefined` while those cannot be heard (keep nothing).
 * Undefined for a database opened outside `openDatabase`.
 */
export function dataVersionOf(db: Kysely<Database>): (() => string | undefined) | undefined {
  return dataVersions.get(db)?.();
}

/**
 * Kysely prepares every query anew; preparing costs as much as running a small
 * statement. Queries are built from a bounded set of shapes, so caching the
 * prepared statements by SQL text removes that cost (about 10% of an IMAP sync).
 */
function withStatementCache(sqlite: SQLite.Database, writes: { count: number }, max = 1000) {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (!statement) {
        statement = sqlite.prepare(sql);
        if (!/^\s*select\b/i.test(sql) && !isUnversionedWrite(sql)) statement = countingWrites(statement, writes);
        if (cache.size >= max) cache.delete(cache.keys().next().value as string);
        cache.set(sql, statement);
      }
      return statement;
    },
    close() {
      cache.clear();
      sqlite.close();
    },
  };
}

/**
 * A statement that may write (INSERT, UPDATE, DELETE, DDL, BEGIN/COMMIT…): a run counts when it
 * changed rows (or returned some, for RETURNING). Polls that change nothing (the job queue's claim,
 * a schedule slot not yet due) ran every second and emptied the list cache each time, and after
 * each emptying 64 waiting requests computed their pages anew. Counting a change that is then
 * rolled back only empties the cache once more.
 */
function countingWrites(statement: SQLite.Statement, writes: { count: number }): SQLite.Statement {
  const counted = Object.create(statement) as SQLite.Statement;
  counted.run = (...params: unknown[]) => {
    const result = statement.run(...params);
    if (result.changes > 0) writes.count++;
    return result;
  };
  counted.all = (...params: unknown[]) => {
    const rows = statement.all(...params);
    if (rows.length > 0) writes.count++;
    return rows;
  };
  counted.get = (...params: unknown[]) => {
    const row = statement.get(...params);
    if (row !== undefined) writes.count++;
    return row;
  };
  counted.iterate = (...params: unknown[]) => {
    writes.count++;
    return statement.iterate(...params);
  };
  return counted;
}

/** True when an error is a unique-constraint violation on either engine. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
