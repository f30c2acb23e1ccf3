import type { Kysely, Transaction } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

export async function upsertCompany(db: Db, company: { domain: string; country: string | null; now: number }): Promise<string> {
  // A no-op update instead of DO NOTHING, so RETURNING gives the id of an existing row too (one round trip).
  const row = await db
    .insertInto('companies')
    .values({ id: newId(), domain: company.domain, name: company.domain, country: company.country, created_at: company.now })
    .onConflict((oc) => oc.column('domain').doUpdateSet({ domain: company.domain }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function upsertContact(
  db: Db,
  contact: { address: string; name: string | null; companyId: string | null; country: string | null; seenAt: number },
): Promise<string> {
  const row = await db
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
    })
    .onConflict((oc) =>
      oc.column('address').doUpdateSet((eb) => ({
        // A display name seen later replaces none; a newer mail moves last_seen_at forward only.
        name: eb.fn.coalesce('contacts.name', eb.ref('excluded.name')),
        last_seen_at: eb
          .case()
          .when('contacts.last_seen_at', '<', contact.seenAt)
          .then(contact.seenAt)
          .else(eb.ref('contacts.last_seen_at'))
          .end(),
      })),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
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
