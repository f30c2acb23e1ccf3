import { type Kysely, sql } from 'kysely';
import { companySearchText, contactSearchText } from '../../modules/contacts/search-text.js';

// Customers (issue 19, decision 0048): the contacts and companies Pier already keeps become a
// directory the team manages. A contact gets an owner (a salesperson), tags, custom fields and a
// folded search text (SQLite's lower() is ASCII-only); a company its tags and the same search text.
// Further numbers, notes and who owned a contact when live in their own tables. A merged duplicate
// keeps its row (mail still names its address) and points at the contact it was merged into.
export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [column, type] of [
    ['owner_id', 'text'],
    ['owned_since', 'bigint'],
    ['tags', 'text'],
    ['custom_fields', 'text'],
    ['search_text', 'text'],
    ['merged_into_id', 'text'],
    ['updated_at', 'bigint'],
  ] as const) {
    await db.schema.alterTable('contacts').addColumn(column, type).execute();
  }
  for (const [column, type] of [
    ['tags', 'text'],
    ['search_text', 'text'],
    ['updated_at', 'bigint'],
  ] as const) {
    await db.schema.alterTable('companies').addColumn(column, type).execute();
  }
  await db.schema.createIndex('contacts_owner').on('contacts').column('owner_id').execute();
  await db.schema.createIndex('contacts_merged_into').on('contacts').column('merged_into_id').execute();

  await db.schema
    .createTable('contact_phones')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('phone_e164', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('contact_phones_unique', ['contact_id', 'phone_e164'])
    .execute();

  await db.schema
    .createTable('customer_notes')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('contact_id', 'text', (c) => c.references('contacts.id').onDelete('cascade'))
    .addColumn('company_id', 'text', (c) => c.references('companies.id').onDelete('cascade'))
    .addColumn('author_id', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customer_notes_contact').on('customer_notes').column('contact_id').execute();
  await db.schema.createIndex('customer_notes_company').on('customer_notes').column('company_id').execute();

  // One row per change of owner: "who owned it when" reads consecutive rows.
  await db.schema
    .createTable('customer_owner_history')
    .addColumn('id', 'text', (c) => c.primaryKey().notNull())
    .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id').onDelete('cascade'))
    .addColumn('owner_id', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('customer_owner_history_contact').on('customer_owner_history').columns(['contact_id', 'at']).execute();

  // Fill the search texts of the customers already stored, in pages.
  let after = '';
  for (;;) {
    const rows = await sql<{ id: string; name: string | null; address: string; phone_e164: string | null }>`
      SELECT id, name, address, phone_e164 FROM contacts WHERE id > ${after} ORDER BY id LIMIT 500`.execute(db);
    if (rows.rows.length === 0) break;
    for (const r of rows.rows) {
      const text = contactSearchText({ name: r.name, address: r.address, phones: r.phone_e164 ? [r.phone_e164] : [] });
      await sql`UPDATE contacts SET search_text = ${text} WHERE id = ${r.id}`.execute(db);
    }
    after = rows.rows.at(-1)?.id ?? after;
  }
  after = '';
  for (;;) {
    const rows = await sql<{ id: string; name: string; domain: string }>`
      SELECT id, name, domain FROM companies WHERE id > ${after} ORDER BY id LIMIT 500`.execute(db);
    if (rows.rows.length === 0) break;
    for (const r of rows.rows) {
      await sql`UPDATE companies SET search_text = ${companySearchText(r)} WHERE id = ${r.id}`.execute(db);
    }
    after = rows.rows.at(-1)?.id ?? after;
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['customer_owner_history', 'customer_notes', 'contact_phones']) await db.schema.dropTable(table).execute();
  await db.schema.dropIndex('contacts_merged_into').execute();
  await db.schema.dropIndex('contacts_owner').execute();
  for (const column of ['updated_at', 'merged_into_id', 'search_text', 'custom_fields', 'tags', 'owned_since', 'owner_id']) {
    await db.schema.alterTable('contacts').dropColumn(column).execute();
  }
  for (const column of ['updated_at', 'search_text', 'tags']) await db.schema.alterTable('companies').dropColumn(column).execute();
}
