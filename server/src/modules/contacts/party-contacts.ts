import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A contact behind a party: its company's domain, or null for a company-less (free-mail) address. */
export type PartyContact = { id: string; domain: string | null; address: string };

/**
 * The contacts behind these parties: every contact of a company with one of these domains, and a
 * company-less contact by its address (stored lower-case, participants-batch.ts). Fraud trust
 * starts from these (decision 0065), so its mail queries walk the contacts' index, not all mail.
 */
export async function contactsOfParties(db: Db, parties: { domains: string[]; addresses: string[] }): Promise<PartyContact[]> {
  const [byDomain, byAddress] = await Promise.all([
    parties.domains.length === 0
      ? []
      : db
          .selectFrom('contacts')
          .innerJoin('companies', 'companies.id', 'contacts.company_id')
          .where('companies.domain', 'in', parties.domains)
          .select(['contacts.id', 'companies.domain', 'contacts.address'])
          .execute(),
    parties.addresses.length === 0
      ? []
      : db
          .selectFrom('contacts')
          .leftJoin('companies', 'companies.id', 'contacts.company_id')
          .where('contacts.address', 'in', parties.addresses)
          .where('companies.domain', 'is', null)
          .select(['contacts.id', 'companies.domain', 'contacts.address'])
          .execute(),
  ]);
  return [...byDomain, ...byAddress];
}

/**
 * What identifies the set of company domains now: companies are only ever added and a domain never
 * changes (customer-edit.ts keeps it), so the count names the set; the newest id catches a removal
 * followed by an addition (by hand). Cheap enough to ask for every mail (an aggregate in the
 * database, one row sent), so a per-node copy of the list is never stale (fraud's look-alike index).
 * Read it before the list: a list read after it is at least as new.
 */
export async function companyListVersion(db: Db): Promise<string> {
  const row = await db
    .selectFrom('companies')
    .select((eb) => [eb.fn.countAll().as('count'), eb.fn.max('id').as('newest')])
    .executeTakeFirstOrThrow();
  return `${Number(row.count)}:${row.newest ?? ''}`;
}

/** Every company's domain, in the order the database returns them. */
export async function companyDomainList(db: Db): Promise<string[]> {
  return (await db.selectFrom('companies').select('domain').execute()).map((r) => r.domain);
}
