import type { Kysely, Transaction } from 'kysely';
import type { Database, MailboxRow } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function insertMailbox(db: Db, row: MailboxRow): Promise<void> {
  await db.insertInto('mailboxes').values(row).execute();
}

export function findMailboxByAddress(db: Db, address: string): Promise<MailboxRow | undefined> {
  return db.selectFrom('mailboxes').selectAll().where('address', '=', address.toLowerCase()).executeTakeFirst();
}

export function findMailboxesByAddresses(db: Db, addresses: string[]) {
  if (addresses.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('mailboxes')
    .select(['id', 'address', 'status'])
    .where(
      'address',
      'in',
      addresses.map((a) => a.toLowerCase()),
    )
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
