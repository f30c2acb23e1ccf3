import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { likeEscaped, tagPattern } from './customer-directory.js';

type Db = Kysely<Database> | Transaction<Database>;
const DAY = 86_400_000;

/**
 * Which contacts a marketing segment holds; every field narrows, none set = every contact of the
 * directory (merged duplicates left out, as in the directory). A list field matches any of its values.
 */
export type ContactSegment = {
  /** ISO 3166 country codes (the contact's, else its company's). */
  countries?: string[];
  /** Registrable company domains (acme.com). */
  companyDomains?: string[];
  /** Tag names on the contact (decision 0048). */
  tags?: string[];
  /** Owners (users.id); "none" = customers in the pool. */
  owners?: string[];
  /** Tag names on the contact's company (the company's own tags, not its people's). */
  companyTags?: string[];
  /**
   * Colleagues (users.id) who own someone at the contact's company: the whole company is "theirs"
   * (companies keep no owner of their own, decision 0048), colleagues of their customer included.
   */
  companyOwners?: string[];
  /** ISO 639-1 codes: the language detected in the latest mail the contact wrote (mail-facts). */
  languages?: string[];
  /** Last mail with the contact at or after / before (epoch ms). */
  lastContactAfter?: number;
  lastContactBefore?: number;
  /** Relative to when the segment is read (a saved segment stays current): mail within / none for N days. */
  contactedWithinDays?: number;
  quietForDays?: number;
};

export type SegmentContact = { address: string; name: string | null; company: string | null; country: string | null };

/**
 * The language detected in the latest mail each contact wrote (conversations' latestLanguagesOf,
 * passed in: messages are not this module's to read, and conversations comes after contacts).
 */
export type LatestLanguages = (db: Db, contactIds: readonly string[]) => Promise<Map<string, string>>;

/**
 * The contacts of a segment at `now`, for a campaign's recipient list (the campaigns module reads
 * contacts only here). Suppression is not applied here: the campaigns module does that, always.
 */
export async function contactsInSegment(
  db: Db,
  segment: ContactSegment,
  now: number,
  latestLanguages: LatestLanguages,
): Promise<SegmentContact[]> {
  let query = db
    .selectFrom('contacts')
    .leftJoin('companies', 'companies.id', 'contacts.company_id')
    .where('contacts.merged_into_id', 'is', null)
    .select([
      'contacts.id',
      'contacts.address',
      'contacts.name',
      'companies.name as company',
      'contacts.country',
      'companies.country as company_country',
    ]);
  if (segment.countries?.length) {
    const countries = segment.countries.map((c) => c.toUpperCase());
    query = query.where((eb) =>
      eb.or([
        eb('contacts.country', 'in', countries),
        eb.and([eb('contacts.country', 'is', null), eb('companies.country', 'in', countries)]),
      ]),
    );
  }
  if (segment.companyDomains?.length)
    query = query.where(
      'companies.domain',
      'in',
      segment.companyDomains.map((d) => d.trim().toLowerCase()),
    );
  const tags = segment.tags?.filter((t) => t.trim());
  if (tags?.length) query = query.where((eb) => eb.or(tags.map((tag) => likeEscaped('contacts.tags', tagPattern(tag)))));
  if (segment.owners?.length) {
    const owners = segment.owners.filter((o) => o !== 'none');
    const pool = segment.owners.includes('none');
    query = query.where((eb) =>
      eb.or([...(owners.length ? [eb('contacts.owner_id', 'in', owners)] : []), ...(pool ? [eb('contacts.owner_id', 'is', null)] : [])]),
    );
  }
  const companyTags = segment.companyTags?.filter((t) => t.trim());
  if (companyTags?.length) query = query.where((eb) => eb.or(companyTags.map((tag) => likeEscaped('companies.tags', tagPattern(tag)))));
  if (segment.companyOwners?.length) {
    const companyOwners = segment.companyOwners;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('contacts as colleague')
          .select('colleague.id')
          .whereRef('colleague.company_id', '=', 'contacts.company_id')
          .where('colleague.merged_into_id', 'is', null)
          .where('colleague.owner_id', 'in', companyOwners),
      ),
    );
  }
  if (segment.lastContactAfter !== undefined) query = query.where('contacts.last_seen_at', '>=', segment.lastContactAfter);
  if (segment.lastContactBefore !== undefined) query = query.where('contacts.last_seen_at', '<', segment.lastContactBefore);
  if (segment.contactedWithinDays) query = query.where('contacts.last_seen_at', '>=', now - segment.contactedWithinDays * DAY);
  if (segment.quietForDays) query = query.where('contacts.last_seen_at', '<', now - segment.quietForDays * DAY);
  let rows = await query.orderBy('contacts.address').execute();
  if (segment.languages?.length) {
    // The other fields narrow in SQL first; the language is asked of the narrowed contacts only.
    const wanted = new Set(segment.languages.map((l) => l.trim().toLowerCase()));
    const languages = await latestLanguages(
      db,
      rows.map((r) => r.id),
    );
    rows = rows.filter((r) => wanted.has(languages.get(r.id) ?? ''));
  }
  return rows.map((r) => ({ address: r.address, name: r.name, company: r.company, country: r.country ?? r.company_country }));
}
