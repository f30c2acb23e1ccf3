import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { type Kysely, sql } from 'kysely';
import type { Config } from '../config.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import type { Database } from '../db/schema.js';
import { storedMailSummary } from '../modules/conversations/index.js';
import { copyBlobsIn, copyBlobsOut } from '../storage/blob-store-copy.js';
import type { BlobStoreSettings } from '../storage/blob-stores.js';
import { PIER_VERSION } from '../version.js';

const run = promisify(execFile);

/** What stops a backup or restore, in words for the admin running it (the CLI exits 2). */
export class BackupError extends Error {}

export const BACKUP_FORMAT = 'pier-backup/1';
export const SQLITE_FILE = 'pier.sqlite';
export const POSTGRES_FILE = 'pier.pgdump';

export type BackupManifest = {
  format: typeof BACKUP_FORMAT;
  engine: 'sqlite' | 'postgres';
  created_at: string;
  pier_version: string;
  /** The last migration the database had: a restore into a newer Pier migrates on from there. */
  schema: string | null;
  messages: number;
  blobs: number;
  /** Where the key for secrets at rest came from: a `secret.key` in the backup, or PIER_SECRET_KEY (not in the backup). */
  secret_key: 'file' | 'environment';
};

type Settings = Pick<Config, 'databaseUrl' | 'dataDir' | 'secretKey'> & Partial<Pick<Config, 'blobStore'>>;

/** The node's blob store: its folder (PIER_DATA_DIR/blobs unless PIER_BLOB_DIR says) or its S3 bucket. */
const blobStoreOf = (settings: Settings): BlobStoreSettings =>
  settings.blobStore ?? { kind: 'filesystem', root: path.join(settings.dataDir, 'blobs') };

/**
 * `pier backup --to DIR` while Pier runs: the database first, as one consistent snapshot (SQLite's
 * online backup API; pg_dump on an exported snapshot, in whose transaction the blobs the snapshot
 * names are read), then the blobs. Blobs are written before the rows that name them and never
 * change, so every blob the snapshot names is on disk when the copy starts: the backup is complete
 * and consistent without stopping anything. The manifest is written last; a folder without one is
 * not a backup. Backing up into an earlier backup's folder copies only the new blobs.
 */
export async function backupWorkspace(
  settings: Settings,
  to: string,
): Promise<BackupManifest & { copied_blobs: number; missing_blobs: number }> {
  const dir = path.resolve(to);
  await mkdir(dir, { recursive: true });
  // A manifest left from an earlier run would vouch for a half-written one.
  await rm(path.join(dir, 'manifest.json'), { force: true });
  const handle = openDatabase(settings);
  try {
    const snapshot =
      handle.engine === 'sqlite'
        ? await backupSqlite(path.join(settings.dataDir, SQLITE_FILE), dir)
        : await backupPostgres(handle.db, settings.databaseUrl ?? '', dir);
    const blobs = await copyBlobsOut(blobStoreOf(settings), path.join(dir, 'blobs'));
    const missing = [...snapshot.referenced].filter((sha256) => !blobs.sha256s.has(sha256)).length;
    const secretFile = path.join(settings.dataDir, 'secret.key');
    const fromFile = !settings.secretKey && existsSync(secretFile);
    if (fromFile) await copyFile(secretFile, path.join(dir, 'secret.key'));
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      engine: handle.engine,
      created_at: new Date().toISOString(),
      pier_version: PIER_VERSION,
      schema: snapshot.schema,
      messages: snapshot.messages,
      blobs: blobs.sha256s.size,
      secret_key: fromFile ? 'file' : 'environment',
    };
    // The backup's files reach the disk before the manifest says it is whole.
    await syncFileSystem(dir);
    await writeFile(path.join(dir, 'manifest.json.part'), `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
    await rename(path.join(dir, 'manifest.json.part'), path.join(dir, 'manifest.json'));
    await syncFileSystem(dir);
    return { ...manifest, copied_blobs: blobs.copied, missing_blobs: missing };
  } finally {
    await handle.close();
  }
}

type Snapshot = { referenced: Set<string>; messages: number; schema: string | null };

async function backupSqlite(file: string, dir: string): Promise<Snapshot> {
  if (!existsSync(file)) throw new BackupError(`no SQLite database at ${file}`);
  const target = path.join(dir, SQLITE_FILE);
  const part = `${target}.part`;
  await rm(part, { force: true });
  const source = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    // The online backup API: a consistent copy while the server keeps writing.
    await source.backup(part);
  } finally {
    source.close();
  }
  await rename(part, target);
  // What the copy names is read from the copy itself.
  const copy = openDatabase({ databaseUrl: undefined, dataDir: dir });
  try {
    return await readSnapshot(copy.db);
  } finally {
    await copy.close();
  }
}

async function backupPostgres(db: Kysely<Database>, databaseUrl: string, dir: string): Promise<Snapshot> {
  const target = path.join(dir, POSTGRES_FILE);
  const part = `${target}.part`;
  return db.connection().execute(async (conn) => {
    await sql`BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY`.execute(conn);
    try {
      const exported = await sql<{ id: string }>`SELECT pg_export_snapshot() AS id`.execute(conn);
      const snapshotId = exported.rows[0]?.id ?? '';
      // pg_dump sees exactly what this transaction sees, so the blob list below matches the dump.
      const state = await readSnapshot(conn);
      await pgTool('PIER_PG_DUMP', 'pg_dump', [
        '--format=custom',
        '--no-owner',
        '--no-privileges',
        `--snapshot=${snapshotId}`,
        '--file',
        part,
        databaseUrl,
      ]);
      await rename(part, target);
      return state;
    } finally {
      await sql`COMMIT`.execute(conn);
    }
  });
}

async function readSnapshot(db: Kysely<Database>): Promise<Snapshot> {
  const { messages, blobs } = await storedMailSummary(db);
  const schema = await sql<{ name: string | null }>`SELECT max(name) AS name FROM schema_migrations`.execute(db);
  return { referenced: blobs, messages, schema: schema.rows[0]?.name ?? null };
}

/**
 * `pier restore --from DIR` into the node's configured, empty database and data folder: the
 * database, the blobs, the key for secrets at rest; then the migrations a newer Pier adds, and a
 * check that every mail's bytes are there. It refuses a target that holds a workspace already
 * and a backup of the other engine (moving between engines is not a restore).
 */
export async function restoreWorkspace(settings: Settings, from: string) {
  const dir = path.resolve(from);
  const manifest = await readManifest(dir);
  const engine = settings.databaseUrl ? 'postgres' : 'sqlite';
  if (manifest.engine !== engine) {
    throw new BackupError(`the backup is of a ${manifest.engine} workspace and this node uses ${engine}; restore it into the same engine`);
  }
  const secretTarget = path.join(settings.dataDir, 'secret.key');
  if (manifest.secret_key === 'file' && existsSync(secretTarget)) {
    const [ours, theirs] = await Promise.all([readFile(secretTarget, 'utf8'), readFile(path.join(dir, 'secret.key'), 'utf8')]);
    if (ours.trim() !== theirs.trim()) {
      throw new BackupError(`${secretTarget} holds another key than the backup's; move it away first`);
    }
  }
  await mkdir(settings.dataDir, { recursive: true });
  if (engine === 'sqlite') await restoreSqlite(dir, settings.dataDir);
  else await restorePostgres(dir, settings.databaseUrl ?? '');
  const blobs = await copyBlobsIn(path.join(dir, 'blobs'), blobStoreOf(settings));
  if (manifest.secret_key === 'file' && !existsSync(secretTarget)) {
    await copyFile(path.join(dir, 'secret.key'), secretTarget);
  }
  const handle = openDatabase(settings);
  try {
    const migrated = await migrateToLatest(handle.db);
    const state = await readSnapshot(handle.db);
    const missing = [...state.referenced].filter((sha256) => !blobs.sha256s.has(sha256)).length;
    return {
      restored: manifest.engine,
      from_backup_of: manifest.created_at,
      messages: state.messages,
      blobs: blobs.sha256s.size,
      missing_blobs: missing,
      migrations_applied: migrated.length,
      ...(manifest.secret_key === 'environment' && !settings.secretKey
        ? {
            warning:
              'the backed-up node took its key from PIER_SECRET_KEY: set the same value here, or saved mailbox passwords cannot be read',
          }
        : {}),
    };
  } finally {
    await handle.close();
  }
}

async function readManifest(dir: string): Promise<BackupManifest> {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
  } catch {
    throw new BackupError(`${dir} holds no complete Pier backup (manifest.json is missing or unreadable)`);
  }
  if (manifest.format !== BACKUP_FORMAT) {
    throw new BackupError(`${dir} is a backup in format ${String(manifest.format)}; this Pier reads ${BACKUP_FORMAT}`);
  }
  return manifest;
}

async function restoreSqlite(dir: string, dataDir: string): Promise<void> {
  const target = path.join(dataDir, SQLITE_FILE);
  if (existsSync(target)) {
    throw new BackupError(`${target} exists: restore into a new data folder (nothing is overwritten)`);
  }
  await copyFile(path.join(dir, SQLITE_FILE), `${target}.part`);
  await rename(`${target}.part`, target);
}

async function restorePostgres(dir: string, databaseUrl: string): Promise<void> {
  const handle = openDatabase({ databaseUrl, dataDir: '' });
  try {
    const tables = await sql<{ n: number }>`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'`.execute(
      handle.db,
    );
    if ((tables.rows[0]?.n ?? 0) > 0) {
      throw new BackupError('the target database has tables: restore into a new, empty database (nothing is overwritten)');
    }
  } finally {
    await handle.close();
  }
  await pgTool('PIER_PG_RESTORE', 'pg_restore', [
    '--no-owner',
    '--no-privileges',
    '--exit-on-error',
    '--dbname',
    databaseUrl,
    path.join(dir, POSTGRES_FILE),
  ]);
}

/** pg_dump / pg_restore from PATH, or the program an environment variable names (a version matching the server). */
async function pgTool(variable: string, fallback: string, args: string[]): Promise<void> {
  const program = process.env[variable] || fallback;
  try {
    await run(program, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT') {
      throw new BackupError(`${program} was not found: install the PostgreSQL client tools or set ${variable}`);
    }
    // The connection string may hold a password: report the tool's own words, never its arguments.
    throw new BackupError(`${program} failed: ${(e.stderr ?? '').trim().split('\n').slice(-3).join(' ')}`);
  }
}

/** Makes the backup's files durable: one syncfs of the backup's file system (a backup is rare and large). */
async function syncFileSystem(dir: string): Promise<void> {
  await run('sync', ['-f', dir]).catch(() => run('sync', []));
}
