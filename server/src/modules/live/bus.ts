import type { PresenceState } from '@pier/contracts';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Database } from '../../db/schema.js';

/**
 * What travels between the process that committed a change and the processes
 * holding WebSockets (and worker nodes, for `mailboxes.changed`). Every event for
 * sockets names the mailboxes or users it belongs to, so a hub can decide who may
 * see it without asking the database.
 */
export type LiveEvent =
  | { type: 'message.new'; conversationId: string; mailboxIds: string[] }
  | { type: 'conversation.changed'; conversationId: string; mailboxIds: string[] }
  /** New in-app notifications for these users (committed): only their own sockets hear it. */
  | { type: 'notification'; userIds: string[] }
  /** Many changes at once; an empty list means every mailbox (e.g. after the bus lost its connection). */
  | { type: 'refresh'; mailboxIds: string[] }
  /** A mailbox was added, edited, paused or removed: worker nodes re-read their list at once (decision 0056). Not for sockets. */
  | { type: 'mailboxes.changed' }
  | {
      type: 'presence';
      conversationId: string;
      mailboxIds: string[];
      connectionId: string;
      userId: string;
      name: string;
      /** null: the connection left the conversation. */
      state: PresenceState | null;
      expiresAt: number;
    };

export type LiveListener = (events: LiveEvent[]) => void;

/**
 * Fan-out between processes. SQLite means one process, so an in-process bus;
 * with PostgreSQL several nodes (PIER_ROLE=web|worker) share the database, and
 * LISTEN/NOTIFY carries events from the node that stored a mail to every node
 * holding sockets. Publishing never needs the listening connection.
 */
export type LiveBus = {
  publish(events: LiveEvent[]): Promise<void>;
  /** Starts delivery to this listener (for PostgreSQL: opens the LISTEN connection). */
  subscribe(listener: LiveListener): Promise<() => void>;
  close(): Promise<void>;
};

export function createLocalBus(): LiveBus {
  const listeners = new Set<LiveListener>();
  return {
    async publish(events) {
      if (events.length === 0) return;
      for (const listener of listeners) listener(events);
    },
    async subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
    },
  };
}

const CHANNEL = 'pier_live';
/** NOTIFY payloads must stay below 8000 bytes. */
const MAX_PAYLOAD = 7000;

/**
 * LISTEN/NOTIFY over the workspace's PostgreSQL. NOTIFY is sent through the
 * normal pool, after the caller's commit; one dedicated client LISTENs and
 * reconnects with backoff. Notifications sent while it was disconnected are
 * lost, so on reconnect listeners get a `refresh` for every mailbox and the
 * pages refetch.
 */
export function createPostgresBus(options: { db: Kysely<Database>; databaseUrl: string; logger: Logger }): LiveBus {
  const listeners = new Set<LiveListener>();
  let client: pg.Client | undefined;
  let closed = false;
  let connecting: Promise<void> | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let backoffMs = 500;

  const deliver = (events: LiveEvent[]) => {
    for (const listener of listeners) listener(events);
  };

  function scheduleReconnect() {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connecting = connect(true).catch(() => scheduleReconnect());
    }, backoffMs);
    retryTimer.unref();
    backoffMs = Math.min(30_000, backoffMs * 2);
  }

  async function connect(isReconnect: boolean) {
    const next = new pg.Client({ connectionString: options.databaseUrl });
    next.on('error', (error) => options.logger.warn({ err: error.message }, 'live: LISTEN connection failed'));
    next.on('end', () => {
      if (client === next) client = undefined;
      scheduleReconnect();
    });
    next.on('notification', (message) => {
      if (message.channel !== CHANNEL || !message.payload) return;
      try {
        deliver(JSON.parse(message.payload) as LiveEvent[]);
      } catch {
        options.logger.warn('live: unreadable notification dropped');
      }
    });
    await next.connect();
    if (closed) {
      await next.end();
      return;
    }
    await next.query(`LISTEN ${CHANNEL}`);
    client = next;
    backoffMs = 500;
    if (isReconnect) deliver([{ type: 'refresh', mailboxIds: [] }]);
  }

  return {
    async publish(events) {
      for (const chunk of chunksBySize(events)) {
        await sql`select pg_notify(${CHANNEL}, ${chunk})`.execute(options.db);
      }
    },
    async subscribe(listener) {
      listeners.add(listener);
      if (!client && !connecting) connecting = connect(false);
      await connecting;
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      listeners.clear();
      await connecting?.catch(() => {});
      await client?.end().catch(() => {});
      client = undefined;
    },
  };
}

/** JSON arrays of events, each below the NOTIFY limit (one event is always far below it). */
function chunksBySize(events: LiveEvent[]): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let size = 2;
  for (const event of events) {
    const json = JSON.stringify(event);
    if (current.length > 0 && size + json.length + 1 > MAX_PAYLOAD) {
      chunks.push(`[${current.join(',')}]`);
      current = [];
      size = 2;
    }
    current.push(json);
    size += json.length + 1;
  }
  if (current.length > 0) chunks.push(`[${current.join(',')}]`);
  return chunks;
}
