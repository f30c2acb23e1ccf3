import type { CsvField, CsvImportResult, CsvPreview } from '@pier/contracts';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Kysely } from 'kysely';
import { newId } from '../../db/ids.js';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../errors.js';
import { type AuditActor, recordAuditBy } from '../audit/index.js';
import { findUserByEmail, findUserById } from '../workspace/index.js';
import { companyDomainFor } from './company-domain.js';
import { upsertCompany } from './contact-queries.js';
import { countryFromDomain } from './country-from-domain.js';
import { parseCustomFields, parseTags } from './customer-directory.js';
import { normaliseCustomerPhone } from './customer-edit.js';
import { changeOwner } from './customer-ownership.js';
import { companySearchText, contactSearchText } from './search-text.js';

const BOM = '\uFEFF';
const LIST_SEPARATOR = ';';
const CUSTOM_PREFIX = 'custom:';

/**
 * A cell Excel would run as a formula (=, +, -, @, tab, CR at the start) gets a leading
 * apostrophe, which Excel shows as text and the import removes again (OWASP "CSV injection").
 */
export function excelSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
function unExcelSafe(value: string): string {
  return /^'[=+\-@\t\r]/.test(value) ? value.slice(1) : value;
}

/**
 * Every contact (duplicates merged away not included) as CSV for Excel: UTF-8 with a BOM (else
 * Excel reads Chinese names as GBK mojibake), CRLF, one column per custom field in use.
 */
export async function exportContactsCsv(db: Kysely<Database>): Promise<{ csv: string; rows: number }> {
  const rows = await db
    .selectFrom('contacts')
    .leftJoin('companies', 'companies.id', 'contacts.company_id')
    .select([
      'contacts.id',
      'contacts.address',
      'contacts.name',
      'companies.domain',
      'companies.name as company_name',
      'contacts.country',
      'contacts.phone_e164',
      'contacts.owner_id',
      'contacts.tags',
      'contacts.custom_fields',
      'contacts.first_seen_at',
      'contacts.last_seen_at',
    ])
    .where('contacts.merged_into_id', 'is', null)
    .orderBy('contacts.address')
    .execute();
  const phones = new Map<string, string[]>();
  for (const p of await db.selectFrom('contact_phones').select(['contact_id', 'phone_e164']).orderBy('created_at').execute()) {
    phones.set(p.contact_id, [...(phones.get(p.contact_id) ?? []), p.phone_e164]);
  }
  const ownerIds = [...new Set(rows.flatMap((r) => (r.owner_id ? [r.owner_id] : [])))];
  const owners = await ownerEmails(db, ownerIds);
  const customKeys = [...new Set(rows.flatMap((r) => Object.keys(parseCustomFields(r.custom_fields))))].sort();
  const header = [
    'address',
    'name',
    'company_domain',
    'company_name',
    'country',
    'verified_phone',
    'phones',
    'owner',
    'tags',
    'first_seen',
    'last_seen',
    ...customKeys.map((k) => `${CUSTOM_PREFIX}${k}`),
  ];
  const records = rows.map((r) => {
    const custom = parseCustomFields(r.custom_fields);
    return [
      r.address,
      r.name ?? '',
      r.domain ?? '',
      r.company_name ?? '',
      r.country ?? '',
      r.phone_e164 ?? '',
      (phones.get(r.id) ?? []).join(LIST_SEPARATOR),
      r.owner_id ? (owners.get(r.owner_id) ?? '') : '',
      parseTags(r.tags).join(LIST_SEPARATOR),
      new Date(Number(r.first_seen_at)).toISOString(),
      new Date(Number(r.last_seen_at)).toISOString(),
      ...customKeys.map((k) => custom[k] ?? ''),
    ].map(excelSafe);
  });
  return { csv: BOM + stringify([header, ...records], { record_delimiter: 'windows' }), rows: records.length };
}

/** Owners are named by email in the CSV (import resolves them again); a handful of people, one look-up each. */
async function ownerEmails(db: Kysely<Database>, ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const id of ids) {
    const user = await findUserById(db, id);
    if (user) out.set(id, user.email);
  }
  return out;
}

function parseCsv(text: string): string[][] {
  try {
    return parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true }) as string[][];
  } catch (error) {
    throw new AppError('customer.csv_invalid', 400, `not CSV: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const headerNames: Record<Exclude<CsvField, 'custom' | 'ignore'>, string[]> = {
  address: ['address', 'email', 'e-mail', 'emailaddress', 'mail', '邮箱', '电子邮件', '邮件地址', '邮箱地址'],
  name: ['name', 'fullname', 'contact', 'contactname', '姓名', '联系人', '名字', '客户名称'],
  company_name: ['companyname', 'company', 'organisation', 'organization', '公司', '公司名称'],
  country: ['country', 'countrycode', '国家', '国家/地区', '国家代码'],
  phones: ['phones', 'phone', 'tel', 'telephone', 'mobile', 'whatsapp', '电话', '手机', '联系电话'],
  owner: ['owner', 'salesperson', 'sales', '负责人', '业务员', '跟进人'],
  tags: ['tags', 'tag', 'labels', '标签'],
};
/** Columns of Pier's own export that import does not take back (derived, or decided elsewhere). */
const derived = new Set(['companydomain', 'verifiedphone', 'firstseen', 'lastseen']);

/** What a header means by its name: the CLI imports with exactly this; the web app offers it as the default mapping. */
export function suggestField(header: string): CsvField {
  const key = header.trim().toLowerCase().replace(/[\s_]/g, '');
  if (key.startsWith(CUSTOM_PREFIX)) return 'custom';
  if (derived.has(key) || key === '') return 'ignore';
  for (const [field, names] of Object.entries(headerNames)) if (names.includes(key)) return field as CsvField;
  return 'custom';
}

export function previewCsv(text: string): CsvPreview {
  const [headers = [], ...rows] = parseCsv(text);
  return { headers, sample: rows.slice(0, 5), rows: rows.length, suggested: headers.map(suggestField) };
}

const splitList = (value: string) =>
  value
    .split(/[;；,，|]/)
    .map((v) => v.trim())
    .filter(Boolean);

/**
 * Imports contacts from CSV with a column mapping (the header row names the custom fields). An
 * address already known is updated: a non-empty cell sets its field, tags and numbers are added,
 * custom fields merged. A new address becomes a contact (in its company, by registrable domain,
 * never a free-mail one), last contact = the import. Owners (by email) are set only by an admin or
 * the CLI. Rows without a usable address or with a bad number are skipped and reported by line.
 */
export async function importContactsCsv(
  db: Kysely<Database>,
  input: { csv: string; mapping: CsvField[] | 'by-header'; actor: AuditActor; mayAssignOwners: boolean; now: number },
): Promise<CsvImportResult> {
  const [headers = [], ...rows] = parseCsv(input.csv);
  const mapping = input.mapping === 'by-header' ? headers.map(suggestField) : input.mapping;
  if (mapping.length !== headers.length) throw new AppError('request.invalid', 400, 'the mapping needs one field per column');
  if (!mapping.includes('address')) throw new AppError('request.invalid', 400, 'map one column to the email address');
  const result: CsvImportResult = { created: 0, updated: 0, skipped: [] };
  const ownerIds = new Map<string, string | null>();
  for (const [index, row] of rows.entries()) {
    const line = index + 2;
    const cell = (field: CsvField) => unExcelSafe(row[mapping.indexOf(field)] ?? '').trim();
    const address = cell('address').toLowerCase();
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(address)) {
      result.skipped.push({ line, reason: `no valid email address (${address || 'empty'})` });
      continue;
    }
    try {
      const custom: Record<string, string> = {};
      mapping.forEach((field, i) => {
        const value = unExcelSafe(row[i] ?? '').trim();
        if (field === 'custom' && value) custom[(headers[i] ?? '').replace(/^custom:/i, '').trim() || `column ${i + 1}`] = value;
      });
      const rawCountry = cell('country').toUpperCase();
      let ownerId: string | null | undefined;
      const ownerEmail = cell('owner').toLowerCase();
      if (ownerEmail && input.mayAssignOwners) {
        if (!ownerIds.has(ownerEmail)) {
          const user = await findUserByEmail(db, ownerEmail);
          ownerIds.set(ownerEmail, user && user.status === 'active' && user.role !== 'auditor' ? user.id : null);
        }
        ownerId = ownerIds.get(ownerEmail) ?? undefined;
        if (ownerId === undefined) throw new AppError('request.invalid', 400, `no active colleague ${ownerEmail} to own it`);
      }
      const created = await importRow(db, {
        address,
        name: cell('name') || null,
        companyName: cell('company_name') || null,
        country: /^[A-Z]{2}$/.test(rawCountry) ? rawCountry : null,
        phones: splitList(cell('phones')),
        tags: splitList(cell('tags')),
        custom,
        ownerId,
        actorId: input.actor.actorId,
        now: input.now,
      });
      if (created) result.created++;
      else result.updated++;
    } catch (error) {
      result.skipped.push({ line, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  await recordAuditBy(db, input.actor, {
    action: 'customer.imported',
    targetType: 'contact',
    details: { created: result.created, updated: result.updated, skipped: result.skipped.length },
  });
  return result;
}

async function importRow(
  db: Kysely<Database>,
  row: {
    address: string;
    name: string | null;
    companyName: string | null;
    country: string | null;
    phones: string[];
    tags: string[];
    custom: Record<string, string>;
    ownerId: string | null | undefined;
    actorId: string | null;
    now: number;
  },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const domain = companyDomainFor(row.address);
    let companyId: string | null = null;
    if (domain) {
      companyId = await upsertCompany(trx, { domain, country: countryFromDomain(domain), now: row.now });
      if (row.companyName) {
        await trx
          .updateTable('companies')
          .set({ name: row.companyName, search_text: companySearchText({ name: row.companyName, domain }), updated_at: row.now })
          .where('id', '=', companyId)
          .where('name', '=', domain)
          .execute();
      }
    }
    let contact = await trx
      .selectFrom('contacts')
      .select(['id', 'name', 'country', 'tags', 'custom_fields', 'phone_e164', 'merged_into_id'])
      .where('address', '=', row.address)
      .executeTakeFirst();
    const created = !contact;
    if (!contact) {
      const id = newId();
      await trx
        .insertInto('contacts')
        .values({
          id,
          address: row.address,
          name: row.name,
          company_id: companyId,
          country: row.country ?? (domain ? countryFromDomain(domain) : null),
          phone_e164: null,
          first_seen_at: row.now,
          last_seen_at: row.now,
        })
        .execute();
      contact = { id, name: row.name, country: row.country, tags: null, custom_fields: null, phone_e164: null, merged_into_id: null };
    }
    const id = contact.merged_into_id ?? contact.id;
    const country = row.country ?? contact.country;
    const phones = row.phones.map((p) => normaliseCustomerPhone(p, country));
    const known = new Set(
      (await trx.selectFrom('contact_phones').select('phone_e164').where('contact_id', '=', id).execute()).map((p) => p.phone_e164),
    );
    const fresh = [...new Set(phones)].filter((p) => p !== contact.phone_e164 && !known.has(p));
    if (fresh.length > 0) {
      await trx
        .insertInto('contact_phones')
        .values(fresh.map((p) => ({ id: newId(), contact_id: id, phone_e164: p, label: null, created_at: row.now })))
        .execute();
    }
    const name = row.name ?? contact.name;
    await trx
      .updateTable('contacts')
      .set({
        name,
        country,
        tags: JSON.stringify([...new Set([...parseTags(contact.tags), ...row.tags])]),
        custom_fields: JSON.stringify({ ...parseCustomFields(contact.custom_fields), ...row.custom }),
        search_text: contactSearchText({
          name,
          address: row.address,
          phones: [...(contact.phone_e164 ? [contact.phone_e164] : []), ...known, ...fresh],
        }),
        updated_at: row.now,
      })
      .where('id', '=', id)
      .execute();
    if (row.ownerId !== undefined) {
      await changeOwner(trx, { contactIds: [id], ownerId: row.ownerId, reason: 'import', actorId: row.actorId, at: row.now });
    }
    return created;
  });
}
