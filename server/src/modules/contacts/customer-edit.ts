import type { CompanyUpdate, ContactUpdate, Role } from '@pier/contracts';
import type { Kysely } from 'kysely';
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { type AuditActor, recordAuditBy } from '../audit/index.js';
import { findUserById } from '../workspace/index.js';
import { parseCustomFields, parseTags } from './customer-directory.js';
import { changeOwner } from './customer-ownership.js';
import { companySearchText, contactSearchText } from './search-text.js';

export type CustomerActor = { id: string; role: Role; audit: AuditActor };
const isAdmin = (role: Role) => role === 'admin' || role === 'super_admin';

/** A number written any usual way as E.164 (the contact's country helps with national writing), or 400. */
export function normaliseCustomerPhone(input: string, country: string | null): string {
  const parsed = parsePhoneNumberFromString(input, (country ?? undefined) as CountryCode | undefined);
  if (!parsed?.isValid()) throw new AppError('customer.phone_invalid', 400, `not a valid phone number: ${input}`);
  return parsed.number;
}

/**
 * Who may give a customer an owner: an admin to any active colleague who is not an auditor (or to
 * the pool); anyone else only claims an unowned customer for themselves or releases their own.
 */
async function checkOwnerChange(db: Kysely<Database>, actor: CustomerActor, current: string | null, next: string | null) {
  if (current === next) return;
  if (isAdmin(actor.role)) {
    if (next === null) return;
    const user = await findUserById(db, next);
    if (user?.status !== 'active' || user.role === 'auditor') {
      throw new AppError('request.invalid', 400, 'the owner must be an active colleague who is not an auditor');
    }
    return;
  }
  if (current === null && next === actor.id) return;
  if (current === actor.id && next === null) return;
  if (current !== null && next === actor.id) throw new AppError('customer.owned', 409, 'someone already owns this customer');
  throw new AppError('auth.forbidden', 403, 'only an admin gives a customer to someone else');
}

/**
 * How the customer's history names an owner change, whoever makes it (an admin too): taking one
 * from the pool for oneself is a claim, putting one back in the pool a release; giving it to
 * someone, which only an admin may do, an assignment.
 */
export function ownerChangeReason(actorId: string, current: string | null, next: string | null): 'claimed' | 'released' | 'assigned' {
  if (next === null) return 'released';
  if (current === null && next === actorId) return 'claimed';
  return 'assigned';
}

/**
 * Edits a contact. Its fields are changed by its owner, an admin, or anyone while it is in the
 * pool (私海: another salesperson's customer is theirs to keep). Audited with the fields changed.
 */
export async function updateContact(db: Kysely<Database>, actor: CustomerActor, contactId: string, update: ContactUpdate, now: number) {
  const contact = await db
    .selectFrom('contacts')
    .select(['id', 'address', 'name', 'country', 'owner_id', 'phone_e164', 'merged_into_id', 'custom_fields', 'tags'])
    .where('id', '=', contactId)
    .executeTakeFirst();
  if (!contact || contact.merged_into_id) throw new AppError('customer.not_found', 404, 'no such customer');
  const onlyOwner = Object.keys(update).length === 1 && update.ownerId !== undefined;
  if (!onlyOwner && contact.owner_id !== null && contact.owner_id !== actor.id && !isAdmin(actor.role)) {
    throw new AppError('auth.forbidden', 403, 'this customer belongs to a colleague: ask them or an admin');
  }
  if (update.ownerId !== undefined) await checkOwnerChange(db, actor, contact.owner_id, update.ownerId);
  const country = update.country !== undefined ? update.country : contact.country;
  const phones = update.phones?.map((p) => ({ phone: normaliseCustomerPhone(p.phone, country), label: p.label || null }));
  await db.transaction().execute(async (trx) => {
    const name = update.name !== undefined ? update.name || null : contact.name;
    const allPhones = phones
      ? phones.map((p) => p.phone)
      : (await trx.selectFrom('contact_phones').select('phone_e164').where('contact_id', '=', contactId).execute()).map(
          (p) => p.phone_e164,
        );
    await trx
      .updateTable('contacts')
      .set({
        name,
        country,
        ...(update.tags ? { tags: JSON.stringify([...new Set(update.tags)]) } : {}),
        ...(update.customFields ? { custom_fields: JSON.stringify(update.customFields) } : {}),
        search_text: contactSearchText({
          name,
          address: contact.address,
          phones: [...(contact.phone_e164 ? [contact.phone_e164] : []), ...allPhones],
        }),
        updated_at: now,
      })
      .where('id', '=', contactId)
      .execute();
    if (phones) {
      await trx.deleteFrom('contact_phones').where('contact_id', '=', contactId).execute();
      const unique = [...new Map(phones.filter((p) => p.phone !== contact.phone_e164).map((p) => [p.phone, p])).values()];
      if (unique.length > 0) {
        await trx
          .insertInto('contact_phones')
          .values(unique.map((p) => ({ id: newId(), contact_id: contactId, phone_e164: p.phone, label: p.label, created_at: now })))
          .execute();
      }
    }
    if (update.ownerId !== undefined && update.ownerId !== contact.owner_id) {
      const reason = ownerChangeReason(actor.id, contact.owner_id, update.ownerId);
      await changeOwner(trx, { contactIds: [contactId], ownerId: update.ownerId, reason, actorId: actor.id, at: now });
      await recordAuditBy(trx, actor.audit, {
        action: 'customer.owner_changed',
        targetType: 'contact',
        targetId: contactId,
        details: { from: contact.owner_id, to: update.ownerId, reason },
      });
    }
    const fields = Object.keys(update).filter((k) => k !== 'ownerId');
    if (fields.length > 0) {
      await recordAuditBy(trx, actor.audit, {
        action: 'customer.updated',
        targetType: 'contact',
        targetId: contactId,
        details: {
          fields,
          ...(update.tags ? { tagsBefore: parseTags(contact.tags) } : {}),
          ...(update.customFields ? { customFieldsBefore: Object.keys(parseCustomFields(contact.custom_fields)) } : {}),
        },
      });
    }
  });
}

/** Edits a company's name, country and tags (its domain is its identity and stays). */
export async function updateCompany(db: Kysely<Database>, actor: CustomerActor, companyId: string, update: CompanyUpdate, now: number) {
  const company = await db.selectFrom('companies').select(['id', 'domain', 'name']).where('id', '=', companyId).executeTakeFirst();
  if (!company) throw new AppError('customer.not_found', 404, 'no such company');
  await db.transaction().execute(async (trx) => {
    const name = update.name ?? company.name;
    await trx
      .updateTable('companies')
      .set({
        name,
        ...(update.country !== undefined ? { country: update.country } : {}),
        ...(update.tags ? { tags: JSON.stringify([...new Set(update.tags)]) } : {}),
        search_text: companySearchText({ name, domain: company.domain }),
        updated_at: now,
      })
      .where('id', '=', companyId)
      .execute();
    await recordAuditBy(trx, actor.audit, {
      action: 'customer.company_updated',
      targetType: 'company',
      targetId: companyId,
      details: { fields: Object.keys(update), ...(update.name ? { nameBefore: company.name } : {}) },
    });
  });
}

/** A note on a contact or a company: part of its timeline for everyone who can see the customer. */
export async function addCustomerNote(
  db: Kysely<Database>,
  actor: CustomerActor,
  target: { contactId: string } | { companyId: string },
  body: string,
  now: number,
): Promise<string> {
  const exists =
    'contactId' in target
      ? await db.selectFrom('contacts').select('id').where('id', '=', target.contactId).executeTakeFirst()
      : await db.selectFrom('companies').select('id').where('id', '=', target.companyId).executeTakeFirst();
  if (!exists) throw new AppError('customer.not_found', 404, 'no such customer');
  const id = newId();
  await db
    .insertInto('customer_notes')
    .values({
      id,
      contact_id: 'contactId' in target ? target.contactId : null,
      company_id: 'companyId' in target ? target.companyId : null,
      author_id: actor.id,
      body,
      created_at: now,
    })
    .execute();
  return id;
}
