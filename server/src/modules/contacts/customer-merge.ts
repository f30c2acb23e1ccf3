import type { Kysely } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { recordAuditBy } from '../audit/index.js';
import { parseCustomFields, parseTags } from './customer-directory.js';
import type { CustomerActor } from './customer-edit.js';
import { changeOwner } from './customer-ownership.js';
import { contactSearchText } from './search-text.js';

/**
 * Merges duplicates into one contact (the same buyer writing from two addresses). A duplicate
 * keeps its row, because mail names its address and fraud's records point at it, but leaves the
 * directory: `merged_into_id` says where it went, and its mail, notes, numbers and owner history
 * become the kept contact's timeline. Tags are joined; the kept contact's custom fields win.
 * Admins merge anything; others only customers that are theirs or in the pool.
 */
export async function mergeContacts(
  db: Kysely<Database>,
  actor: CustomerActor,
  input: { keepId: string; mergeIds: string[] },
  now: number,
): Promise<{ kept: string; merged: number }> {
  const mergeIds = [...new Set(input.mergeIds)].filter((id) => id !== input.keepId);
  if (mergeIds.length === 0) throw new AppError('customer.merge_invalid', 400, 'choose other contacts to merge');
  const rows = await db
    .selectFrom('contacts')
    .select(['id', 'address', 'name', 'owner_id', 'tags', 'custom_fields', 'phone_e164', 'merged_into_id', 'last_seen_at', 'first_seen_at'])
    .where('id', 'in', [input.keepId, ...mergeIds])
    .execute();
  const keep = rows.find((r) => r.id === input.keepId);
  const dups = rows.filter((r) => r.id !== input.keepId);
  if (!keep || dups.length !== mergeIds.length || rows.some((r) => r.merged_into_id !== null)) {
    throw new AppError('customer.not_found', 404, 'no such customer');
  }
  const admin = actor.role === 'admin' || actor.role === 'super_admin';
  if (!admin && rows.some((r) => r.owner_id !== null && r.owner_id !== actor.id)) {
    throw new AppError('auth.forbidden', 403, 'a colleague owns one of these customers: ask them or an admin');
  }
  return db.transaction().execute(async (trx) => {
    const tags = [...new Set(rows.flatMap((r) => parseTags(r.tags)))];
    const custom = Object.assign({}, ...[...dups.reverse(), keep].map((r) => parseCustomFields(r.custom_fields)));
    const name = keep.name ?? dups.find((d) => d.name)?.name ?? null;
    const owner = keep.owner_id ?? dups.find((d) => d.owner_id)?.owner_id ?? null;
    // Numbers of the duplicates join the kept contact's; a duplicate's verified number does not stay verified.
    const existing = new Set(
      (await trx.selectFrom('contact_phones').select('phone_e164').where('contact_id', '=', keep.id).execute()).map((p) => p.phone_e164),
    );
    if (keep.phone_e164) existing.add(keep.phone_e164);
    const moved = await trx.selectFrom('contact_phones').select(['phone_e164', 'label']).where('contact_id', 'in', mergeIds).execute();
    const extra = [...moved, ...dups.flatMap((d) => (d.phone_e164 ? [{ phone_e164: d.phone_e164, label: null }] : []))].filter(
      (p) => !existing.has(p.phone_e164) && existing.add(p.phone_e164),
    );
    if (extra.length > 0) {
      await trx
        .insertInto('contact_phones')
        .values(extra.map((p) => ({ id: newId(), contact_id: keep.id, phone_e164: p.phone_e164, label: p.label, created_at: now })))
        .execute();
    }
    await trx.updateTable('customer_notes').set({ contact_id: keep.id }).where('contact_id', 'in', mergeIds).execute();
    await changeOwner(trx, { contactIds: mergeIds, ownerId: null, reason: 'released', actorId: actor.id, at: now });
    await trx.updateTable('contacts').set({ merged_into_id: keep.id, updated_at: now }).where('id', 'in', mergeIds).execute();
    await trx
      .updateTable('contacts')
      .set({
        name,
        tags: JSON.stringify(tags),
        custom_fields: JSON.stringify(custom),
        last_seen_at: Math.max(...rows.map((r) => Number(r.last_seen_at))),
        first_seen_at: Math.min(...rows.map((r) => Number(r.first_seen_at))),
        search_text: contactSearchText({
          name: [name, ...dups.map((d) => `${d.name ?? ''} ${d.address}`)].filter(Boolean).join(' '),
          address: keep.address,
          phones: [...existing],
        }),
        updated_at: now,
      })
      .where('id', '=', keep.id)
      .execute();
    if (owner && owner !== keep.owner_id) {
      await changeOwner(trx, { contactIds: [keep.id], ownerId: owner, reason: 'assigned', actorId: actor.id, at: now });
    }
    await recordAuditBy(trx, actor.audit, {
      action: 'customer.merged',
      targetType: 'contact',
      targetId: keep.id,
      details: { kept: keep.address, merged: dups.map((d) => d.address) },
    });
    return { kept: keep.id, merged: dups.length };
  });
}
