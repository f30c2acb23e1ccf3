import pg from 'pg';
import { isUnversionedWrite } from './unversioned-write.js';

/** The channel every node's writes are announced on (the payload is empty: only "something changed"). */
export const DATA_CHANNEL = 'pier_data';

/**
 * A data version for PostgreSQL (decision record 0014): what lets a web node keep list answers
 * while nothing it has been told about has changed.
 *
 * - **This node's writes** are seen in the pool: a statement that changed rows (INSERT/UPDATE/
 *   DELETE/MERGE/COPY with a row count, any DDL) marks its transaction; the version moves when
 *   that transaction's COMMIT has returned (or when an autocommit write has), never before, so
 *   a read that began after the move sees the write.
 * - **Every node announces its writes**: the COMMIT of a transaction that wrote is sent as
 *   `commit; select pg_notify('pier_data', '')` (one round trip, one notification per
 *   transaction); autocommit writes ask for one notification, coalesced (while one is in flight
 *   the next waits and covers all writes made meanwhile).
 * - **Other processes' writes** (other nodes, the CLI) arrive on a LISTEN connection opened
 *   when a web node first asks for the version; each notification moves the version. The
 *   node's own notifications (its connections' backend pids) are skipped: it moved already.
 *
 * While the LISTEN connection is not established (starting, lost, reconnecting) the version is
 * `undefined`: a cache must not keep or serve anything then, since notifications sent meanwhile
 * are lost. A reconnect starts a new epoch.
 */
export type PostgresDataVersion = {
  /** A pool for Kysely's PostgresDialect that counts this node's writes and announces them. */
  pool: pg.Pool;
  /** The current version, or undefined while other processes' writes cannot be heard. */
  version(): string | undefined;
  /** Opens the LISTEN connection (idempotent); the version is undefined until it is listening. */
  listen(): void;
};

type ClientState = { inTransaction: boolean; wrote: boolean };

/** Commands that never change rows; anything else that is not a zero-row DML statement counts as a write. */
const READ_COMMANDS = new Set([
  'SELECT',
  'SHOW',
  'SET',
  'RESET',
  'BEGIN',
  'START',
  'COMMIT',
  'ROLLBACK',
  'SAVEPOINT',
  'RELEASE',
  'LISTEN',
  'UNLISTEN',
  'NOTIFY',
  'EXPLAIN',
  'PREPARE',
  'DEALLOCATE',
  'DISCARD',
  'FETCH',
  'DECLARE',
  'CLOSE',
  'MOVE',
  'LOCK',
  'ANALYZE',
  'VACUUM',
]);
const ROW_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY']);

function wrote(sqlText: string, result: pg.QueryResult): boolean {
  const command = result.command?.toUpperCase() ?? '';
  if (ROW_COMMANDS.has(command)) return (result.rowCount ?? 0) > 0;
  // `with changed as (update …) select …` completes as SELECT: a data-changing CTE counts when it returned rows.
  if (command === 'SELECT') return !/^\s*select\b/i.test(sqlText) && (result.rowCount ?? 0) > 0;
  return !READ_COMMANDS.has(command);
}

export function postgresDataVersion(options: { connectionString: string; max: number; onError?: (error: Error) => void }) {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.max });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const ownPids = new Set<number>();
  pool.on('connect', (client) => {
    const pid = (client as pg.Client & { processID?: number }).processID;
    if (pid) ownPids.add(pid);
  });
  pool.on('remove', (client) => {
    const pid = (client as pg.Client & { processID?: number }).processID;
    if (pid) ownPids.delete(pid);
  });

  let local = 0;
  let remote = 0;
  let epoch = 0;
  let listening: pg.Client | undefined;
  let started = false;
  let closed = false;
  let retryTimer: NodeJS.Timeout | undefined;
  let backoffMs = 500;

  // Coalesced announcement of autocommit writes: at most one in flight, one more queued.
  let announcing: Promise<void> | undefined;
  let announceAgain = false;
  const announce = () => {
    if (announcing) {
      announceAgain = true;
      return;
    }
    announcing = pool
      .query(`select pg_notify('${DATA_CHANNEL}', '')`)
      .then(
        () => {},
        (error: Error) => options.onError?.(error),
      )
      .finally(() => {
        announcing = undefined;
        if (announceAgain && !closed) {
          announceAgain = false;
          announce();
        }
      });
  };

  const wrapped = new WeakMap<pg.PoolClient, pg.PoolClient>();
  const wrap = (client: pg.PoolClient): pg.PoolClient => {
    const known = wrapped.get(client);
    if (known) return known;
    const state: ClientState = { inTransaction: false, wrote: false };
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<pg.QueryResult | pg.QueryResult[]>;
    const proxy = Object.create(client) as pg.PoolClient;
    const run = async (text: string, args: unknown[]) => {
      const keyword = /^\s*(\w+)/.exec(text)?.[1]?.toLowerCase();
      if (keyword === 'begin' || keyword === 'start') {
        const result = await query(...args);
        state.inTransaction = true;
        state.wrote = false;
        return result;
      }
      if (keyword === 'commit' && state.inTransaction) {
        const announced = state.wrote;
        state.inTransaction = false;
        state.wrote = false;
        if (!announced) return query(...args);
        // COMMIT first (an aborted transaction answers ROLLBACK and the notification is merely extra),
        // then the notification in its own implicit transaction: both in one round trip.
        const results = (await query(`${text}; select pg_notify('${DATA_CHANNEL}', '')`)) as pg.QueryResult[];
        local++;
        return results[0];
      }
      if (keyword === 'rollback' && !/^\s*rollback\s+to\b/i.test(text)) {
        state.inTransaction = false;
        state.wrote = false;
        return query(...args);
      }
      const result = await query(...args);
      const results = Array.isArray(result) ? result : [result];
      if (!isUnversionedWrite(text) && results.some((r) => wrote(text, r))) {
        if (state.inTransaction) state.wrote = true;
        else {
          local++;
          announce();
        }
      }
      return result;
    };
    proxy.query = ((...args: unknown[]) => {
      const text = args[0];
      if (typeof text === 'string') return run(text, args);
      // A config object (a promise) or a cursor (a streamed query; Kysely's dialect here has none, and a
      // cursor is not a promise): returned as pg returns it. Unless it is a SELECT it counts as a write:
      // in a transaction at COMMIT; outside one, when the promise settles (a cursor's end is not
      // followed: it moves the version only as it starts, so such a write could be missed by a cache).
      const sqlText = (text as { text?: unknown } | null)?.text;
      const result = query(...args) as unknown;
      if (!(typeof sqlText === 'string' && /^\s*select\b/i.test(sqlText))) {
        const moved = () => {
          local++;
          announce();
        };
        if (state.inTransaction) state.wrote = true;
        else if (typeof (result as Promise<unknown> | undefined)?.then === 'function') (result as Promise<unknown>).then(moved, moved);
        else moved();
      }
      return result;
    }) as pg.PoolClient['query'];
    wrapped.set(client, proxy);
    return proxy;
  };

  const counted = Object.create(pool) as pg.Pool;
  counted.connect = (async () => wrap(await pool.connect())) as pg.Pool['connect'];
  counted.end = async () => {
    closed = true;
    clearTimeout(retryTimer);
    // An announcement still queued goes out before the pool closes (a CLI command's last write).
    if (announcing) await announcing;
    if (announceAgain) await pool.query(`select pg_notify('${DATA_CHANNEL}', '')`).catch(() => {});
    const client = listening;
    listening = undefined;
    await client?.end().catch(() => {});
    await pool.end();
  };

  const scheduleReconnect = () => {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect().catch(() => scheduleReconnect());
    }, backoffMs);
    retryTimer.unref();
    backoffMs = Math.min(30_000, backoffMs * 2);
  };

  async function connect() {
    const client = new pg.Client({ connectionString: options.connectionString });
    client.on('error', (error) => options.onError?.(error));
    client.on('end', () => {
      if (listening === client) listening = undefined;
      scheduleReconnect();
    });
    client.on('notification', (message) => {
      if (message.channel !== DATA_CHANNEL || ownPids.has(message.processId)) return;
      remote++;
    });
    await client.connect();
    if (closed) {
      await client.end();
      return;
    }
    await client.query(`LISTEN ${DATA_CHANNEL}`);
    // Whatever was announced before this point was not heard: a new epoch empties every cache.
    epoch++;
    listening = client;
    backoffMs = 500;
  }

  return {
    pool: counted,
    version: () => (listening ? `${epoch}.${local}.${remote}` : undefined),
    listen() {
      if (started || closed) return;
      started = true;
      connect().catch(() => scheduleReconnect());
    },
  } satisfies PostgresDataVersion;
}
