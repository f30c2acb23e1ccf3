import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import type { CustomerOwnerHistoryTable } from '../../db/tables/customers.js';

type Db = Kysely<Database> | Transaction<Database>;
export type OwnerChangeReason = CustomerOwnerHistoryTable['reason'];

/**
 * Gives contacts a new owner (null: back to the pool) and writes one history row each, so the
 * timeline can say who owned a customer when. A contact already with that owner is left alone.
 * The caller records the audit entry (one per action, with what moved).
 */
export async function changeOwner(
  db: Db,
  input: { contactIds: readonly string[]; ownerId: string | null; reason: OwnerChangeReason; actorId: string | null; at: number },
): Promise<number> {
  let changed = 0;
  for (const contactId of input.contactIds) {
    const updated = await db
      .updateTable('contacts')
      .set({ owner_id: input.ownerId, owned_since: input.ownerId ? input.at : null, pool_notice_at: null, updated_at: input.at })
      .where('id', '=', contactId)
      .where((eb) =>
        input.ownerId === null ? eb('owner_id', 'is not', null) : eb.or([eb('owner_id', 'is', null), eb('owner_id', '!=', input.ownerId)]),
      )
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) continue;
    await db
      .insertInto('customer_owner_history')
      .values({ id: newId(), contact_id: contactId, owner_id: input.ownerId, reason: input.reason, actor_id: input.actorId, at: input.at })
      .execute();
    changed++;
  }
  return changed;
}

/** How many customers (contacts, duplicates merged away not counted) a person owns. */
export async function countCustomersOwnedBy(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('contacts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('owner_id', '=', userId)
    .where('merged_into_id', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * Moves a departing person's customers to a colleague, or back to the pool (a team cannot own a
 * customer: its members claim them there), in the caller's transaction: deactivation's handover
 * (decision 0048), audited by the caller with the count.
 */
export async function handOverCustomers(
  trx: Transaction<Database>,
  input: { fromUserId: string; toUserId: string | null; actorId: string; at: number },
): Promise<number> {
  const owned = await trx.selectFrom('contacts').select('id').where('owner_id', '=', input.fromUserId).orderBy('id').execute();
  return changeOwner(trx, {
    contactIds: owned.map((c) => c.id),
    ownerId: input.toUserId,
    reason: 'handover',
    actorId: input.actorId,
    at: input.at,
  });
}
