import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The `settings` key-value table: every module keeps its own keys here (security.*, outbox.*,
 * schedule:*, reindex cursors, setup) and reaches the table only through these functions.
 */

export async function readSetting(db: Db, key: string): Promise<string | undefined> {
  return (await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst())?.value;
}

export async function writeSetting(db: Db, key: string, value: string): Promise<void> {
  const now = Date.now();
  await db
    .insertInto('settings')
    .values({ key, value, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
    .execute();
}

export async function deleteSetting(db: Db, key: string): Promise<void> {
  await db.deleteFrom('settings').where('key', '=', key).execute();
}

/** Inserts a key that must not exist yet: a second writer fails with the unique violation. */
export async function insertSettingOnce(db: Db, key: string, value: string): Promise<void> {
  await db.insertInto('settings').values({ key, value, updated_at: Date.now() }).execute();
}

/** Writes the value only when it sorts after the stored one (or none is stored); true when written. */
export async function advanceSetting(db: Db, key: string, value: string): Promise<boolean> {
  const now = Date.now();
  const written = await db
    .insertInto('settings')
    .values({ key, value, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }).where('settings.value', '<', value))
    .returning('key')
    .executeTakeFirst();
  return written !== undefined;
}
