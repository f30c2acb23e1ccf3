import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Which contacts a marketing segment holds; every field narrows, none set = every contact. */
export type ContactSegment = {
  /** ISO 3166 country codes (the contact's, else its company's). */
  countries?: string[];
  /** Registrable company domains (acme.com). */
  companyDomains?: string[];
  /** Last mail with the contact at or after / before (epoch ms). */
  lastContactAfter?: number;
  lastContactBefore?: number;
};

export type SegmentContact = { address: string; name: string | null; company: string | null; country: string | null };

/** The contacts of a segment, for a campaign's recipient list (the campaigns module reads contacts only here). */
export async function contactsInSegment(db: Db, segment: ContactSegment): Promise<SegmentContact[]> {
  let query = db
    .selectFrom('contacts')
    .leftJoin('companies', 'companies.id', 'contacts.company_id')
    .select(['contacts.address', 'contacts.name', 'companies.name as company', 'contacts.country', 'companies.country as company_country']);
  if (segment.countries?.length) {
    const countries = segment.countries.map((c) => c.toUpperCase());
    query = query.where((eb) => eb.or([eb('contacts.country', 'in', countries), eb('companies.country', 'in', countries)]));
  }
  if (segment.companyDomains?.length)
    query = query.where(
      'companies.domain',
      'in',
      segment.companyDomains.map((d) => d.toLowerCase()),
    );
  if (segment.lastContactAfter !== undefined) query = query.where('contacts.last_seen_at', '>=', segment.lastContactAfter);
  if (segment.lastContactBefore !== undefined) query = query.where('contacts.last_seen_at', '<', segment.lastContactBefore);
  const rows = await query.orderBy('contacts.address').execute();
  return rows.map((r) => ({ address: r.address, name: r.name, company: r.company, country: r.country ?? r.company_country }));
}
