import type { Notification } from '@pier/contracts';
import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * In-app notifications. `notify` takes any executor so the caller writes the
 * notification in the transaction of what caused it (a mention, an
 * assignment, a login alert): it exists exactly when its cause does.
 */
export async function notify(executor: Db, input: { userId: string; kind: string; data: Record<string, unknown> }): Promise<string> {
  const id = newId();
  await executor
    .insertInto('notifications')
    .values({ id, user_id: input.userId, kind: input.kind, data: JSON.stringify(input.data), created_at: Date.now(), read_at: null })
    .execute();
  for (const listener of createdListeners) listener({ id, userId: input.userId, kind: input.kind });
  return id;
}

/**
 * Writes the notification unless this user already has one of this kind with the same data: for a
 * job that may run again after a crash (SLA alerts, decision 0074). Returns whether it wrote one.
 */
export async function notifyOnce(executor: Db, input: { userId: string; kind: string; data: Record<string, unknown> }): Promise<boolean> {
  const got = await executor
    .selectFrom('notifications')
    .select('id')
    .where('user_id', '=', input.userId)
    .where('kind', '=', input.kind)
    .where('data', '=', JSON.stringify(input.data))
    .executeTakeFirst();
  if (got) return false;
  await notify(executor, input);
  return true;
}

export type CreatedNotification = { id: string; userId: string; kind: string };
const createdListeners = new Set<(created: CreatedNotification) => void>();

/**
 * Tells `listener` about every notification written in this process, as it is written — usually
 * inside the transaction of its cause, so possibly before (or without) a commit: the live publisher
 * pushes it only once it can read the row (modules/live/publisher.ts).
 */
export function onNotificationCreated(listener: (created: CreatedNotification) => void): () => void {
  createdListeners.add(listener);
  return () => createdListeners.delete(listener);
}

/**
 * The notifications among `ids` that are committed (readable through the pool): a listener of
 * `onNotificationCreated` acts on one only once its cause's transaction committed.
 */
export async function committedNotifications(
  db: Db,
  ids: readonly string[],
): Promise<{ id: string; userId: string; kind: string; data: Record<string, unknown> }[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('notifications').select(['id', 'user_id', 'kind', 'data']).where('id', 'in', ids).execute();
  return rows.map((r) => ({ id: r.id, userId: r.user_id, kind: r.kind, data: parseObject(r.data) }));
}

export async function listNotifications(
  db: Db,
  userId: string,
  options: { unreadOnly: boolean; limit: number },
): Promise<{ items: Notification[]; unread: number }> {
  const [rows, unread] = await Promise.all([
    db
      .selectFrom('notifications')
      .select(['id', 'kind', 'data', 'created_at', 'read_at'])
      .where('user_id', '=', userId)
      .$if(options.unreadOnly, (qb) => qb.where('read_at', 'is', null))
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit)
      .execute(),
    db
      .selectFrom('notifications')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .executeTakeFirstOrThrow(),
  ]);
  return {
    items: rows.map((r) => ({ id: r.id, kind: r.kind, data: parseObject(r.data), createdAt: r.created_at, readAt: r.read_at })),
    unread: Number(unread.n),
  };
}

/** Marks the user's notifications read (only theirs, whatever ids are sent); all unread ones when `ids` is absent. */
export async function markNotificationsRead(db: Db, userId: string, ids: string[] | undefined): Promise<number> {
  if (ids !== undefined && ids.length === 0) return 0;
  const result = await db
    .updateTable('notifications')
    .set({ read_at: Date.now() })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .$if(ids !== undefined, (qb) => qb.where('id', 'in', ids ?? []))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
