import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database, FolderRow } from '../../db/schema.js';
import { forgetFolderLocations } from '../conversations/index.js';

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
  Pick<
    FolderRow,
    | 'uidvalidity'
    | 'last_uid'
    | 'backfill_below_uid'
    | 'highest_modseq'
    | 'synced_at'
    | 'status'
    | 'status_detail'
    | 'backlog_total'
    | 'backlog_done'
    | 'backlog_started_at'
  >
>;

export async function saveCheckpoint(db: Db, folderId: string, checkpoint: FolderCheckpoint): Promise<void> {
  await db.updateTable('folders').set(checkpoint).where('id', '=', folderId).execute();
}

/** A new UIDVALIDITY means every UID we knew is meaningless: forget the locations, keep the messages. */
export async function resetFolder(db: Db, folderId: string, uidvalidity: number): Promise<void> {
  await forgetFolderLocations(db, folderId);
  await db
    .updateTable('folders')
    .set({ uidvalidity, last_uid: 0, backfill_below_uid: 0, highest_modseq: null })
    .where('id', '=', folderId)
    .execute();
}
