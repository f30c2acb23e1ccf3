import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../../db/schema.js';
import type { LiveBus, LiveEvent } from './bus.js';

/**
 * The one API the rest of Pier uses to make pages update. Call it AFTER the
 * transaction that made the change has committed (never inside it: a rolled
 * back change must not be pushed, and a page refetching too early would not
 * see it).
 *
 *   live.messagesStored(results)                        // ingest, sync, import
 *   live.publishConversationChanged(id, mailboxIds?)    // assign, status, tags …
 *
 * Calls are cheap and never throw: events are collected for a few
 * milliseconds, deduplicated per conversation, their mailboxes looked up in
 * one query, and published on the bus. A burst (import, resync) becomes one
 * `refresh` per mailbox set instead of thousands of events.
 */
export type LivePublisher = {
  messagesStored(results: readonly { conversationId: string }[]): void;
  /** mailboxIds: the conversation's mailboxes, when the caller has them; otherwise they are looked up. */
  publishConversationChanged(conversationId: string, mailboxIds?: readonly string[]): void;
  /**
   * A notification row was written (maybe inside a transaction not yet committed): pushed to its user
   * once the row is readable, i.e. committed; dropped if it never becomes readable (rolled back).
   */
  notificationCreated(created: { id: string; userId: string }): void;
  /**
   * A mailbox was added, edited, paused or removed (committed): every node's sync supervisor re-reads
   * the list now. Never rejects (a failure is logged); a short-lived process (the CLI) awaits it.
   */
  mailboxesChanged(): Promise<void>;
  /** Publishes what is pending now (tests, shutdown). */
  flush(): Promise<void>;
  bus: LiveBus;
};

const COLLECT_MS = 10;
/** A notification not readable after this long was rolled back (or its transaction is stuck): not pushed. */
const NOTIFICATION_WAIT_MS = 30_000;
/** More conversations than this in one flush become a single refresh. */
const REFRESH_ABOVE = 50;

export function createLivePublisher(options: { db: Kysely<Database>; bus: LiveBus; logger: Logger }): LivePublisher {
  let pending = new Map<string, { type: 'message.new' | 'conversation.changed'; mailboxIds?: readonly string[] }>();
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> = Promise.resolve();

  function add(conversationId: string, type: 'message.new' | 'conversation.changed', mailboxIds?: readonly string[]) {
    const known = pending.get(conversationId);
    // A new message is the stronger signal; known mailbox ids are kept.
    pending.set(conversationId, {
      type: known?.type === 'message.new' ? 'message.new' : type,
      ...((mailboxIds ?? known?.mailboxIds) ? { mailboxIds: mailboxIds ?? known?.mailboxIds } : {}),
    });
    if (!timer) {
      timer = setTimeout(() => {
        timer = undefined;
        void flush();
      }, COLLECT_MS);
    }
  }

  async function publishPending() {
    const batch = pending;
    pending = new Map();
    if (batch.size === 0) return;
    const lookup = [...batch].filter(([, e]) => !e.mailboxIds).map(([id]) => id);
    const mailboxesOf = await conversationMailboxes(options.db, lookup);
    const events: LiveEvent[] = [...batch].map(([conversationId, e]) => ({
      type: e.type,
      conversationId,
      mailboxIds: [...(e.mailboxIds ?? mailboxesOf.get(conversationId) ?? [])],
    }));
    if (events.length > REFRESH_ABOVE) {
      const mailboxIds = new Set(events.flatMap((e) => ('mailboxIds' in e ? e.mailboxIds : [])));
      await options.bus.publish([{ type: 'refresh', mailboxIds: [...mailboxIds] }]);
    } else {
      await options.bus.publish(events.filter((e) => 'mailboxIds' in e && e.mailboxIds.length > 0));
    }
  }

  function flush(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    flushing = flushing
      .then(publishPending)
      .catch((error: unknown) =>
        options.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'live: publish failed'),
      );
    return flushing;
  }

  // Notifications written but not yet seen committed: id → user, first seen.
  const notes = new Map<string, { userId: string; since: number }>();
  let notesTimer: NodeJS.Timeout | undefined;
  const scheduleNotes = (ms: number) => {
    if (notesTimer) return;
    notesTimer = setTimeout(() => {
      notesTimer = undefined;
      flushing = flushing
        .then(publishNotes)
        .catch((error: unknown) =>
          options.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'live: notification push failed'),
        );
    }, ms);
    // A retry waiting for a commit must not keep a stopping process alive.
    notesTimer.unref();
  };
  async function publishNotes() {
    const batch = [...notes];
    if (batch.length === 0) return;
    // Readable through the pool = committed (PostgreSQL: another connection; SQLite: the one connection is
    // free again only after the writing transaction ended).
    const rows = await options.db
      .selectFrom('notifications')
      .select('id')
      .where(
        'id',
        'in',
        batch.map(([id]) => id),
      )
      .execute();
    const committed = new Set(rows.map((r) => r.id));
    const userIds = new Set<string>();
    for (const [id, note] of batch) {
      if (committed.has(id)) {
        userIds.add(note.userId);
        notes.delete(id);
      } else if (Date.now() - note.since > NOTIFICATION_WAIT_MS) {
        notes.delete(id);
      }
    }
    if (userIds.size > 0) await options.bus.publish([{ type: 'notification', userIds: [...userIds] }]);
    if (notes.size > 0) scheduleNotes(100);
  }

  return {
    notificationCreated(created) {
      notes.set(created.id, { userId: created.userId, since: Date.now() });
      scheduleNotes(COLLECT_MS);
    },
    messagesStored(results) {
      for (const r of results) add(r.conversationId, 'message.new');
    },
    publishConversationChanged(conversationId, mailboxIds) {
      add(conversationId, 'conversation.changed', mailboxIds);
    },
    mailboxesChanged() {
      return options.bus
        .publish([{ type: 'mailboxes.changed' }])
        .catch((error: unknown) =>
          options.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'live: mailbox change not announced'),
        );
    },
    flush,
    bus: options.bus,
  };
}

/** The mailboxes each conversation is shown in. */
export async function conversationMailboxes(db: Kysely<Database>, conversationIds: readonly string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  for (let i = 0; i < conversationIds.length; i += 500) {
    const rows = await db
      .selectFrom('conversation_mailboxes')
      .select(['conversation_id', 'mailbox_id'])
      .where('conversation_id', 'in', conversationIds.slice(i, i + 500))
      .execute();
    for (const row of rows) {
      const list = result.get(row.conversation_id) ?? [];
      list.push(row.mailbox_id);
      result.set(row.conversation_id, list);
    }
  }
  return result;
}
