import type { Kysely, Transaction, Updateable } from 'kysely';
import type { Database, MailboxesTable, MailboxRow } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function insertMailbox(db: Db, row: MailboxRow): Promise<void> {
  await db.insertInto('mailboxes').values(row).execute();
}

/** Every mailbox address of the workspace (the team's own addresses). */
export async function loadOwnAddresses(db: Db): Promise<Set<string>> {
  const rows = await db.selectFrom('mailboxes').select('address').execute();
  return new Set(rows.map((r) => r.address.toLowerCase()));
}

export function findMailboxById(db: Db, id: string): Promise<MailboxRow | undefined> {
  return db.selectFrom('mailboxes').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listActiveImapMailboxes(db: Db): Promise<MailboxRow[]> {
  return db.selectFrom('mailboxes').selectAll().where('status', '=', 'active').where('imap_host', 'is not', null).execute();
}

export async function updateMailboxRow(db: Db, id: string, values: Updateable<MailboxesTable>): Promise<void> {
  await db.updateTable('mailboxes').set(values).where('id', '=', id).execute();
}

export async function setMailboxStatus(
  db: Db,
  id: string,
  status: { status_detail: string | null; last_synced_at?: number },
): Promise<void> {
  await db.updateTable('mailboxes').set(status).where('id', '=', id).execute();
}

export function findMailboxByAddress(db: Db, address: string): Promise<MailboxRow | undefined> {
  return db.selectFrom('mailboxes').selectAll().where('address', '=', address.toLowerCase()).executeTakeFirst();
}

/** Mailboxes in scope, ordered by address. */
export function selectMailboxesInScope(db: Db, ids: 'all' | string[]) {
  return db
    .selectFrom('mailboxes')
    .select(['id', 'address', 'display_name', 'purpose', 'status'])
    .$if(ids !== 'all', (qb) => qb.where('id', 'in', ids === 'all' || ids.length === 0 ? [''] : ids))
    .orderBy('address')
    .execute();
}

/** Mailboxes in scope with their open-conversation counts, ordered by address. */
export function selectMailboxesWithCounts(db: Db, ids: 'all' | string[]) {
  return db
    .selectFrom('mailboxes')
    .leftJoin('conversation_mailboxes', 'conversation_mailboxes.mailbox_id', 'mailboxes.id')
    .leftJoin('conversations', (join) =>
      join.onRef('conversations.id', '=', 'conversation_mailboxes.conversation_id').on('conversations.status', '=', 'open'),
    )
    .select(['mailboxes.id', 'mailboxes.address', 'mailboxes.display_name', 'mailboxes.purpose', 'mailboxes.status'])
    .select((eb) => eb.fn.count<number>('conversations.id').as('open_count'))
    .$if(ids !== 'all', (qb) => qb.where('mailboxes.id', 'in', ids === 'all' || ids.length === 0 ? [''] : ids))
    .groupBy(['mailboxes.id', 'mailboxes.address', 'mailboxes.display_name', 'mailboxes.purpose', 'mailboxes.status'])
    .orderBy('mailboxes.address')
    .execute();
}

export async function upsertMailboxAccess(db: Db, row: { user_id: string; mailbox_id: string; access: 'read' | 'reply' | 'manage' }) {
  await db
    .insertInto('mailbox_access')
    .values(row)
    .onConflict((oc) => oc.columns(['user_id', 'mailbox_id']).doUpdateSet({ access: row.access }))
    .execute();
}

/** Active mailboxes with SMTP settings: those Pier can send its own mail through (invitations, reset links). */
export function listSendingMailboxes(db: Db) {
  return db
    .selectFrom('mailboxes')
    .select(['id', 'address', 'display_name', 'purpose'])
    .where('status', '=', 'active')
    .where('smtp_host', 'is not', null)
    .orderBy('address')
    .execute();
}
