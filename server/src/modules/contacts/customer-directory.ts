import type { CompanyDetail, CompanyList, ContactDetail, ContactList, ContactSummary, CustomerListQuery } from '@pier/contracts';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { userDisplayNames } from '../workspace/index.js';
import { likePatternOf } from './search-text.js';

type Db = Kysely<Database> | Transaction<Database>;
const DAY = 86_400_000;

export function parseTags(json: string | null): string[] {
  if (!json) return [];
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

export function parseCustomFields(json: string | null): Record<string, string> {
  if (!json) return {};
  try {
    const value: unknown = JSON.parse(json);
    if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}

/** A tag inside the JSON array, for LIKE: the quoted name (JSON escapes quotes and backslashes; LIKE's wildcards escaped). */
export function tagPattern(tag: string): string {
  return `%${JSON.stringify(tag).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function contactsQuery(db: Db, query: CustomerListQuery, me: string, now: number) {
  let q = db
    .selectFrom('contacts')
    .leftJoin('companies', 'companies.id', 'contacts.company_id')
    .where('contacts.merged_into_id', 'is', null);
  if (query.q?.trim()) {
    const pattern = likePatternOf(query.q);
    q = q.where((eb) => eb.or([likeEscaped('contacts.search_text', pattern), likeEscaped('companies.search_text', pattern)]));
  }
  if (query.country) q = q.where('contacts.country', '=', query.country.toUpperCase());
  if (query.owner === 'none') q = q.where('contacts.owner_id', 'is', null);
  else if (query.owner) q = q.where('contacts.owner_id', '=', query.owner === 'me' ? me : query.owner);
  if (query.tag) q = q.where(likeEscaped('contacts.tags', tagPattern(query.tag)));
  if (query.contactedWithinDays) q = q.where('contacts.last_seen_at', '>=', now - query.contactedWithinDays * DAY);
  if (query.quietForDays) q = q.where('contacts.last_seen_at', '<', now - query.quietForDays * DAY);
  return q;
}

/** LIKE with `\` as the escape character, said explicitly: SQLite has no default one. */
export function likeEscaped(
  column: 'contacts.search_text' | 'companies.search_text' | 'contacts.tags' | 'companies.tags',
  pattern: string,
) {
  return sql<boolean>`${sql.ref(column)} LIKE ${pattern} ESCAPE '\\'`;
}

type ContactRow = {
  id: string;
  address: string;
  name: string | null;
  company_id: string | null;
  company_name: string | null;
  company_domain: string | null;
  country: string | null;
  phone_e164: string | null;
  owner_id: string | null;
  tags: string | null;
  first_seen_at: number;
  last_seen_at: number;
};

async function toSummaries(db: Db, rows: ContactRow[]): Promise<ContactSummary[]> {
  const names = await userDisplayNames(
    db,
    rows.flatMap((r) => (r.owner_id ? [r.owner_id] : [])),
  );
  return rows.map((r) => ({
    id: r.id,
    address: r.address,
    name: r.name,
    company:
      r.company_id && r.company_domain ? { id: r.company_id, name: r.company_name ?? r.company_domain, domain: r.company_domain } : null,
    country: r.country,
    verifiedPhone: r.phone_e164,
    owner: r.owner_id ? { id: r.owner_id, name: names.get(r.owner_id) ?? '' } : null,
    tags: parseTags(r.tags),
    firstSeenAt: Number(r.first_seen_at),
    lastSeenAt: Number(r.last_seen_at),
  }));
}

const contactColumns = [
  'contacts.id',
  'contacts.address',
  'contacts.name',
  'contacts.company_id',
  'companies.name as company_name',
  'companies.domain as company_domain',
  'contacts.country',
  'contacts.phone_e164',
  'contacts.owner_id',
  'contacts.tags',
  'contacts.first_seen_at',
  'contacts.last_seen_at',
] as const;

/** The directory's contacts page: filtered and searched in SQL, most recently in touch first. */
export async function listContacts(db: Db, query: CustomerListQuery, me: string, now: number): Promise<ContactList> {
  const base = contactsQuery(db, query, me, now);
  const [rows, total] = await Promise.all([
    base
      .select([...contactColumns])
      .orderBy('contacts.last_seen_at', 'desc')
      .orderBy('contacts.id')
      .limit(query.limit)
      .offset(query.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
  ]);
  return { items: await toSummaries(db, rows), total: Number(total?.n ?? 0) };
}

/** The directory's companies page: a company matches by its own name/domain or by one of its people. */
export async function listCompanies(db: Db, query: CustomerListQuery, me: string, now: number): Promise<CompanyList> {
  const people = contactsQuery(db, { ...query, q: undefined }, me, now).select('contacts.company_id');
  let q = db.selectFrom('companies');
  if (query.q?.trim()) {
    const pattern = likePatternOf(query.q);
    q = q.where((eb) =>
      eb.or([
        likeEscaped('companies.search_text', pattern),
        eb(
          'companies.id',
          'in',
          contactsQuery(db, { q: query.q, limit: 1, offset: 0 }, me, now)
            .select('contacts.company_id')
            .where('contacts.company_id', 'is not', null),
        ),
      ]),
    );
  }
  if (query.tag) q = q.where(likeEscaped('companies.tags', tagPattern(query.tag)));
  const filteredByPeople = query.owner || query.contactedWithinDays || query.quietForDays;
  if (filteredByPeople) q = q.where('companies.id', 'in', people.where('contacts.company_id', 'is not', null));
  if (query.country) q = q.where('companies.country', '=', query.country.toUpperCase());
  const [rows, total] = await Promise.all([
    q
      .leftJoin('contacts', (join) => join.onRef('contacts.company_id', '=', 'companies.id').on('contacts.merged_into_id', 'is', null))
      .select((eb) => [
        'companies.id',
        'companies.domain',
        'companies.name',
        'companies.country',
        'companies.tags',
        eb.fn.count<number>('contacts.id').as('people'),
        eb.fn.max('contacts.last_seen_at').as('last_seen_at'),
      ])
      .groupBy(['companies.id', 'companies.domain', 'companies.name', 'companies.country', 'companies.tags'])
      .orderBy('last_seen_at', 'desc')
      .orderBy('companies.id')
      .limit(query.limit)
      .offset(query.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      domain: r.domain,
      name: r.name,
      country: r.country,
      tags: parseTags(r.tags),
      contacts: Number(r.people),
      lastSeenAt: r.last_seen_at === null ? null : Number(r.last_seen_at),
    })),
    total: Number(total?.n ?? 0),
  };
}

/** A contact with its numbers, custom fields and the addresses merged into it; a merged duplicate answers as the one it joined. */
export async function contactDetail(db: Db, contactId: string): Promise<ContactDetail> {
  const id = await resolveMerged(db, contactId);
  const row = await db
    .selectFrom('contacts')
    .leftJoin('companies', 'companies.id', 'contacts.company_id')
    .select([...contactColumns, 'contacts.custom_fields', 'contacts.owned_since'])
    .where('contacts.id', '=', id)
    .executeTakeFirst();
  if (!row) throw new AppError('customer.not_found', 404, 'no such customer');
  const [summary] = await toSummaries(db, [row]);
  const phones = await db
    .selectFrom('contact_phones')
    .select(['phone_e164', 'label'])
    .where('contact_id', '=', id)
    .orderBy('created_at')
    .execute();
  const merged = await db.selectFrom('contacts').select('address').where('merged_into_id', '=', id).orderBy('address').execute();
  return {
    ...(summary as ContactSummary),
    phones: [
      ...(row.phone_e164 ? [{ phone: row.phone_e164, label: null, verified: true }] : []),
      ...phones.filter((p) => p.phone_e164 !== row.phone_e164).map((p) => ({ phone: p.phone_e164, label: p.label, verified: false })),
    ],
    customFields: parseCustomFields(row.custom_fields),
    mergedAddresses: merged.map((m) => m.address),
    ownedSince: row.owned_since === null ? null : Number(row.owned_since),
  };
}

export async function companyDetail(db: Db, companyId: string): Promise<CompanyDetail> {
  const company = await db
    .selectFrom('companies')
    .select(['id', 'domain', 'name', 'country', 'tags'])
    .where('id', '=', companyId)
    .executeTakeFirst();
  if (!company) throw new AppError('customer.not_found', 404, 'no such company');
  const rows = await db
    .selectFrom('contacts')
    .leftJoin('companies', 'companies.id', 'contacts.company_id')
    .select([...contactColumns])
    .where('contacts.company_id', '=', companyId)
    .where('contacts.merged_into_id', 'is', null)
    .orderBy('contacts.last_seen_at', 'desc')
    .limit(500)
    .execute();
  const people = await toSummaries(db, rows);
  return {
    id: company.id,
    domain: company.domain,
    name: company.name,
    country: company.country,
    tags: parseTags(company.tags),
    contacts: people.length,
    lastSeenAt: people[0]?.lastSeenAt ?? null,
    people,
  };
}

/** The contact a (possibly merged) id stands for now. */
export async function resolveMerged(db: Db, contactId: string): Promise<string> {
  let id = contactId;
  for (let hop = 0; hop < 10; hop++) {
    const row = await db.selectFrom('contacts').select('merged_into_id').where('id', '=', id).executeTakeFirst();
    if (!row) throw new AppError('customer.not_found', 404, 'no such customer');
    if (!row.merged_into_id) return id;
    id = row.merged_into_id;
  }
  return id;
}

/** The contact and every duplicate merged into it (their mail is its history). */
export async function contactWithMerged(db: Db, contactId: string): Promise<string[]> {
  const ids = [contactId];
  for (let i = 0; i < ids.length && ids.length < 200; i++) {
    const rows = await db
      .selectFrom('contacts')
      .select('id')
      .where('merged_into_id', '=', ids[i] as string)
      .execute();
    ids.push(...rows.map((r) => r.id));
  }
  return ids;
}
