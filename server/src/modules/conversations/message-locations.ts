import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Where each stored message is on the mail server (folder + UID): ingest writes a location with
 * the message; sync keeps them in step with the server through these functions.
 */

/** A new UIDVALIDITY: every UID known in the folder is meaningless; the messages stay. */
export async function forgetFolderLocations(db: Db, folderId: string): Promise<void> {
  await db.deleteFrom('message_locations').where('folder_id', '=', folderId).execute();
}

export async function listFolderUids(db: Db, folderId: string): Promise<number[]> {
  const rows = await db.selectFrom('message_locations').select('uid').where('folder_id', '=', folderId).execute();
  return rows.map((r) => r.uid).filter((uid): uid is number => uid !== null);
}

export async function deleteLocationsByUid(db: Db, folderId: string, uids: number[]): Promise<void> {
  for (let i = 0; i < uids.length; i += 500) {
    await db
      .deleteFrom('message_locations')
      .where('folder_id', '=', folderId)
      .where('uid', 'in', uids.slice(i, i + 500))
      .execute();
  }
}

/** Sets the flags of a stored location; false when Pier has no location with that UID. */
export async function updateLocationFlags(db: Db, folderId: string, uid: number, flags: string[]): Promise<boolean> {
  const result = await db
    .updateTable('message_locations')
    .set({ flags: JSON.stringify(flags) })
    .where('folder_id', '=', folderId)
    .where('uid', '=', uid)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
