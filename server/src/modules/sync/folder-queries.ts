import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database, FolderRow } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function ensureFolder(db: Db, mailboxId: string, path: string, role: FolderRow['role']): Promise<FolderRow> {
  await db
    .insertInto('folders')
    .values({ id: newId(), mailbox_id: mailboxId, path, role })
    .onConflict((oc) => oc.columns(['mailbox_id', 'path']).doUpdateSet({ role }))
    .execute();
  return db.selectFrom('folders').selectAll().where('mailbox_id', '=', mailboxId).where('path', '=', path).executeTakeFirstOrThrow();
}

export function listFolders(db: Db, mailboxId: string): Promise<FolderRow[]> {
  return db.selectFrom('folders').selectAll().where('mailbox_id', '=', mailboxId).execute();
}

export function findFolderCheckpoint(db: Db, mailboxId: string, path: string): Promise<Pick<FolderRow, 'highest_modseq'> | undefined> {
  return db.selectFrom('folders').select('highest_modseq').where('mailbox_id', '=', mailboxId).where('path', '=', path).executeTakeFirst();
}

export type FolderCheckpoint = Partial<
  Pick<FolderRow, 'uidvalidity' | 'last_uid' | 'backfill_below_uid' | 'highest_modseq' | 'synced_at' | 'status' | 'status_detail'>
>;

export async function saveCheckpoint(db: Db, folderId: string, checkpoint: FolderCheckpoint): Promise<void> {
  await db.updateTable('folders').set(checkpoint).where('id', '=', folderId).execute();
}

/** A new UIDVALIDITY means every UID we knew is meaningless: forget the locations, keep the messages. */
export async function resetFolder(db: Db, folderId: string, uidvalidity: number): Promise<void> {
  await db.deleteFrom('message_locations').where('folder_id', '=', folderId).execute();
  await db
    .updateTable('folders')
    .set({ uidvalidity, last_uid: 0, backfill_below_uid: 0, highest_modseq: null })
    .where('id', '=', folderId)
    .execute();
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
