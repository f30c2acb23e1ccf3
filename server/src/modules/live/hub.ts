import {
  type LiveClientMessage,
  LiveClientMessageSchema,
  type LiveServerMessage,
  PRESENCE_TTL_MS,
  type PresenceState,
} from '@pier/contracts';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import { type AuthContext, accessToMailbox, includesAccess, type MailboxScope, resolveSession } from '../security/index.js';
import type { LiveBus, LiveEvent } from './bus.js';
import { PresenceTable } from './presence.js';
import { conversationMailboxes } from './publisher.js';

type Connection = {
  id: string;
  socket: WebSocket;
  sessionToken: string;
  userId: string;
  name: string;
  scope: MailboxScope;
  alive: boolean;
  /** Conversations this connection has presence in, with their mailboxes. */
  presence: Map<string, string[]>;
  /** Messages accepted in the current rate window. */
  window: { startedAt: number; count: number };
};

export type LiveHubOptions = {
  db: Kysely<Database>;
  bus: LiveBus;
  logger: Logger;
  /** Ping, heartbeat and session re-check interval. */
  heartbeatMs?: number;
};

/** A page may be present in a few conversations at once (several tabs share nothing). */
const MAX_PRESENCE_PER_CONNECTION = 8;
/** A page sends a presence change when it opens a conversation or the composer; more than this is a misbehaving client. */
const MAX_MESSAGES_PER_10S = 40;
/** A page this far behind is dropped; it reconnects and refetches. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * The sockets of this node. Every event from the bus goes to each connection
 * allowed to read at least one of the event's mailboxes, with only those
 * mailbox ids; the session is re-checked on every heartbeat, so a signed-out
 * user or a revoked grant stops receiving within one interval.
 */
export function createLiveHub(options: LiveHubOptions) {
  const heartbeatMs = options.heartbeatMs ?? 25_000;
  const connections = new Map<string, Connection>();
  const presence = new PresenceTable();
  let unsubscribe: (() => void) | undefined;

  const send = (connection: Connection, message: LiveServerMessage) => {
    if (connection.socket.readyState !== connection.socket.OPEN) return;
    if (connection.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      connection.socket.terminate();
      return;
    }
    connection.socket.send(JSON.stringify(message));
  };

  const readable = (scope: MailboxScope, mailboxIds: readonly string[]) =>
    mailboxIds.filter((id) => includesAccess(accessToMailbox(scope, id), 'read'));

  const broadcastPresence = (conversationId: string, mailboxIds: string[]) => {
    const people = presence.people(conversationId);
    for (const connection of connections.values()) {
      if (readable(connection.scope, mailboxIds).length > 0) send(connection, { type: 'presence', conversationId, people });
    }
  };

  const onEvents = (events: LiveEvent[]) => {
    for (const event of events) {
      if (event.type === 'presence') {
        if (presence.apply(event)) broadcastPresence(event.conversationId, event.mailboxIds);
        continue;
      }
      if (event.type === 'mailboxes.changed') continue;
      if (event.type === 'notification') {
        // Per user, not per mailbox: only the sockets of the users it is for.
        for (const connection of connections.values()) {
          if (event.userIds.includes(connection.userId)) send(connection, { type: 'notification' });
        }
        continue;
      }
      for (const connection of connections.values()) {
        if (event.type === 'refresh' && event.mailboxIds.length === 0) {
          send(connection, { type: 'refresh', mailboxIds: [] });
          continue;
        }
        const visible = readable(connection.scope, event.mailboxIds);
        if (visible.length === 0) continue;
        send(connection, event.type === 'refresh' ? { type: 'refresh', mailboxIds: visible } : { ...event, mailboxIds: visible });
      }
    }
  };

  async function setPresence(connection: Connection, conversationId: string, state: PresenceState | null) {
    let mailboxIds = connection.presence.get(conversationId);
    if (!mailboxIds) {
      if (state === null) return;
      if (connection.presence.size >= MAX_PRESENCE_PER_CONNECTION) return;
      mailboxIds = (await conversationMailboxes(options.db, [conversationId])).get(conversationId) ?? [];
      // Presence in a conversation the user cannot read is ignored, like an unknown one.
      if (readable(connection.scope, mailboxIds).length === 0) return;
    }
    if (state === null) connection.presence.delete(conversationId);
    else connection.presence.set(conversationId, mailboxIds);
    await options.bus.publish([presenceEvent(connection, conversationId, mailboxIds, state)]);
    if (state !== null) send(connection, { type: 'presence', conversationId, people: presence.people(conversationId) });
  }

  const presenceEvent = (connection: Connection, conversationId: string, mailboxIds: string[], state: PresenceState | null): LiveEvent => ({
    type: 'presence',
    conversationId,
    mailboxIds,
    connectionId: connection.id,
    userId: connection.userId,
    name: connection.name,
    state,
    expiresAt: Date.now() + PRESENCE_TTL_MS,
  });

  async function onMessage(connection: Connection, data: unknown) {
    const now = Date.now();
    if (now - connection.window.startedAt > 10_000) connection.window = { startedAt: now, count: 0 };
    if (++connection.window.count > MAX_MESSAGES_PER_10S) {
      connection.socket.close(4429, 'too many messages');
      return;
    }
    let message: LiveClientMessage;
    try {
      message = LiveClientMessageSchema.parse(JSON.parse(String(data)));
    } catch {
      connection.socket.close(4400, 'unreadable message');
      return;
    }
    if (message.type === 'presence') await setPresence(connection, message.conversationId, message.state);
  }

  async function leave(connection: Connection) {
    connections.delete(connection.id);
    const events = [...connection.presence].map(([conversationId, mailboxIds]) =>
      presenceEvent(connection, conversationId, mailboxIds, null),
    );
    connection.presence.clear();
    await options.bus.publish(events);
  }

  /** Re-reads every session: ends sockets of signed-out users, applies changed grants and names. */
  async function recheckSessions() {
    for (const connection of [...connections.values()]) {
      const auth = await resolveSession(options.db, connection.sessionToken).catch(() => 'unknown' as const);
      if (auth === 'unknown') continue; // database unreachable: keep the socket, check again next time
      if (!auth) {
        connection.socket.close(4401, 'session ended');
        continue;
      }
      connection.scope = auth.scope;
      connection.name = auth.user.name;
    }
  }

  const timer = setInterval(() => {
    for (const connection of connections.values()) {
      if (!connection.alive) {
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
      send(connection, { type: 'heartbeat', at: Date.now() });
    }
    for (const { conversationId, mailboxIds } of presence.expire()) broadcastPresence(conversationId, mailboxIds);
    void recheckSessions();
  }, heartbeatMs);
  timer.unref();

  const log = (error: unknown, what: string) =>
    options.logger.warn({ err: error instanceof Error ? error.message : String(error) }, `live: ${what} failed`);

  return {
    /** Starts receiving from the bus; call once before accepting sockets. */
    async start() {
      unsubscribe = await options.bus.subscribe(onEvents);
    },
    /** Takes over an upgraded, authenticated socket. */
    attach(socket: WebSocket, auth: AuthContext, sessionToken: string) {
      const connection: Connection = {
        id: newId(),
        socket,
        sessionToken,
        userId: auth.user.id,
        name: auth.user.name,
        scope: auth.scope,
        alive: true,
        presence: new Map(),
        window: { startedAt: Date.now(), count: 0 },
      };
      connections.set(connection.id, connection);
      socket.on('pong', () => {
        connection.alive = true;
      });
      socket.on('message', (data) => {
        connection.alive = true;
        onMessage(connection, data).catch((error) => log(error, 'message'));
      });
      socket.on('close', () => {
        leave(connection).catch((error) => log(error, 'leave'));
      });
      socket.on('error', () => socket.terminate());
      send(connection, { type: 'hello', connectionId: connection.id, userId: connection.userId, heartbeatMs });
    },
    connectionCount: () => connections.size,
    async stop() {
      clearInterval(timer);
      unsubscribe?.();
      for (const connection of connections.values()) connection.socket.close(1001, 'server stopping');
      connections.clear();
    },
  };
}

export type LiveHub = ReturnType<typeof createLiveHub>;
