import { type ExpressionBuilder, type Kysely, sql, type Transaction } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import { emitWebhookEvent } from '../webhooks/index.js';
import { companySearchText, contactSearchText, foldForSearch } from './search-text.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function upsertCompany(db: Db, company: { domain: string; country: string | null; now: number }): Promise<string> {
  // Look first: nearly every mail is from a known company, and a no-op ON CONFLICT DO UPDATE
  // would make SQLite check the foreign keys of every contact of that company (0.5 ms per mail).
  const find = () => db.selectFrom('companies').select('id').where('domain', '=', company.domain).executeTakeFirst();
  const existing = await find();
  if (existing) return existing.id;
  const inserted = await db
    .insertInto('companies')
    .values({
      id: newId(),
      domain: company.domain,
      name: company.domain,
      country: company.country,
      created_at: company.now,
      tags: null,
      search_text: companySearchText({ name: company.domain, domain: company.domain }),
      updated_at: null,
    })
    .onConflict((oc) => oc.column('domain').doNothing())
    .returning('id')
    .executeTakeFirst();
  // Inserted meanwhile by a concurrent transaction (PostgreSQL): the row is there now.
  return inserted?.id ?? (await find())?.id ?? Promise.reject(new Error(`company ${company.domain} vanished`));
}

export async function upsertContact(
  db: Db,
  contact: { address: string; name: string | null; companyId: string | null; country: string | null; seenAt: number },
): Promise<string> {
  // Read, then write only what changes, with a plain UPDATE: SQLite runs the foreign-key
  // checks of an ON CONFLICT DO UPDATE against every message_contacts row of the contact,
  // which grows with the customer's history.
  const find = () =>
    db.selectFrom('contacts').select(['id', 'name', 'last_seen_at']).where('address', '=', contact.address).executeTakeFirst();
  let existing = await find();
  if (!existing) {
    const inserted = await db
      .insertInto('contacts')
      .values({
        id: newId(),
        address: contact.address,
        name: contact.name,
        company_id: contact.companyId,
        country: contact.country,
        phone_e164: null,
        first_seen_at: contact.seenAt,
        last_seen_at: contact.seenAt,
        ...NEW_CONTACT_CUSTOMER_COLUMNS,
        search_text: contactSearchText(contact),
      })
      .onConflict((oc) => oc.column('address').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) {
      await emitWebhookEvent(db, 'contact.created', { contactIds: [inserted.id] });
      return inserted.id;
    }
    // Inserted meanwhile by a concurrent transaction (PostgreSQL).
    existing = await find();
    if (!existing) throw new Error(`contact ${contact.address} vanished`);
  }
  // A display name seen later replaces none; a newer mail moves last_seen_at forward only.
  const name = existing.name === null && contact.name !== null ? contact.name : undefined;
  const lastSeenAt = existing.last_seen_at < contact.seenAt ? contact.seenAt : undefined;
  if (name !== undefined || lastSeenAt !== undefined) {
    await db
      .updateTable('contacts')
      .set((eb) => ({
        ...(name !== undefined ? nameIfNone(eb, name) : {}),
        // Compared in SQL too: a concurrent transaction may have moved it further meanwhile.
        ...(lastSeenAt !== undefined
          ? { last_seen_at: eb.case().when('last_seen_at', '<', lastSeenAt).then(eb.val(lastSeenAt)).else(eb.ref('last_seen_at')).end() }
          : {}),
      }))
      .where('id', '=', existing.id)
      .execute();
  }
  return existing.id;
}

/** The customer columns of a contact that mail creates: no owner (in the pool), nothing edited yet. */
export const NEW_CONTACT_CUSTOMER_COLUMNS = {
  owner_id: null,
  owned_since: null,
  tags: null,
  custom_fields: null,
  merged_into_id: null,
  updated_at: null,
  pool_notice_at: null,
} as const;

/** SET of the first display name a contact gets, and its search text with it (in SQL: a concurrent writer may have set one). */
export function nameIfNone(eb: ExpressionBuilder<Database, 'contacts'>, name: string) {
  return {
    name: eb.fn.coalesce('name', eb.val(name)),
    search_text: eb
      .case()
      .when('name', 'is', null)
      .then(sql<string>`coalesce(search_text, '') || ${` ${foldForSearch(name)}`}`)
      .else(eb.ref('search_text'))
      .end(),
  };
}

export async function linkMessageContact(
  db: Db,
  messageId: string,
  contactId: string,
  role: 'from' | 'to' | 'cc' | 'reply_to',
): Promise<void> {
  await db
    .insertInto('message_contacts')
    .values({ message_id: messageId, contact_id: contactId, role })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** The contact's phone number (E.164), the one a phone confirmation may call; fraud decides who may set it. */
export async function setContactPhoneNumber(db: Db, contactId: string, phoneE164: string | null): Promise<void> {
  const contact = await db.selectFrom('contacts').select(['name', 'address']).where('id', '=', contactId).executeTakeFirst();
  if (!contact) return;
  const others = await db.selectFrom('contact_phones').select('phone_e164').where('contact_id', '=', contactId).execute();
  const phones = [...(phoneE164 ? [phoneE164] : []), ...others.map((p) => p.phone_e164)];
  await db
    .updateTable('contacts')
    .set({ phone_e164: phoneE164, search_text: contactSearchText({ ...contact, phones }) })
    .where('id', '=', contactId)
    .execute();
}

/** The company a contact's address belongs to (its name, else its domain), for `{{company}}` in answers. */
export async function companyNameOfAddress(db: Db, address: string): Promise<string | null> {
  const row = await db
    .selectFrom('contacts')
    .innerJoin('companies', 'companies.id', 'contacts.company_id')
    .select(['companies.name', 'companies.domain'])
    .where('contacts.address', '=', address.toLowerCase())
    .executeTakeFirst();
  return row ? row.name || row.domain : null;
}
