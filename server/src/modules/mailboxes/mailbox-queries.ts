import { type Kysely, sql, type Transaction, type Updateable } from 'kysely';
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

/**
 * Counting open conversations stops here, as the sidebar's counts do (decision record 0014): an exact
 * grouped count walked every open conversation (seconds at 200,000, on every settings page load).
 */
export const OPEN_COUNT_CAP = 100;

/** Mailboxes in scope with their open-conversation counts (each up to OPEN_COUNT_CAP), ordered by address. */
export async function selectMailboxesWithCounts(db: Db, ids: 'all' | string[]) {
  const rows = await selectMailboxesInScope(db, ids);
  return Promise.all(rows.map(async (m) => ({ ...m, open_count: await countOpenCapped(db, m.id) })));
}

/** Open conversations in one mailbox, up to the cap: a walk that stops, not a count of the whole open set. */
async function countOpenCapped(db: Db, mailboxId: string): Promise<number> {
  const row = await db
    .selectFrom(
      db
        .selectFrom('conversations')
        .select(sql<number>`1`.as('one'))
        .where('conversations.status', '=', 'open')
        .where((eb) =>
          eb.exists(
            eb
              .selectFrom('conversation_mailboxes')
              .select('conversation_mailboxes.conversation_id')
              .whereRef('conversation_mailboxes.conversation_id', '=', 'conversations.id')
              .where('conversation_mailboxes.mailbox_id', '=', mailboxId),
          ),
        )
        .limit(OPEN_COUNT_CAP)
        .as('bounded'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
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
