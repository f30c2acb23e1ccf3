import { type PushDevice, type PushKind, type PushSubscriptionInput, pushKinds } from '@pier/contracts';
import type { Kysely } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database>;
export type StoredSubscription = { id: string; endpoint: string; p256dh: string; auth: string };

/**
 * Saves this browser's subscription for the user. An endpoint belongs to one browser: when another
 * person subscribes on the same browser (a shared phone), it moves to them and stops reaching the first.
 */
export async function saveSubscription(db: Db, userId: string, input: PushSubscriptionInput, device: string, now: number): Promise<string> {
  const id = newId();
  const row = await db
    .insertInto('push_subscriptions')
    .values({ id, user_id: userId, endpoint: input.endpoint, p256dh: input.keys.p256dh, auth: input.keys.auth, device, created_at: now })
    .onConflict((oc) =>
      oc.column('endpoint').doUpdateSet({ user_id: userId, p256dh: input.keys.p256dh, auth: input.keys.auth, device, created_at: now }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Removes the user's subscription with this endpoint (only theirs); false when there was none. */
export async function removeSubscription(db: Db, userId: string, endpoint: string): Promise<boolean> {
  const result = await db
    .deleteFrom('push_subscriptions')
    .where('user_id', '=', userId)
    .where('endpoint', '=', endpoint)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Removes the user's device by id (the settings screen, for a lost phone). */
export async function removeDevice(db: Db, userId: string, id: string): Promise<boolean> {
  const result = await db.deleteFrom('push_subscriptions').where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

export async function listDevices(db: Db, userId: string, currentEndpoint: string | undefined): Promise<PushDevice[]> {
  const rows = await db
    .selectFrom('push_subscriptions')
    .select(['id', 'endpoint', 'device', 'created_at', 'last_sent_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'asc')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    device: r.device,
    createdAt: Number(r.created_at),
    lastSentAt: r.last_sent_at === null ? null : Number(r.last_sent_at),
    current: r.endpoint === currentEndpoint,
  }));
}

export async function subscriptionsOf(db: Db, userId: string): Promise<StoredSubscription[]> {
  return db.selectFrom('push_subscriptions').select(['id', 'endpoint', 'p256dh', 'auth']).where('user_id', '=', userId).execute();
}

/** The push service said the subscription is gone (404/410): it never comes back. */
export async function dropExpiredSubscription(db: Db, id: string): Promise<void> {
  await db.deleteFrom('push_subscriptions').where('id', '=', id).execute();
}

export async function markSubscriptionUsed(db: Db, id: string, at: number): Promise<void> {
  await db.updateTable('push_subscriptions').set({ last_sent_at: at }).where('id', '=', id).execute();
}

/** The kinds the user wants pushed; every kind until they choose. */
export async function pushKindsOf(db: Db, userId: string): Promise<PushKind[]> {
  const row = await db.selectFrom('push_preferences').select('kinds').where('user_id', '=', userId).executeTakeFirst();
  if (!row) return [...pushKinds];
  const chosen = new Set(JSON.parse(row.kinds) as string[]);
  return pushKinds.filter((kind) => chosen.has(kind));
}

export async function choosePushKinds(db: Db, userId: string, kinds: readonly PushKind[], now: number): Promise<PushKind[]> {
  const chosen = pushKinds.filter((kind) => kinds.includes(kind));
  const value = JSON.stringify(chosen);
  await db
    .insertInto('push_preferences')
    .values({ user_id: userId, kinds: value, updated_at: now })
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ kinds: value, updated_at: now }))
    .execute();
  return chosen;
}
